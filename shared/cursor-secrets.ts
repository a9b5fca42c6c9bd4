// Where the secrets that seal pagination cursors come from: CURSOR_SECRET (and CURSOR_SECRET_PREVIOUS) locally;
// in AWS the tenant's Secrets Manager secret, its AWSCURRENT and AWSPREVIOUS versions, fetched at run time and
// cached, so the value is in no function's environment and a rotation needs no deploy.
import { config } from './config.ts';

export interface CursorSecrets {
  /** Seals new cursors. */
  current: string;
  /** Still opens cursors sealed before the last rotation. */
  previous: string | undefined;
}

/**
 * How long a fetched pair is used before asking Secrets Manager again: after a rotation, functions seal with the
 * new secret within this time (and open cursors of either secret meanwhile).
 */
export const CURSOR_SECRETS_CACHE_MS = 5 * 60_000;

let cached: { source: string; secrets: CursorSecrets; fetchedAt: number } | undefined;

/** The current and previous secrets; the same object until they change (callers cache derived keys on it). */
export async function cursorSecrets(): Promise<CursorSecrets> {
  const { CURSOR_SECRET, CURSOR_SECRET_PREVIOUS, CURSOR_SECRET_ARN } = config();
  if (CURSOR_SECRET) {
    const source = `env:${CURSOR_SECRET}:${CURSOR_SECRET_PREVIOUS ?? ''}`;
    if (cached?.source !== source) {
      cached = {
        source,
        secrets: { current: CURSOR_SECRET, previous: CURSOR_SECRET_PREVIOUS },
        fetchedAt: 0,
      };
    }
    return cached.secrets;
  }
  if (!CURSOR_SECRET_ARN)
    throw new Error('Invalid or missing configuration: CURSOR_SECRET or CURSOR_SECRET_ARN');
  const arn = CURSOR_SECRET_ARN;
  const source = `arn:${arn}`;
  if (cached?.source === source && Date.now() - cached.fetchedAt < CURSOR_SECRETS_CACHE_MS)
    return cached.secrets;
  const fetched = await fetchFromSecretsManager(arn);
  const same =
    cached?.source === source &&
    cached.secrets.current === fetched.current &&
    cached.secrets.previous === fetched.previous;
  cached = { source, secrets: same && cached ? cached.secrets : fetched, fetchedAt: Date.now() };
  return cached.secrets;
}

/** Forgets the cached secrets (tests). */
export function resetCursorSecrets(): void {
  cached = undefined;
}

type SecretsManagerModule = typeof import('@aws-sdk/client-secrets-manager');
let client: InstanceType<SecretsManagerModule['SecretsManagerClient']> | undefined;
let sdk: SecretsManagerModule | undefined;

/**
 * AWSCURRENT and AWSPREVIOUS (absent until the first rotation). Loaded on first use only: the local runtime
 * never pays for the client. https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html
 */
async function fetchFromSecretsManager(arn: string): Promise<CursorSecrets> {
  sdk ??= await import('@aws-sdk/client-secrets-manager');
  client ??= new sdk.SecretsManagerClient({ region: config().AWS_REGION });
  const { GetSecretValueCommand, ResourceNotFoundException } = sdk;
  const read = async (stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> => {
    try {
      const out = await client?.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }));
      return out?.SecretString;
    } catch (error) {
      if (stage === 'AWSPREVIOUS' && error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  };
  const [current, previous] = await Promise.all([read('AWSCURRENT'), read('AWSPREVIOUS')]);
  if (!current || current.length < 32)
    throw new Error('The cursor secret is missing or shorter than 32 characters');
  return { current, previous: previous && previous.length >= 32 ? previous : undefined };
}
