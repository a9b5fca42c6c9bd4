// Runtime configuration, read once from the environment and validated, so a misconfigured function fails at
// cold start with the variable's name rather than at the first request.
import * as z from 'zod';

const ConfigSchema = z.object({
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Set locally to DynamoDB Local's URL; unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /**
   * How long one DynamoDB request may take before the client gives up on it (3 attempts in all): a database that
   * accepts connections but never answers becomes a 503. Default 3 s in AWS (inside the function's 10 s timeout);
   * 15 s against DynamoDB Local, whose answers take seconds on a loaded laptop.
   */
  DYNAMODB_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional(),
  /** Comma-separated list of allowed browser origins; empty means no CORS headers. */
  CORS_ORIGINS: z.string().default(''),
  /**
   * Secret (>= 32 chars) that seals pagination cursors so they are opaque and tamper-evident: set locally. In AWS
   * CURSOR_SECRET_ARN names the Secrets Manager secret instead (shared/cursor-secrets.ts); only functions that
   * page need either.
   */
  CURSOR_SECRET: z.string().min(32).optional(),
  /** The secret before the last local rotation: cursors sealed with it still open. */
  CURSOR_SECRET_PREVIOUS: z.string().min(32).optional(),
  CURSOR_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** How long an Idempotency-Key is remembered. */
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /** Component URLs reported by /health (local runtime). */
  FHIR_BASE_URL: z.url().optional(),
  COGNITO_ISSUER: z.url().optional(),
  STAGE: z.string().default('local'),
  /** The practice (tenant) id: FHIR resources we mirror carry `meta.source` = urn:continuum:<PRACTICE_ID>. */
  PRACTICE_ID: z
    .string()
    .regex(/^[a-z0-9-]{3,32}$/)
    .default('local'),
  /** How the exchange reaches the FHIR store: SigV4 for HealthLake, none for the local server. */
  FHIR_AUTH: z.enum(['sigv4', 'none']).default('none'),
  /** Where rejected resources go: an SQS queue URL in AWS, a JSON-lines file locally. */
  DEAD_LETTER_QUEUE_URL: z.string().optional(),
  DEAD_LETTER_FILE: z.string().optional(),
  /** Bulk export: locally NDJSON files under EXPORT_DIR; in AWS a HealthLake export job to EXPORT_S3_URI. */
  EXPORT_DIR: z.string().optional(),
  HEALTHLAKE_DATASTORE_ID: z.string().optional(),
  EXPORT_S3_URI: z.string().optional(),
  EXPORT_KMS_KEY_ID: z.string().optional(),
  EXPORT_ROLE_ARN: z.string().optional(),
  /** Billing's EDI bucket in AWS: 837s go to outbound/, 835/999/277CA files arrive in inbound/. */
  EDI_BUCKET: z.string().optional(),
  /** Days before a payer's timely-filing limit at which an unsent claim is flagged. */
  TIMELY_FILING_WARNING_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

/** The validated configuration. Throws naming each bad variable (never its value). */
export function config(): Config {
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Invalid or missing configuration: ${names}`);
  }
  cached = parsed.data;
  return cached;
}

/** Forgets the cached configuration (tests and the local runtime change the environment). */
export function resetConfig(): void {
  cached = undefined;
}

/** meta.source of everything this practice mirrors. */
export function practiceSource(): string {
  return `urn:continuum:${config().PRACTICE_ID}`;
}
