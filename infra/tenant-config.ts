// A tenant's settings: the id from `-c tenant=<id>`, the checked-in tenants/<id>.json, validated with zod so
// a typo fails synth with one line naming the field. docs/deploy.md#tenant-settings documents every field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

/** The repository root: route handler paths and tenants/ are relative to it. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const TENANT_ID_PATTERN = /^[a-z0-9-]{3,32}$/;

/**
 * A tenant problem that should stop synth with one readable line (app.ts prints it without a stack trace).
 */
export class TenantConfigError extends Error {
  override readonly name = 'TenantConfigError';
}

/**
 * The values CloudWatch Logs accepts for retention
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
const RetentionDays = z
  .number()
  .refine(
    (d) => (RETENTION_DAYS as readonly number[]).includes(d),
    `Must be one of ${RETENTION_DAYS.join(', ')}`,
  );

/**
 * A browser origin: scheme, host and optional port, nothing else. Plain http only for localhost development.
 */
const Origin = z
  .string()
  .regex(
    /^(https:\/\/[a-z0-9.-]+|http:\/\/localhost)(:\d{1,5})?$/,
    'Must be an origin like https://app.example.org',
  );

const HttpsUrl = z.url({ protocol: /^https$/ });
/** Cognito takes https, http only for localhost, or a mobile app's own scheme (continuum://auth/callback). */
const CallbackUrl = z
  .url()
  .refine(
    (u) => !u.startsWith('http:') || new URL(u).hostname === 'localhost',
    'Must be https (http only for localhost) or an app scheme',
  );

const Throttle = z.strictObject({
  /** Steady-state requests per second. */
  rateLimit: z.number().positive().max(10_000),
  /** Bucket size: requests allowed in a burst. */
  burstLimit: z.number().int().positive().max(5_000),
});

/**
 * Why `healthLake.mode: "existing"` stops synth: several practices in one datastore cannot be kept apart by IAM
 * (each one's mirror and backfill role could change or delete the others' resources, and a HealthLake export
 * job exports the whole datastore). Until the exchange hub mediates access, every tenant creates its own
 * datastore. docs/decisions.md ("Shared HealthLake datastore refused").
 */
export const SHARED_HEALTHLAKE_REFUSED =
  '"existing" (a datastore shared with other practices) is refused until the exchange hub mediates access: IAM cannot stop one practice from changing, deleting or exporting another\'s resources in a shared datastore. Use { "mode": "create" } (docs/decisions.md)';

/** `create`: this tenant gets its own datastore, the only mode there is until the exchange hub exists. */
const HealthLake = z
  .looseObject({ mode: z.string() })
  .check((ctx) => {
    if (ctx.value.mode === 'existing') {
      ctx.issues.push({
        code: 'custom',
        message: SHARED_HEALTHLAKE_REFUSED,
        input: ctx.value.mode,
        path: ['mode'],
      });
    }
  })
  .pipe(z.strictObject({ mode: z.literal('create') }));

