// Chart persistence: the ChartStore port and its DynamoDB adapter. Every read is one GetItem or one Query page; every
// write is one TransactWriteItems (through commit(), with its audit record). Access patterns: docs/charting.md.
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Patient } from '#functions/patients/index.ts';
import { type Reference, referencesMustExist } from '#functions/scheduling/index.ts';
import type { AuditEvent } from '#shared/audit.ts';
import { nowIso } from '#shared/clock.ts';
import { db, queryAll, tableName } from '#shared/dynamodb.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, UnprocessableError } from '#shared/errors.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import { chartKeys, templateKeys } from './keys.ts';
import {
  type AddressableKind,
  type AnyRecord,
  CHART_KINDS,
  chartKind,
  KIND_OF_ITEM_TYPE,
  type Kind,
  type RecordTypes,
} from './kinds.ts';
import type { Addendum, Allergy, LabResult, Note, NoteTemplate } from './schemas.ts';
import type { DynamoFilter } from './visibility.ts';

export interface Page<T> {
  items: T[];
  /** DynamoDB position to continue from. */
  after?: Record<string, unknown>;
  /**
   * What the page proved about the patient: `true` when it read any item of the patient's (items are only written
   * while the patient exists), `false` when its range held the profile item and it read nothing, else unknown.
   */
  patientExists?: boolean;
}

export interface PageRequest {
  limit: number;
  after?: Record<string, unknown>;
}

export interface TimelineItem {
  type: Kind;
  /** The clinical date the timeline orders by. */
  date: string;
  record: AnyRecord;
}

/** One entry of the chart read: the patient profile or a chart record. */
export type ChartItem = { type: 'patient'; record: Patient } | { type: Kind; record: AnyRecord };

export interface RecordWrite {
  audit: AuditEvent[];
  response: StoredResponse;
  /** Providers, locations and appointments the record names: each must exist (checked in the same transaction). */
  references?: readonly Reference[];
}

export interface ChartStore {
  get<K extends AddressableKind>(kind: K, patientId: string, id: string): Promise<RecordTypes[K] | undefined>;
  /** A note and its addenda, oldest addendum first: one Query. */
  noteWithAddenda(patientId: string, noteId: string): Promise<{ note?: Note; addenda: Addendum[] }>;
  /** Every allergy record and the version of the list lock: one Query. */
  allergies(patientId: string): Promise<{ listVersion?: number; allergies: Allergy[] }>;
  /** One page of a kind: state kinds in creation order, history kinds newest first. */
  list<K extends AddressableKind>(
    kind: K,
    patientId: string,
    page: PageRequest & { filter: DynamoFilter },
  ): Promise<Page<RecordTypes[K]>>;
  /** Does the patient exist? One consistent GetItem of the profile (for lists whose page could not tell). */
  patientExists(patientId: string): Promise<boolean>;
  /** The chart read: one Query; `complete` is false when the chart outgrew one page. */
  chart(patientId: string): Promise<{ items: ChartItem[]; complete: boolean }>;
  timeline(
    patientId: string,
    page: PageRequest & { from?: string; to?: string; filter: DynamoFilter },
  ): Promise<Page<TimelineItem>>;
  inbox(providerId: string, page: PageRequest): Promise<Page<LabResult>>;
  /** A new record, written only if the patient (and, when named, the encounter and its references) exist. */
  create<K extends Kind>(
    ctx: WriteContext,
    kind: K,
    record: RecordTypes[K],
    write: RecordWrite & { encounter?: { id: string; field: string } },
  ): Promise<void>;
  /** The record as changed, written only if it is still at the version read and its references exist. */
  replace<K extends AddressableKind>(
    ctx: WriteContext,
    kind: K,
    before: RecordTypes[K],
    after: RecordTypes[K],
    write: RecordWrite,
  ): Promise<void>;
  /** Allergy changes, serialised per patient by the list lock's version. */
  writeAllergies(
    ctx: WriteContext,
    patientId: string,
    change: RecordWrite & { listVersion?: number; create?: Allergy; replace: [Allergy, Allergy][] },
  ): Promise<void>;
  /** An addendum, written only while its note is signed. */
  addAddendum(ctx: WriteContext, addendum: Addendum, write: RecordWrite): Promise<void>;
  templates(): Promise<NoteTemplate[]>;
  template(id: string): Promise<NoteTemplate | undefined>;
  createTemplate(ctx: WriteContext, template: NoteTemplate, write: RecordWrite): Promise<void>;
}

