// `npm start`: the local practice API on 127.0.0.1 with its stand-ins for AWS, seeded with demo users.
// Flags: --reset (wipe the data folder first), --in-memory (keep nothing). Env: see README "Configuration".
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROLES } from '#shared/auth/roles.ts';
import { JavaMissingError, requireJava } from './java.ts';
import { readRuntimeInfo, secureDataDir, startRuntime } from './runtime.ts';
import { DEMO_PASSWORD, DEMO_PATIENT_ID } from './seed.ts';

const args = new Set(process.argv.slice(2));
if (args.has('--help') || args.has('-h')) {
  console.log(
    'Usage: npm start [-- --reset | --in-memory]\n  --reset      wipe the data folder (DATA_DIR, default .data) first\n  --in-memory  keep nothing between runs',
  );
  process.exit(0);
}
const known = ['--reset', '--in-memory'];
const unknown = [...args].filter((a) => !known.includes(a));
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown.join(' ')}; try: npm start -- --help`);
  process.exit(2);
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    console.error(`${name} must be a port number (0 picks a free one); got "${raw}"`);
    process.exit(2);
  }
  return value;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const lockFile = join(dataDir, 'runtime.lock');

/** One runtime per data folder: a second start says so instead of fighting over ports and files. */
function takeLock(): void {
  secureDataDir(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      return;
    } catch {
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (holder && holder !== process.pid && alive(holder)) {
        const info = readRuntimeInfo(dataDir);
        console.error(
          `Continuum is already running (pid ${holder})${info ? ` at ${info.apiUrl}` : ''} with data in ${dataDir}. Stop it with Ctrl-C in its terminal (or kill ${holder}), or start another with DATA_DIR=<folder> and other ports.`,
        );
        process.exit(1);
      }
      // A previous run died without cleaning up: stop what it left behind (DynamoDB Local's JVM).
      for (const pid of readRuntimeInfo(dataDir)?.childPids ?? [])
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(lockFile, { force: true });
    }
  }
  console.error(`Could not take ${lockFile}`);
  process.exit(1);
}

try {
  requireJava();
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

takeLock();
const started = performance.now();
const inMemory = args.has('--in-memory');
let runtime: Awaited<ReturnType<typeof startRuntime>>;
try {
  runtime = await startRuntime({
    port: port('PORT', 3000),
    dynamoDbPort: port('DYNAMODB_PORT', 8000),
    cognitoPort: port('COGNITO_PORT', 9229),
    fhirPort: port('FHIR_PORT', 8103),
    dataDir,
    inMemory,
    reset: args.has('--reset'),
    corsOrigins: (process.env.CORS_ORIGINS ?? 'http://localhost:5173,http://127.0.0.1:5173')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  });
} catch (error) {
  rmSync(lockFile, { force: true });
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') {
    console.error(
      `Port ${(err as { port?: number }).port ?? ''} is in use. Set PORT, DYNAMODB_PORT, COGNITO_PORT or FHIR_PORT to free ports (0 picks one).`,
    );
  } else {
    console.error(`Could not start: ${err.message}`);
  }
  process.exit(1);
}

const { info } = runtime;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  [
    '',
    `Continuum local practice API ready in ${seconds}s`,
    `  API          ${info.apiUrl}   (docs: ${info.apiUrl}/docs, health: ${info.apiUrl}/health)`,
    `  DynamoDB     ${info.dynamoDbUrl}   table ${info.tableName}${inMemory ? ' (in memory)' : `, data in ${dataDir}`}`,
    `  Cognito      ${info.cognitoUrl}   issuer ${info.cognitoIssuer}, client id ${info.cognitoClientId}`,
    `  FHIR R4      ${info.fhirBaseUrl}`,
    `  Demo users   ${ROLES.join(', ')}   password: ${DEMO_PASSWORD}`,
    `  Demo patient ${DEMO_PATIENT_ID} (linked to the "patient" user)`,
    '  Get a token  npm run token -- clinician',
    '',
  ].join('\n'),
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    console.error('Forced exit');
    process.exit(1);
  }
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await runtime.stop();
  rmSync(lockFile, { force: true });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('exit', () => {
  // Last resort if something exits without the handlers above: never leave the JVM behind.
  for (const pid of info.childPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  if (existsSync(lockFile) && readFileSync(lockFile, 'utf8') === String(process.pid))
    rmSync(lockFile, { force: true });
});
