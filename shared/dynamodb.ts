// The DynamoDB clients, built once per module (outside any handler), and a request counter that tests and the
// benchmark use to hold each operation to its budget (docs/data-model.md).
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from './config.ts';

export type RequestCounts = Record<string, number>;
const counting = new AsyncLocalStorage<RequestCounts>();

let documentClient: DynamoDBDocumentClient | undefined;

function build(): DynamoDBDocumentClient {
  const { AWS_REGION, DYNAMODB_ENDPOINT } = config();
  const client = new DynamoDBClient({
    region: AWS_REGION,
    ...(DYNAMODB_ENDPOINT
      ? // DynamoDB Local accepts any credentials; never fall back to a real AWS profile locally.
        { endpoint: DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
  });
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
