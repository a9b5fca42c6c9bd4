// Runtime configuration, read once from the environment and validated, so a misconfigured function fails at
// cold start with the variable's name rather than at the first request.
import * as z from 'zod';

const ConfigSchema = z.object({
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Set locally to DynamoDB Local's URL; unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Comma-separated list of allowed browser origins; empty means no CORS headers. */
  CORS_ORIGINS: z.string().default(''),
  /** Secret (>= 32 chars) that seals pagination cursors so they are opaque and tamper-evident. */
  CURSOR_SECRET: z.string().min(32),
  /** How long an Idempotency-Key is remembered. */
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /** Component URLs reported by /health (local runtime). */
  FHIR_BASE_URL: z.url().optional(),
  COGNITO_ISSUER: z.url().optional(),
  STAGE: z.string().default('local'),
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
