// The DynamoDB clients, built once per module (outside any handler), and a request counter that tests and the
// benchmark use to hold each operation to its budget (docs/data-model.md).
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { config } from './config.ts';
import { traced } from './tracing.ts';

export type RequestCounts = Record<string, number>;
const counting = new AsyncLocalStorage<RequestCounts>();

let documentClient: DynamoDBDocumentClient | undefined;

function build(): DynamoDBDocumentClient {
  const { AWS_REGION, DYNAMODB_ENDPOINT, DYNAMODB_REQUEST_TIMEOUT_MS } = config();
  const client = traced(
    new DynamoDBClient({
      region: AWS_REGION,
      ...(DYNAMODB_ENDPOINT
        ? // DynamoDB Local accepts any credentials; never fall back to a real AWS profile locally.
          { endpoint: DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
      maxAttempts: 3,
      // The SDK waits forever by default (and only warns past requestTimeout): an unreachable or hung database
      // must become a prompt 503 instead. Retried writes are safe: TransactWriteItems carries the SDK's
      // ClientRequestToken, and every Put is conditional.
      requestHandler: {
        connectionTimeout: 1000,
        requestTimeout: DYNAMODB_REQUEST_TIMEOUT_MS ?? (DYNAMODB_ENDPOINT ? 15_000 : 3000),
        throwOnRequestTimeout: true,
      },
    }),
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const counts = counting.getStore();
      if (counts) {
        const name = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        counts[name] = (counts[name] ?? 0) + 1;
      }
      return next(args);
    },
    { step: 'initialize', name: 'continuumRequestCounter' },
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** The shared document client (created on first use so configuration errors surface with their names). */
export function db(): DynamoDBDocumentClient {
  documentClient ??= build();
  return documentClient;
}

export function tableName(): string {
  return config().TABLE_NAME;
}

/** Runs `fn` and returns the DynamoDB requests it made, by operation (e.g. `{ TransactWriteItems: 1 }`). */
export async function countRequests<T>(fn: () => Promise<T>): Promise<{ result: T; counts: RequestCounts }> {
  const counts: RequestCounts = {};
  const result = await counting.run(counts, fn);
  return { result, counts };
}

/** Drops the cached client (the local runtime re-points it when it restarts DynamoDB Local). */
export function resetDb(): void {
  documentClient?.destroy();
  documentClient = undefined;
}

export type Key = { pk: string; sk: string };
export type Item = Record<string, unknown>;
/** A key as one string, for maps and sets of items (`pk|sk`). */
export const keyString = (k: Key): string => `${k.pk}|${k.sk}`;
const keyOf = keyString;

/** One consistent GetItem. */
export async function getItem(key: Key): Promise<Item | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return out.Item;
}

/** Reads up to 100 items in one consistent BatchGetItem (retrying unprocessed keys); look them up with itemAt. */
export async function getItems(keys: Key[]): Promise<Map<string, Item>> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  const found = new Map<string, Item>();
  let pending: Key[] = unique;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 5) throw new Error('BatchGetItem kept leaving keys unprocessed');
    const out = await db().send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of out.Responses?.[tableName()] ?? []) found.set(keyOf(item as Key), item);
    pending = (out.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Key[];
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
  }
  return found;
}

export function itemAt(items: Map<string, Item>, key: Key): Item | undefined {
  return items.get(keyOf(key));
}

/**
 * Every item a Query matches, following LastEvaluatedKey. For partitions known to be small (a patient's allergy
 * list, a provider's month of hour buckets): one request in practice; the loop only guards correctness. Paged
 * lists use one Query with a Limit and a cursor instead.
 */
export async function queryAll(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Item[]> {
  const items: Item[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({ ...input, TableName: tableName(), ...(after ? { ExclusiveStartKey: after } : {}) }),
    );
    items.push(...(out.Items ?? []));
    after = out.LastEvaluatedKey;
  } while (after);
  return items;
}
