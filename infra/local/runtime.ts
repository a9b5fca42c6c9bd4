// The whole practice API on one machine: DynamoDB Local, a local Cognito, a local FHIR server, the stream
// poller and the gateway, wired with the same route table and table definition as the AWS stack.
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { routes } from '#functions/routes.ts';
import { noteComponentStatus } from '#shared/component-status.ts';
import { resetConfig } from '#shared/config.ts';
import { resetDb } from '#shared/dynamodb.ts';
import {
  type ClearinghouseSettings,
  clearinghouseSettings,
  type LocalClearinghouse,
  startLocalClearinghouse,
} from './clearinghouse/clearinghouse.ts';
import { type LocalCognito, startLocalCognito } from './cognito.ts';
import { ensureTable, startDynamoDbLocal } from './dynamodb-local.ts';
import { startFhirServer } from './fhir-server.ts';
import { startGateway } from './gateway.ts';
import { REPO_ROOT } from './paths.ts';
import { startReferralPoller } from './referral-poller.ts';
import { seedDemo } from './seed.ts';
import { startStreamPoller } from './stream-poller.ts';

export interface RuntimeOptions {
  port: number;
  dynamoDbPort: number;
  cognitoPort: number;
  fhirPort: number;
  /** Where data lives between runs; also holds the lock and runtime.json. */
  dataDir: string;
  /** Keep nothing: DynamoDB in memory, fresh keys and users. */
  inMemory?: boolean;
  /** Wipe the data folder first. */
  reset?: boolean;
  tableName?: string;
  corsOrigins?: string[];
  /** Where handler and gateway log lines go (default stdout). */
  log?: (line: Record<string, unknown>) => void;
  /** How often the referral exchange reads the FHIR store (default 5 s; AWS runs it once a minute). */
  referralPollMs?: number;
  /** The local clearinghouse's settings; default: from the environment (CLEARINGHOUSE_*). */
  clearinghouse?: Partial<ClearinghouseSettings>;
}

export interface RuntimeInfo {
  pid: number;
  apiUrl: string;
  dynamoDbUrl: string;
  cognitoUrl: string;
  cognitoIssuer: string;
  cognitoClientId: string;
  fhirBaseUrl: string;
  tableName: string;
  dataDir: string;
  inMemory: boolean;
  childPids: number[];
  deadLetterFile: string;
  exportDir: string;
  /** The local clearinghouse's folders: outbound/ (837s sent), inbound/, processed/, failed/. */
  ediDir: string;
}

export interface Runtime {
  info: RuntimeInfo;
  cognito: LocalCognito;
  clearinghouse: LocalClearinghouse;
  stop(): Promise<void>;
}

/** A free loopback port when `port` is 0, else `port` itself. */
export async function freePort(port = 0): Promise<number> {
  if (port !== 0) return port;
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function cursorSecret(dataDir: string, inMemory: boolean): string {
  if (inMemory) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file))
    return (JSON.parse(readFileSync(file, 'utf8')) as { cursorSecret: string }).cursorSecret;
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, JSON.stringify({ cursorSecret: secret }), { mode: 0o600 });
  return secret;
}

/** What the runtime keeps in its data folder (and `--reset` removes). */
const DATA_PARTS = [
  'dynamodb',
  'cognito',
  'secrets.json',
  'runtime.json',
  'runtime.lock',
  'dead-letters.jsonl',
  'exports',
  'fhir',
  'edi',
];

/**
 * The data folder holds PHI (DynamoDB Local's database file, exports, dead letters) and secrets (the cursor key, the
 * local Cognito's signing key): only its owner may read it. The folder is made 0700 and what the runtime keeps in it
 * 0700 (folders) / 0600 (files), so an older data folder is fixed on the next start; anything else a user put there
 * is left alone. The process's umask becomes 077 so that what this process and its children (the JVM) create later
 * is private too: Java has no umask setting of its own, it inherits it.
 */
