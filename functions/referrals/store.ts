// Referral persistence: the ReferralStore port and its DynamoDB adapter. Every read is one GetItem or one Query page;
// every write one TransactWriteItems through commit() (with its audit record). Access patterns: docs/data-model.md.
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, QueryCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#shared/audit.ts';
import { db, tableName } from '#shared/dynamodb.ts';
import { ConflictError, PreconditionFailedError, UnprocessableError } from '#shared/errors.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import { isOpenOnShelf } from './exchange-state.ts';
import { directoryKeys, referralKeys, type WorklistShelf } from './keys.ts';
import type { DirectoryEntry, Referral } from './schemas.ts';

export interface Page<T> {
  items: T[];
  after?: Record<string, unknown>;
}

export interface DirectorySearch {
  specialty?: string;
  name?: string;
  kind?: DirectoryEntry['kind'];
  limit: number;
  after?: Record<string, unknown>;
}

export interface RecordWrite {
  audit: AuditEvent[];
  response?: StoredResponse;
  /** Other contexts' or modules' writes that belong to the same change (grants, a received document). */
  ops?: WriteOp[];
}

/** The frozen packet as it was sent. */
export interface PacketDocuments {
  /** The FHIR document Bundle, JSON exactly as hashed. */
  bundle: string;
  /** The C-CDA Referral Note, XML exactly as hashed. */
  ccda: string;
}

export interface ConsultNote {
  referralId: string;
  patientId: string;
  receivedAt: string;
  /** Where it came from: the FHIR store (Task.output) or the API (ref-ext). */
  via: 'fhir' | 'api';
  title: string;
  contentType: string;
  /** The note's content, base64. */
  data: string;
  author?: string;
}

export interface ReferralStore {
  directoryEntry(id: string): Promise<DirectoryEntry | undefined>;
  createDirectoryEntry(ctx: WriteContext, entry: DirectoryEntry, write: RecordWrite): Promise<void>;
  replaceDirectoryEntry(
    ctx: WriteContext,
    before: DirectoryEntry,
    after: DirectoryEntry,
    write: RecordWrite,
  ): Promise<void>;
  /** One Query page: by specialty (gsi2) or by name (gsi1), name prefix as a key condition. */
  searchDirectory(search: DirectorySearch): Promise<Page<DirectoryEntry>>;

  referral(id: string): Promise<Referral | undefined>;
  /** The referral (and, when sent, its frozen packet): written only if new. */
  createReferral(
    ctx: WriteContext,
    referral: Referral,
    packet: PacketDocuments | undefined,
    write: RecordWrite,
  ): Promise<void>;
  /** The referral as changed, written only if it is still at the version read. */
  replaceReferral(
    ctx: WriteContext,
    before: Referral,
    after: Referral,
    write: RecordWrite & { packet?: PacketDocuments; consultNote?: ConsultNote },
  ): Promise<void>;
  packet(id: string, format: 'fhir' | 'ccda'): Promise<string | undefined>;
  consultNote(id: string): Promise<ConsultNote | undefined>;
  /** One Query: a worklist shelf. OPEN is read whole (up to 1 MB); DONE one page, newest first. */
  worklist(
    direction: Referral['direction'],
    shelf: WorklistShelf,
    page?: { limit: number; after?: Record<string, unknown> },
  ): Promise<Page<Referral> & { complete: boolean }>;
  /** Every referral sent in [from, to) (ISO instants), for metrics: one Query per 1 MB. */
  sentBetween(direction: Referral['direction'], from: string, to: string): Promise<Referral[]>;
  /** Records what the exchange told or saw in the FHIR store, without a new version of the referral. */
  noteExchange(
    referral: Referral,
    exchange: NonNullable<Referral['exchange']>,
    shelf: WorklistShelf,
  ): Promise<void>;
}

const MAX_DOCUMENT_BYTES = 350_000;

function referralItem(
  r: Referral,
  shelf: WorklistShelf = isOpenOnShelf(r) ? 'OPEN' : 'DONE',
): Record<string, unknown> {
  return {
    ...referralKeys.item(r.id),
    type: 'Referral',
    gsi1pk: referralKeys.worklist.pk(r.direction, shelf),
    gsi1sk: referralKeys.worklist.sk(shelf === 'OPEN' ? r.dueDate : r.updatedAt, r.id),
    ...(r.sentAt
      ? { gsi2pk: referralKeys.bySent.pk(r.direction), gsi2sk: referralKeys.bySent.sk(r.sentAt, r.id) }
      : {}),
    ...r,
  };
}

