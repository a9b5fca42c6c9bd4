// The single table's shape, declared once. The CDK stack and the local runtime both build the table from this,
// so the keys and indexes the code queries are the ones that exist. Access patterns: docs/data-model.md.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Overloaded global secondary indexes; each entity's key module says which pattern uses which. */
  indexes: {
    gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    gsi2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  },
  /** Epoch seconds; DynamoDB deletes expired items lazily, so readers must also check it. */
  timeToLiveAttribute: 'expiresAt',
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

export type IndexName = keyof typeof TABLE.indexes;

/** CreateTable input for DynamoDB Local (on-demand, streams on), mirroring the CDK table. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const keyAttributes = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...Object.values(TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: Object.entries(TABLE.indexes).map(([name, index]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
  };
}

/** Attributes every stored item carries. */
export interface ItemBase {
  pk: string;
  sk: string;
  type: string;
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

/**
 * Attributes that exist for storage, not for the record: the keys, the index keys, the item type and search
 * helpers (Patient's folded given names). Every store strips these when it reads an item back.
 */
export const STORAGE_ATTRIBUTES: readonly string[] = [
  TABLE.partitionKey,
  TABLE.sortKey,
  ...Object.values(TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
  'type',
  'givenSearch',
];

/** The record an item holds: the item without its storage attributes. */
export function recordOf<T>(item: Record<string, unknown>): T {
  const record = { ...item };
  for (const key of STORAGE_ATTRIBUTES) delete record[key];
  return record as T;
}