// ── Items ────────────────────────────────────────────────────────────────────────────────────────────────────
/** The stored item of a chart record: the record plus its keys and index keys (kinds.ts says which). */
export function toItem<K extends Kind>(kind: K, record: RecordTypes[K]): Record<string, unknown> {
  const row = chartKind(kind);
  return {
    ...record,
    pk: chartKeys.partition(record.patientId),
    sk: row.sortKey(record),
    type: row.itemType,
    gsi2pk: chartKeys.timeline.pk(record.patientId),
    gsi2sk: chartKeys.timeline.sk(row.clinicalDate(record), row.itemType, record.id),
    ...row.indexKeys?.(record),
  };
}

/** A note's summary: everything but the section text, in the chart range. */
function noteSummaryItem(note: Note): Record<string, unknown> {
  const { subjective: _s, objective: _o, assessment: _a, plan: _p, addenda: _addenda, ...summary } = note;
  return {
    ...summary,
    pk: chartKeys.partition(note.patientId),
    sk: chartKeys.noteSummary(note.id),
    type: CHART_KINDS.note.summaryItemType,
  };
}

/** Every item a record is stored as: the record, and for a note also its summary. */
export function toItems<K extends Kind>(kind: K, record: RecordTypes[K]): Record<string, unknown>[] {
  return kind === 'note' ? [toItem(kind, record), noteSummaryItem(record as Note)] : [toItem(kind, record)];
}

/** The summary rides along with its note, unconditionally: the note's own condition guards both. */
function summaryPut<K extends Kind>(kind: K, record: RecordTypes[K]): WriteOp[] {
  return kind === 'note'
    ? [{ item: { Put: { TableName: table(), Item: noteSummaryItem(record as Note) } } }]
    : [];
}

function fromItem<T>(item: Record<string, unknown>): T {
  return recordOf<T>(item);
}

function table() {
  return tableName();
}