function directoryItem(e: DirectoryEntry): Record<string, unknown> {
  return {
    ...directoryKeys.item(e.id),
    type: 'DirectoryEntry',
    gsi1pk: directoryKeys.byName.pk,
    gsi1sk: directoryKeys.byName.sk(e.name, e.id),
    gsi2pk: directoryKeys.bySpecialty.pk(e.specialty.code),
    gsi2sk: directoryKeys.bySpecialty.sk(e.name, e.id),
    ...e,
  };
}

function npiGuardPut(e: DirectoryEntry): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: { ...directoryKeys.npiGuard(e.npi), type: 'DirectoryNpiGuard', directoryEntryId: e.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () =>
      new ConflictError('Another directory entry has this NPI', [
        { field: 'body.npi', message: 'Already in the directory' },
      ]),
  };
}

function documentPut(key: { pk: string; sk: string }, type: string, text: string, field: string): WriteOp {
  const data = gzipSync(Buffer.from(text, 'utf8'));
  if (data.length > MAX_DOCUMENT_BYTES)
    throw new UnprocessableError('The packet is too large to send; choose fewer records', [
      { field, message: `Compressed to ${data.length} bytes; at most ${MAX_DOCUMENT_BYTES}` },
    ]);
  return {
    item: { Put: { TableName: tableName(), Item: { ...key, type, data: new Uint8Array(data) } } },
  };
}

function packetPuts(id: string, packet: PacketDocuments): WriteOp[] {
  return [
    documentPut(referralKeys.packetBundle(id), 'ReferralPacketBundle', packet.bundle, 'body.packet'),
    documentPut(referralKeys.packetCcda(id), 'ReferralPacketCcda', packet.ccda, 'body.packet'),
  ];
}

function versioned(after: Referral, before: Referral): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: referralItem(after),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': before.version },
      },
    },
    onConditionFailed: () =>
      new PreconditionFailedError('The referral changed since you read it; read it again'),
  };
}

export class DynamoReferralStore implements ReferralStore {
  async directoryEntry(id: string): Promise<DirectoryEntry | undefined> {
    const out = await db().send(
      new GetCommand({ TableName: tableName(), Key: directoryKeys.item(id), ConsistentRead: true }),
    );
    return out.Item ? recordOf<DirectoryEntry>(out.Item) : undefined;
  }