export function secureDataDir(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.isDirectory()) {
      if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if ((stat.mode & 0o077) !== 0) chmodSync(path, stat.mode & 0o600);
  };
  for (const part of DATA_PARTS) if (existsSync(join(dataDir, part))) walk(join(dataDir, part));
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dataDir = resolve(options.dataDir);
  secureDataDir(dataDir);
  const inMemory = options.inMemory ?? false;
  if (options.reset) {
    for (const part of DATA_PARTS.filter((p) => p !== 'runtime.lock')) {
      rmSync(join(dataDir, part), { recursive: true, force: true });
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const tableName = options.tableName ?? 'continuum-local';
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };

  try {
    const [dynamoDbPort, cognitoPort, fhirPort] = await Promise.all([
      freePort(options.dynamoDbPort),
      freePort(options.cognitoPort),
      freePort(options.fhirPort),
    ]);
    const log = options.log ?? ((line) => process.stdout.write(`${JSON.stringify(line)}\n`));
    // Set once everything is up; a restart rewrites runtime.json so the JVM's new pid is known to whoever stops it.
    let info: RuntimeInfo | undefined;
    const dynamoStarting = startDynamoDbLocal({
      port: dynamoDbPort,
      ...(inMemory ? {} : { dataDir: join(dataDir, 'dynamodb') }),
      supervise: {
        log,
        // An in-memory database comes back empty: give it its table again.
        restarted: async () => {
          await ensureTable(`http://127.0.0.1:${dynamoDbPort}`, tableName);
        },
        changed: (status, pid) => {
          noteComponentStatus('dynamodb', status === 'up' ? undefined : status);
          if (info && status === 'up') {
            info.childPids = [pid];
            writeFileSync(join(dataDir, 'runtime.json'), JSON.stringify(info, null, 2), { mode: 0o600 });
          }
        },
      },
    });
    const cognitoStarting = startLocalCognito({
      port: cognitoPort,
      ...(inMemory ? {} : { stateDir: join(dataDir, 'cognito') }),
    });
    const fhirStarting = startFhirServer({
      port: fhirPort,
      ...(inMemory ? {} : { dataDir: join(dataDir, 'fhir') }),
    });
    const started = await Promise.allSettled([dynamoStarting, cognitoStarting, fhirStarting]);
    for (const s of started) if (s.status === 'fulfilled') stops.push(() => s.value.stop());
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const dynamo = await dynamoStarting;
    const cognito = await cognitoStarting;
    const fhir = await fhirStarting;

    await ensureTable(dynamo.url, tableName);
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: dynamo.url,
      CURSOR_SECRET: cursorSecret(dataDir, inMemory),
      CORS_ORIGINS: (options.corsOrigins ?? []).join(','),
      COGNITO_ISSUER: cognito.issuer,
      FHIR_BASE_URL: fhir.url,
      STAGE: 'local',
      PRACTICE_ID: 'local',
      FHIR_AUTH: 'none',
      DEAD_LETTER_FILE: join(dataDir, 'dead-letters.jsonl'),
      EXPORT_DIR: join(dataDir, 'exports'),
      POWERTOOLS_SERVICE_NAME: 'continuum',
      // The SDK must never reach for a real AWS profile locally.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    resetConfig();
    resetDb();
    await seedDemo(cognito);

    // The mirror consumes the stream as it would in AWS. The local FHIR store is kept under the data folder, so after
    // a restart it answers at once; starting from the oldest retained record (24 h) still catches up anything the
    // last run had not mirrored (and fills an in-memory store); the mirror skips what is current.
    const { mirrorStream } = await import('#functions/sharing/handlers/mirror.ts');
    const poller = startStreamPoller({
      endpoint: dynamo.url,
      tableName,
      startAt: 'TRIM_HORIZON',
      consumer: mirrorStream,
      onDeadLetter: (record, reason) =>
        appendFileSync(
          join(dataDir, 'dead-letters.jsonl'),
          `${JSON.stringify({ sequenceNumber: record.dynamodb?.SequenceNumber, reason: reason.slice(0, 200), at: new Date().toISOString() })}\n`,
          { mode: 0o600 },
        ),
    });
    stops.push(() => poller.stop());

    // The referral exchange: tells recipients about referrals and reads back what they did to the Tasks.
    const { runReferralExchange } = await import('#functions/referrals/handlers/exchange-poller.ts');
    const referralPoller = startReferralPoller({
      intervalMs: options.referralPollMs ?? 5000,
      run: runReferralExchange,
      log,
    });
    stops.push(() => referralPoller.stop());
    // The local clearinghouse: batch submission's EdiOutbox; its answers are ingested from the inbound folder by the
    // same use case the EDI bucket's S3-event Lambda runs in AWS.
    const billing = await import('#functions/billing/handlers/ingest-edi-file.ts');
    const { useEdiOutbox } = await import('#functions/billing/outbox.ts');
    const { feeScheduleAllowed } = await import('#functions/billing/fee-allowed.ts');
    const clearinghouse = startLocalClearinghouse({
      dir: join(dataDir, 'edi'),
      settings: { ...clearinghouseSettings(process.env), ...options.clearinghouse },
      ingest: (name, x12) => billing.ingestFile(name, x12),
      refused: billing.isRefusal,
      allowedAmounts: feeScheduleAllowed,
      log,
    });
    useEdiOutbox(clearinghouse.outbox);
    stops.push(async () => {
      useEdiOutbox(undefined);
      await clearinghouse.stop();
    });

    const gateway = await startGateway({
      port: options.port,
      routes,
      root: REPO_ROOT,
      cognito: { issuer: cognito.issuer, clientId: cognito.clientId, jwksUri: cognito.jwksUri },
      corsOrigins: options.corsOrigins ?? [],
      ...(options.log ? { log: options.log } : {}),
    });
    stops.push(() => gateway.stop());

    info = {
      pid: process.pid,
      apiUrl: gateway.url,
      dynamoDbUrl: dynamo.url,
      cognitoUrl: cognito.url,
      cognitoIssuer: cognito.issuer,
      cognitoClientId: cognito.clientId,
      fhirBaseUrl: fhir.url,
      tableName,
      dataDir,
      inMemory,
      childPids: [dynamo.pid],
      deadLetterFile: join(dataDir, 'dead-letters.jsonl'),
      exportDir: join(dataDir, 'exports'),
      ediDir: join(dataDir, 'edi'),
    };
    writeFileSync(join(dataDir, 'runtime.json'), JSON.stringify(info, null, 2), { mode: 0o600 });
    stops.unshift(async () => rmSync(join(dataDir, 'runtime.json'), { force: true }));
    return { info, cognito, clearinghouse, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Reads runtime.json of a running local runtime (for `npm run token` and `npm run invoke`). */
export function readRuntimeInfo(dataDir: string): RuntimeInfo | undefined {
  const file = join(resolve(dataDir), 'runtime.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
}
