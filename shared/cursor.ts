// Opaque pagination cursors. A DynamoDB LastEvaluatedKey can hold index values derived from PHI (a normalised
// family name), so it is sealed with AES-256-GCM: clients cannot read it, forge it, or reuse it for another query.
// Sealed with the current key; opened with the current or the previous one, so a rotation breaks no cursor.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { type CursorSecrets, cursorSecrets } from './cursor-secrets.ts';
import { ValidationError } from './errors.ts';

let cachedKeys: { secrets: CursorSecrets; current: Buffer; previous: Buffer | undefined } | undefined;

const keyOf = (secret: string): Buffer => createHash('sha256').update(secret).digest();

async function keys(): Promise<{ current: Buffer; previous: Buffer | undefined }> {
  const secrets = await cursorSecrets();
  if (cachedKeys?.secrets !== secrets) {
    cachedKeys = {
      secrets,
      current: keyOf(secrets.current),
      previous: secrets.previous === undefined ? undefined : keyOf(secrets.previous),
    };
  }
  return cachedKeys;
}

/** Seals `position` for the query described by `binding` (e.g. the normalised filters). */
export async function sealCursor(position: Record<string, unknown>, binding: string): Promise<string> {
  const { current } = await keys();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current, iv);
  cipher.setAAD(Buffer.from(binding));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

function open(raw: Buffer, key: Buffer, binding: string): Record<string, unknown> | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(binding));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const value = JSON.parse(plain) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Opens a cursor made by sealCursor for the same binding, with the current key or the previous one (a cursor
 * sealed just before a rotation); anything else is a 400 naming `query.cursor`.
 */
export async function openCursor(token: string, binding: string): Promise<Record<string, unknown>> {
  const { current, previous } = await keys();
  const raw = Buffer.from(token, 'base64url');
  const value = open(raw, current, binding) ?? (previous ? open(raw, previous, binding) : undefined);
  if (value) return value;
  throw new ValidationError([{ field: 'query.cursor', message: 'Not a cursor from this query; start over' }]);
}