  async createDirectoryEntry(ctx: WriteContext, entry: DirectoryEntry, write: RecordWrite): Promise<void> {
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: directoryItem(entry),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () => new ConflictError('A directory entry with this id already exists'),
        },
        npiGuardPut(entry),
        ...(write.ops ?? []),
      ],
      audit: write.audit,
      ...(write.response ? { response: write.response } : {}),
    });
  }

  async replaceDirectoryEntry(
    ctx: WriteContext,
    before: DirectoryEntry,
    after: DirectoryEntry,
    write: RecordWrite,
  ): Promise<void> {
    const ops: WriteOp[] = [
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: directoryItem(after),
            ConditionExpression: 'attribute_exists(pk) AND version = :expected',
            ExpressionAttributeValues: { ':expected': before.version },
          },
        },
        onConditionFailed: () =>
          new PreconditionFailedError('The directory entry changed since you read it; read it again'),
      },
    ];
    if (after.npi !== before.npi)
      ops.push(npiGuardPut(after), {
        item: {
          Delete: {
            TableName: tableName(),
            Key: directoryKeys.npiGuard(before.npi),
            ConditionExpression: 'directoryEntryId = :id',
            ExpressionAttributeValues: { ':id': before.id },
          },
        },
      });
    await commit(ctx, {
      ops: [...ops, ...(write.ops ?? [])],
      audit: write.audit,
      ...(write.response ? { response: write.response } : {}),
    });
  }

  async searchDirectory(search: DirectorySearch): Promise<Page<DirectoryEntry>> {
    const bySpecialty = search.specialty !== undefined;
    const index = bySpecialty ? directoryKeys.bySpecialty.index : directoryKeys.byName.index;
    const names: Record<string, string> = { '#pk': `${index}pk` };
    const values: Record<string, unknown> = {
      ':pk': bySpecialty ? directoryKeys.bySpecialty.pk(search.specialty as string) : directoryKeys.byName.pk,
    };
    let condition = '#pk = :pk';
    const prefix = search.name ? directoryKeys.byName.prefix(search.name) : '';
    if (prefix) {
      condition += ' AND begins_with(#sk, :prefix)';
      names['#sk'] = `${index}sk`;
      values[':prefix'] = prefix;
    }
    const input: QueryCommandInput = {
      TableName: tableName(),
      IndexName: index,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: search.limit,
      ...(search.after ? { ExclusiveStartKey: search.after } : {}),
    };
    if (search.kind) {
      input.FilterExpression = '#kind = :kind';
      names['#kind'] = 'kind';
      values[':kind'] = search.kind;
    }
    const out = await db().send(new QueryCommand(input));
    return {
      items: (out.Items ?? []).map((i) => recordOf<DirectoryEntry>(i)),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
    };
  }

  async referral(id: string): Promise<Referral | undefined> {
    const out = await db().send(
      new GetCommand({ TableName: tableName(), Key: referralKeys.item(id), ConsistentRead: true }),
    );
    return out.Item ? recordOf<Referral>(out.Item) : undefined;
  }

  async createReferral(
    ctx: WriteContext,
    referral: Referral,
    packet: PacketDocuments | undefined,
    write: RecordWrite,
  ): Promise<void> {
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: referralItem(referral),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () => new ConflictError('A referral with this id already exists'),
        },
        ...(packet ? packetPuts(referral.id, packet) : []),
        ...(write.ops ?? []),
      ],
      audit: write.audit,
      ...(write.response ? { response: write.response } : {}),
    });
  }

  async replaceReferral(
    ctx: WriteContext,
    before: Referral,
    after: Referral,
    write: RecordWrite & { packet?: PacketDocuments; consultNote?: ConsultNote },
  ): Promise<void> {
    await commit(ctx, {
      ops: [
        versioned(after, before),
        ...(write.packet ? packetPuts(after.id, write.packet) : []),
        ...(write.consultNote
          ? [
              {
                item: {
                  Put: {
                    TableName: tableName(),
                    Item: {
                      ...referralKeys.consultNote(after.id),
                      type: 'ReferralConsultNote',
                      ...write.consultNote,
                    },
                  },
                },
              },
            ]
          : []),
        ...(write.ops ?? []),
      ],
      audit: write.audit,
      ...(write.response ? { response: write.response } : {}),
    });
  }

  async packet(id: string, format: 'fhir' | 'ccda'): Promise<string | undefined> {
    const key = format === 'fhir' ? referralKeys.packetBundle(id) : referralKeys.packetCcda(id);
    const out = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
    const data = out.Item?.data as Uint8Array | undefined;
    return data ? gunzipSync(data).toString('utf8') : undefined;
  }

  async consultNote(id: string): Promise<ConsultNote | undefined> {
    const out = await db().send(
      new GetCommand({ TableName: tableName(), Key: referralKeys.consultNote(id), ConsistentRead: true }),
    );
    return out.Item ? recordOf<ConsultNote>(out.Item) : undefined;
  }

  async worklist(
    direction: Referral['direction'],
    shelf: WorklistShelf,
    page?: { limit: number; after?: Record<string, unknown> },
  ): Promise<Page<Referral> & { complete: boolean }> {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: referralKeys.worklist.index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': referralKeys.worklist.pk(direction, shelf) },
        ...(page ? { Limit: page.limit, ScanIndexForward: false } : {}),
        ...(page?.after ? { ExclusiveStartKey: page.after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => recordOf<Referral>(i)),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
      complete: page !== undefined || out.LastEvaluatedKey === undefined,
    };
  }

  async sentBetween(direction: Referral['direction'], from: string, to: string): Promise<Referral[]> {
    const items: Referral[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: referralKeys.bySent.index,
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': referralKeys.bySent.pk(direction),
            ':from': from,
            ':to': `${to}~`,
          },
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      items.push(...(out.Items ?? []).map((i) => recordOf<Referral>(i)));
      after = out.LastEvaluatedKey;
    } while (after);
    return items;
  }

  async noteExchange(
    referral: Referral,
    exchange: NonNullable<Referral['exchange']>,
    shelf: WorklistShelf,
  ): Promise<void> {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: referralKeys.item(referral.id),
        UpdateExpression: 'SET exchange = :exchange, gsi1pk = :pk, gsi1sk = :sk',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':exchange': exchange,
          ':version': referral.version,
          ':pk': referralKeys.worklist.pk(referral.direction, shelf),
          ':sk': referralKeys.worklist.sk(
            shelf === 'OPEN' ? referral.dueDate : referral.updatedAt,
            referral.id,
          ),
        },
      }),
    );
  }
}