export const TenantSettingsSchema = z.strictObject({
  /** Free text shown in descriptions and the dashboard. */
  displayName: z.string().min(1).max(100),
  account: z.string().regex(/^\d{12}$/, 'Must be a 12-digit AWS account id'),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'Must be an AWS region such as us-east-1'),
  /** API Gateway stage name; also the STAGE every function reports. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,15}$/, 'Must be lowercase letters and digits')
    .default('prod'),
  /** Browser origins allowed by CORS (preflight at API Gateway, response headers in the functions). */
  corsOrigins: z.array(Origin).max(20).default([]),
  /** Where alarms are e-mailed (SNS sends a confirmation first). */
  alarmEmail: z.email(),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** Lambda logs. */
  logRetentionDays: RetentionDays.default(365),
  /**
   * API access logs, API execution logs and WAF logs: the security audit trail (HIPAA keeps records 6 years).
   */
  auditLogRetentionDays: RetentionDays.default(2192),
  healthLake: HealthLake,
  cognito: z.strictObject({
    /**
     * Hosted UI / managed login prefix: https://<prefix>.auth.<region>.amazoncognito.com; unique per region.
     */
    domainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'Must be lowercase letters, digits and hyphens')
      .refine((p) => !/aws|amazon|cognito/.test(p), 'Must not contain aws, amazon or cognito'),
    /** OAuth redirect URLs of the web and mobile apps. */
    callbackUrls: z.array(CallbackUrl).min(1).max(20),
    logoutUrls: z.array(CallbackUrl).min(1).max(20),
    /**
     * `plus` turns on Cognito threat protection (compromised credentials, adaptive authentication) in
     * ENFORCED mode; `essentials` is cheaper and leaves it off (cdk-nag AwsSolutions-COG8 is then
     * acknowledged).
     */
    featurePlan: z.enum(['plus', 'essentials']).default('plus'),
  }),
  functions: z
    .strictObject({
      memoryMb: z.number().int().min(128).max(10_240).default(1024),
      /** API Gateway gives up after 29 s; a function that runs longer only burns money. */
      timeoutSeconds: z.number().int().min(1).max(29).default(10),
      /** Per function; keeps one noisy route from starving the others and caps the blast radius. */
      reservedConcurrency: z.number().int().min(1).max(1000).default(5),
      /**
       * The account's Lambda concurrency quota in this region (1000 unless raised). Reserved concurrency of all
       * routes must leave 100 unreserved; synth checks it (other tenants in the same account count too).
       */
      accountConcurrencyLimit: z.number().int().min(100).default(1000),
    })
    .prefault({}),
  /**
   * The FHIR mirror: the Lambda function that reads the table's stream and writes shareable records to HealthLake
   * (docs/deploy.md#the-fhir-mirror, docs/exchange.md for throughput and cost).
   */
  mirror: z
    .strictObject({
      /** Stream records per invocation; one batch is at most one read bundle and one write bundle per 160. */
      batchSize: z.number().int().min(1).max(1000).default(100),
      /** How long Lambda gathers records before invoking (0 = as soon as any arrive). Adds to the lag. */
      maxBatchingWindowSeconds: z.number().int().min(0).max(300).default(1),
      /** Retries of a failing batch (halved on each failure) before it goes to the on-failure queue. */
      retryAttempts: z.number().int().min(0).max(100).default(5),
      /** Records older than this are sent to the on-failure queue unprocessed (the stream keeps 24 h). */
      maxRecordAgeSeconds: z.number().int().min(60).max(86_400).default(86_400),
      memoryMb: z.number().int().min(128).max(10_240).default(256),
      /** A batch with a consent change backfills the patient's history (≤ 10 bundles/s), so allow time. */
      timeoutSeconds: z.number().int().min(10).max(900).default(120),
      /**
       * Concurrent invocations: one per stream shard at most (parallelization factor 1). Each keeps itself to
       * 10 bundle requests/s, HealthLake's quota per datastore, so more concurrency only meets 429s sooner.
       */
      reservedConcurrency: z.number().int().min(1).max(100).default(4),
    })
    .prefault({}),
  // --- Issue 19 (aws-data): keys and backups -------------------------------------------------------------
  /** Customer managed keys (docs/deploy.md#for-your-hipaa-auditor). */
  keys: z
    .strictObject({
      /**
       * IAM roles that administer the keys (rotate, disable, schedule deletion; never encrypt or decrypt).
       * Empty: the stack creates continuum-<id>-key-admin, assumable with MFA by the account's IAM principals.
       */
      adminRoleArns: z
        .array(
          z
            .string()
            .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'Must be an IAM role ARN'),
        )
        .max(10)
        .default([]),
    })
    .prefault({}),
  /** AWS Backup of the table (docs/deploy.md#backups-and-recovery). */
  backup: z
    .strictObject({
      /**
       * A vault in another account (same AWS Organization) that receives a copy of every recovery point, so a
       * compromised or closed account does not take the backups with it. Its access policy must allow this
       * account's copy jobs.
       */
      copyToVaultArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$/,
          'Must be a backup vault ARN',
        )
        .optional(),
      /**
       * Days before Vault Lock becomes immutable (compliance mode) after the first deploy; until then it can be
       * changed or removed. At least 3 (AWS Backup's cooling-off period).
       */
      vaultLockGraceDays: z.number().int().min(3).max(365).default(3),
    })
    .prefault({}),
  // --- end issue 19 (aws-data) ---------------------------------------------------------------------------

  /** Stage-wide throttling for every method. */
  throttling: Throttle.prefault({ rateLimit: 50, burstLimit: 100 }),
  waf: z
    .strictObject({
      /** Requests per source IP per 5 minutes before WAF blocks it. */
      rateLimitPer5Minutes: z.number().int().min(10).max(2_000_000_000).default(1000),
    })
    .prefault({}),
  /**
   * For practices that subscribe to the hosted API: API keys and a usage plan on every authenticated method.
   */
  hostedApi: z
    .strictObject({
      usagePlans: z.boolean().default(false),
      /** One API key per subscriber application, by name. */
      apiKeys: z
        .array(z.string().regex(/^[a-z0-9-]{1,40}$/, 'Must be lowercase letters, digits and hyphens'))
        .max(50)
        .default([]),
      quota: z
        .strictObject({ limit: z.number().int().positive(), period: z.enum(['DAY', 'WEEK', 'MONTH']) })
        .optional(),
      throttle: Throttle.optional(),
    })
    .refine((h) => !h.usagePlans || h.apiKeys.length > 0, {
      path: ['apiKeys'],
      message: 'Name at least one API key when usagePlans is true',
    })
    .prefault({}),

  // --- Edge, sessions and evidence (issue 19 items 4-6, 9, 10; issue 18 finding 4) -----------------------------
  /**
   * Cognito token lifetimes. A token stays valid until it expires, whatever happens to its user meanwhile
   * (docs/decisions.md, "Short ID tokens, refresh tokens for sessions"), so the ID and access tokens are short
   * and the apps keep the session with the refresh token.
   */
  sessions: z
    .strictObject({
      /** ID and access token lifetime (Cognito allows 5 minutes to 1 day). */
      idTokenMinutes: z.number().int().min(5).max(60).default(15),
      /** How long a session lasts without signing in again (refresh token; Cognito allows 1 hour to 10 years). */
      refreshTokenHours: z.number().int().min(1).max(720).default(12),
    })
    .prefault({}),
  /**
   * The API's own domain. With it, clients use https://<domainName>/ and the default execute-api endpoint is
   * switched off; without it, the execute-api endpoint serves the API. Both negotiate TLS 1.2 or 1.3 only.
   */
  apiDomain: z
    .strictObject({
      /** Lowercase host name, e.g. api.acme-health.example (point a DNS CNAME or alias at the output). */
      domainName: z
        .string()
        .regex(
          /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          'Must be a lowercase host name',
        ),
      /** An ACM certificate for domainName in the tenant's region. */
      certificateArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
          'Must be an ACM certificate ARN',
        ),
    })
    .optional(),
  /** An HTTPS endpoint that pages the on-call person (PagerDuty, Opsgenie…): alarms go there as well as e-mail. */
  alarmPagingUrl: HttpsUrl.optional(),
  /**
   * The CloudTrail archive's Object Lock mode: COMPLIANCE (nobody, not even the root user, can delete a log file
   * before auditLogRetentionDays) or GOVERNANCE (principals with s3:BypassGovernanceRetention can: for trials).
   */
  trailLockMode: z.enum(['COMPLIANCE', 'GOVERNANCE']).default('COMPLIANCE'),
  // --- end of edge settings ---------------------------------------------------------------------------------
});