// ── Write operations ─────────────────────────────────────────────────────────────────────────────────────────
export function putNew<K extends Kind>(kind: K, record: RecordTypes[K]): WriteOp {
  return {
    item: {
      Put: {
        TableName: table(),
        Item: toItem(kind, record),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () => new ConflictError('A record with this id already exists'),
  };
}

function putReplacing<K extends Kind>(kind: K, before: RecordTypes[K], after: RecordTypes[K]): WriteOp {
  return {
    item: {
      Put: {
        TableName: table(),
        Item: toItem(kind, after),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': before.version },
      },
    },
    onConditionFailed: () =>
      new PreconditionFailedError('The record changed since you read it; read it again'),
  };
}

function mustExist(pk: string, sk: string, error: () => Error): WriteOp {
  return {
    item: {
      ConditionCheck: { TableName: table(), Key: { pk, sk }, ConditionExpression: 'attribute_exists(pk)' },
    },
    onConditionFailed: error,
  };
}

const patientMustExist = (patientId: string) =>
  mustExist(chartKeys.partition(patientId), chartKeys.profile, () => new NotFoundError('No such patient'));

const encounterMustExist = (patientId: string, encounter: { id: string; field: string }) =>
  mustExist(
    chartKeys.partition(patientId),
    chartKeys.encounter(encounter.id),
    () =>
      new UnprocessableError('The encounter does not exist in this patient’s chart', [
        { field: encounter.field, message: 'No such encounter for this patient' },
      ]),
  );

function allergyListLock(ctx: WriteContext, patientId: string, listVersion: number | undefined): WriteOp {
  return {
    item: {
      Put: {
        TableName: table(),
        Item: {
          pk: chartKeys.partition(patientId),
          sk: chartKeys.allergyList,
          type: 'AllergyList',
          id: patientId,
          patientId,
          version: (listVersion ?? 0) + 1,
          updatedAt: nowIso(),
          updatedBy: ctx.principal?.sub ?? 'system',
        },
        ...(listVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': listVersion },
            }),
      },
    },
    onConditionFailed: () =>
      new ConflictError('The allergy list changed while this request ran; read it again and retry'),
  };
}

// ── The DynamoDB adapter ─────────────────────────────────────────────────────────────────────────────────────
export class DynamoChartStore implements ChartStore {
  async get<K extends AddressableKind>(
    kind: K,
    patientId: string,
    id: string,
  ): Promise<RecordTypes[K] | undefined> {
    const out = await db().send(
      new GetCommand({
        TableName: table(),
        Key: { pk: chartKeys.partition(patientId), sk: chartKind(kind).sortKey({ id }) },
        ConsistentRead: true,
      }),
    );
    return out.Item && out.Item.type === chartKind(kind).itemType
      ? fromItem<RecordTypes[K]>(out.Item)
      : undefined;
  }

  async noteWithAddenda(patientId: string, noteId: string): Promise<{ note?: Note; addenda: Addendum[] }> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :note)',
        ExpressionAttributeValues: { ':pk': chartKeys.partition(patientId), ':note': chartKeys.note(noteId) },
        ConsistentRead: true,
      }),
    );
    const items = out.Items ?? [];
    const note = items.find((i) => i.type === CHART_KINDS.note.itemType);
    const addenda = items
      .filter((i) => i.type === CHART_KINDS.addendum.itemType)
      .map((i) => fromItem<Addendum>(i));
    return { ...(note ? { note: fromItem<Note>(note) } : {}), addenda };
  }

  async allergies(patientId: string): Promise<{ listVersion?: number; allergies: Allergy[] }> {
    // A patient's allergy list is a few kilobytes: one page in practice.
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': chartKeys.partition(patientId),
        ':prefix': chartKeys.allergyPrefix,
      },
      ConsistentRead: true,
    });
    const list = items.find((i) => i.sk === chartKeys.allergyList);
    return {
      ...(list ? { listVersion: list.version as number } : {}),
      allergies: items
        .filter((i) => i.type === CHART_KINDS.allergy.itemType)
        .map((i) => fromItem<Allergy>(i)),
    };
  }

  async list<K extends AddressableKind>(
    kind: K,
    patientId: string,
    page: PageRequest & { filter: DynamoFilter },
  ): Promise<Page<RecordTypes[K]>> {
    const prefix = chartKind(kind).listPrefix ?? chartKeys.historyPrefix;
    const withProfile = chartKeys.listRangeWithProfile[kind];
    // The profile item fails the type filter, so it is never returned; on a first page that reads it first it does
    // not take one of the page's places either.
    const extra = withProfile?.profileFirst && !page.after ? 1 : 0;
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: withProfile
          ? 'pk = :pk AND sk BETWEEN :from AND :to'
          : 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: page.filter.expression,
        ExpressionAttributeNames: page.filter.names,
        ExpressionAttributeValues: {
          ...page.filter.values,
          ':pk': chartKeys.partition(patientId),
          ...(withProfile ? { ':from': withProfile.from, ':to': withProfile.to } : { ':prefix': prefix }),
        },
        ConsistentRead: true,
        Limit: page.limit + extra,
        ...(page.after ? { ExclusiveStartKey: page.after } : {}),
      }),
    );
    const read = (out.ScannedCount ?? 0) > 0;
    return {
      items: (out.Items ?? []).map((i) => fromItem<RecordTypes[K]>(i)),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
      ...(read ? { patientExists: true } : withProfile && !page.after ? { patientExists: false } : {}),
    };
  }

  async patientExists(patientId: string): Promise<boolean> {
    const out = await db().send(
      new GetCommand({
        TableName: table(),
        Key: { pk: chartKeys.partition(patientId), sk: chartKeys.profile },
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined;
  }

  async chart(patientId: string): Promise<{ items: ChartItem[]; complete: boolean }> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': chartKeys.partition(patientId),
          ':from': chartKeys.chartRange.from,
          ':to': chartKeys.chartRange.to,
        },
        ConsistentRead: true,
      }),
    );
    const items: ChartItem[] = [];
    for (const item of out.Items ?? []) {
      if (item.sk === chartKeys.profile) items.push({ type: 'patient', record: fromItem<Patient>(item) });
      const kind = KIND_OF_ITEM_TYPE[item.type as string];
      if (kind) items.push({ type: kind, record: fromItem<AnyRecord>(item) } as ChartItem);
    }
    return { items, complete: out.LastEvaluatedKey === undefined };
  }

  async timeline(
    patientId: string,
    page: PageRequest & { from?: string; to?: string; filter: DynamoFilter },
  ): Promise<Page<TimelineItem>> {
    const { index, pk } = chartKeys.timeline;
    const values: Record<string, unknown> = { ...page.filter.values, ':pk': pk(patientId) };
    let keyCondition = 'gsi2pk = :pk';
    if (page.from !== undefined) values[':from'] = page.from;
    if (page.to !== undefined) values[':to'] = page.to;
    if (page.from !== undefined && page.to !== undefined) keyCondition += ' AND gsi2sk BETWEEN :from AND :to';
    else if (page.from !== undefined) keyCondition += ' AND gsi2sk >= :from';
    else if (page.to !== undefined) keyCondition += ' AND gsi2sk <= :to';
    const input: QueryCommandInput = {
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: keyCondition,
      FilterExpression: page.filter.expression,
      ExpressionAttributeNames: page.filter.names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: page.limit,
      ...(page.after ? { ExclusiveStartKey: page.after } : {}),
    };
    const out = await db().send(new QueryCommand(input));
    const items: TimelineItem[] = [];
    for (const item of out.Items ?? []) {
      const type = KIND_OF_ITEM_TYPE[item.type as string];
      if (!type) continue;
      items.push({ type, date: String(item.gsi2sk).split('#')[0] ?? '', record: fromItem<AnyRecord>(item) });
    }
    return {
      items,
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
      ...((out.ScannedCount ?? 0) > 0 ? { patientExists: true } : {}),
    };
  }

  async inbox(providerId: string, page: PageRequest): Promise<Page<LabResult>> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: chartKeys.inbox.index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': chartKeys.inbox.pk(providerId) },
        ScanIndexForward: true,
        Limit: page.limit,
        ...(page.after ? { ExclusiveStartKey: page.after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => fromItem<LabResult>(i)),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
    };
  }

  async create<K extends Kind>(
    ctx: WriteContext,
    kind: K,
    record: RecordTypes[K],
    write: RecordWrite & { encounter?: { id: string; field: string } },
  ): Promise<void> {
    // A record of an encounter proves the patient exists (the encounter is in the patient's partition).
    const guard = write.encounter
      ? encounterMustExist(record.patientId, write.encounter)
      : patientMustExist(record.patientId);
    await commit(ctx, {
      ops: [
        putNew(kind, record),
        guard,
        ...summaryPut(kind, record),
        ...referencesMustExist(write.references ?? []),
      ],
      audit: write.audit,
      response: write.response,
    });
  }

  async replace<K extends AddressableKind>(
    ctx: WriteContext,
    kind: K,
    before: RecordTypes[K],
    after: RecordTypes[K],
    write: RecordWrite,
  ): Promise<void> {
    await commit(ctx, {
      ops: [
        putReplacing(kind, before, after),
        ...summaryPut(kind, after),
        ...referencesMustExist(write.references ?? []),
      ],
      audit: write.audit,
      response: write.response,
    });
  }

  async writeAllergies(
    ctx: WriteContext,
    patientId: string,
    change: RecordWrite & { listVersion?: number; create?: Allergy; replace: [Allergy, Allergy][] },
  ): Promise<void> {
    const ops: WriteOp[] = [allergyListLock(ctx, patientId, change.listVersion)];
    if (change.create) ops.push(putNew('allergy', change.create), patientMustExist(patientId));
    for (const [before, after] of change.replace) ops.push(putReplacing('allergy', before, after));
    await commit(ctx, { ops, audit: change.audit, response: change.response });
  }

  async addAddendum(ctx: WriteContext, addendum: Addendum, write: RecordWrite): Promise<void> {
    const noteSigned: WriteOp = {
      item: {
        ConditionCheck: {
          TableName: table(),
          Key: { pk: chartKeys.partition(addendum.patientId), sk: chartKeys.note(addendum.noteId) },
          ConditionExpression: '#status = :signed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':signed': 'signed' },
        },
      },
      onConditionFailed: () => new ConflictError('Addenda are added to signed notes only'),
    };
    await commit(ctx, {
      ops: [putNew('addendum', addendum), noteSigned],
      audit: write.audit,
      response: write.response,
    });
  }

  async templates(): Promise<NoteTemplate[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': templateKeys.partition, ':prefix': templateKeys.prefix },
      }),
    );
    return (out.Items ?? []).map((i) => fromItem<NoteTemplate>(i));
  }

  async template(id: string): Promise<NoteTemplate | undefined> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: templateKeys.item(id) }));
    return out.Item ? fromItem<NoteTemplate>(out.Item) : undefined;
  }

  async createTemplate(ctx: WriteContext, template: NoteTemplate, write: RecordWrite): Promise<void> {
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: table(),
              Item: { ...template, ...templateKeys.item(template.id), type: 'NoteTemplate' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () => new ConflictError('A template with this id already exists'),
        },
      ],
      audit: write.audit,
      response: write.response,
    });
  }
}