export type TenantSettings = z.output<typeof TenantSettingsSchema>;
export type TenantSettingsInput = z.input<typeof TenantSettingsSchema>;

export interface Tenant {
  id: string;
  settings: TenantSettings;
}

/** Checks the id from `-c tenant=<id>`. */
export function parseTenantId(raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') {
    throw new TenantConfigError('Missing tenant: pass -c tenant=<id> (a file tenants/<id>.json must exist)');
  }
  if (typeof raw !== 'string' || !TENANT_ID_PATTERN.test(raw)) {
    throw new TenantConfigError(
      `Bad tenant id ${JSON.stringify(raw)}: use 3 to 32 lowercase letters, digits and hyphens`,
    );
  }
  return raw;
}

/** Validates settings; the message names every bad field on one line. */
export function parseTenantSettings(id: string, input: unknown): TenantSettings {
  const parsed = TenantSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TenantConfigError(`Invalid settings for tenant ${id}: ${issues}`);
  }
  return parsed.data;
}

/**
 * Reads tenants/<id>.json. A `tenantSettings` context value (an object, or a JSON string from `-c`) is merged
 * over the file's top-level fields, so CI can override one setting without editing the checked-in file.
 */
export function loadTenant(rawId: unknown, contextOverride?: unknown, root: string = REPO_ROOT): Tenant {
  const id = parseTenantId(rawId);
  const file = join(root, 'tenants', `${id}.json`);
  if (!existsSync(file))
    throw new TenantConfigError(`Unknown tenant ${id}: tenants/${id}.json does not exist`);
  let fromFile: unknown;
  try {
    fromFile = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TenantConfigError(`tenants/${id}.json is not valid JSON: ${(error as Error).message}`);
  }
  let override: unknown = contextOverride;
  if (typeof override === 'string') {
    try {
      override = JSON.parse(override);
    } catch {
      throw new TenantConfigError('The tenantSettings context value is not valid JSON');
    }
  }
  const merged =
    override && typeof override === 'object' && fromFile && typeof fromFile === 'object'
      ? { ...fromFile, ...override }
      : fromFile;
  return { id, settings: parseTenantSettings(id, merged) };
}

// --- Tenants sharing an account (issue 19 item 10) -------------------------------------------------------------

/**
 * Reserved concurrency one tenant takes: every route's function, the FHIR mirror, the global sign-out (2) and
 * the audit archiver (2, ARCHIVER_RESERVED_CONCURRENCY).
 */
export function reservedConcurrencyOf(settings: TenantSettings, routeCount: number): number {
  // + the global sign-out (2), the audit archiver (2), billing's EDI ingestion (2) and timely-filing check (1).
  return (
    routeCount * settings.functions.reservedConcurrency + settings.mirror.reservedConcurrency + 2 + 2 + 2 + 1
  );
}

/**
 * The other checked-in tenants (tenants/*.json) deployed to the same AWS account, in any region. Account-wide
 * settings (the X-Ray encryption key, API Gateway's logging role) and the Lambda concurrency quota of a region
 * are shared with them.
 */
export function tenantsInAccount(tenant: Tenant, root: string = REPO_ROOT): Tenant[] {
  const dir = join(root, 'tenants');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .filter((id) => id !== tenant.id && TENANT_ID_PATTERN.test(id))
    .map((id) => loadTenant(id, undefined, root))
    .filter((other) => other.settings.account === tenant.settings.account);
}
