// Scheduling persistence: the SchedulingStore port (what the use cases need) and its DynamoDB adapter on the single
// table. Every read is one GetItem, one BatchGetItem or one Query; every write is one TransactWriteItems (through
// commit(), with its audit record). Keys in keys.ts; access patterns and budgets in docs/data-model.md.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#shared/audit.ts';
import { nowIso } from '#shared/clock.ts';
import {
  db,
  getItem,
  getItems,
  type Item,
  itemAt,
  type Key,
  keyString,
  queryAll,
  tableName,
} from '#shared/dynamodb.ts';
import { ConflictError, UnprocessableError } from '#shared/errors.ts';
import type { HttpResult } from '#shared/http/result.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import type { Interval } from './availability.ts';
import type { Bucket, CalendarHour } from './calendar.ts';
import {
  appointmentKeys,
  appointmentTypeKeys,
  calendarHourKey,
  locationKeys,
  patientProfileKey,
  providerKeys,
} from './keys.ts';
import type { Appointment, AppointmentType, Location, Provider, Schedule } from './schemas.ts';

// ── The port ─────────────────────────────────────────────────────────────────────────────────────────────────

/** The practice's catalog: where, who and what kind of visit. */
export interface CatalogRecords {
  location: Location;
  provider: Provider;
  'appointment-type': AppointmentType;
}
export type CatalogKind = keyof CatalogRecords;
export type CatalogEntry = { [K in CatalogKind]: { kind: K; record: CatalogRecords[K] } }[CatalogKind];

/** A record of the practice that a body names, and where the body names it (`body.provider.id`). */
export type Reference =
  | { kind: 'provider'; id: string; field: string }
  | { kind: 'location'; id: string; field: string }
  /** An appointment must also be the patient's: a chart record cannot point at another patient's visit. */
  | { kind: 'appointment'; id: string; field: string; patientId: string };

/** What a write commits besides its items: its audit events and the answer an Idempotency-Key replays. */
export interface Write {
  audit: AuditEvent[];
  response: HttpResult;
}

/** What one read of a change fetches together (each part optional). */
export interface Reads {
  /** A provider's profile, by id. */
  provider?: string;
  /** A provider's schedule, by the provider's id. */
  schedule?: string;
  location?: string;
  appointmentType?: string;
  /** Whether this patient exists. */
  patient?: string;
  /** Hours of a provider's or a patient's calendar. */
  hours?: readonly CalendarHour[];
}

export interface Found {
  provider?: Provider | undefined;
  schedule?: Schedule | undefined;
  location?: Location | undefined;
  appointmentType?: AppointmentType | undefined;
  /** Set when a patient was asked for. */
  patientExists?: boolean | undefined;
  /** One per hour asked, in the order asked; an hour nothing was written to yet is empty at version 0. */
  buckets: Bucket[];
}

/** An appointment as stored: the record and the local date it is listed under at its location. */
export interface StoredAppointment {
  appointment: Appointment;
  localDate: string;
}

/** A change of calendar time: one transaction, or none of it. */
export interface CalendarChange extends Write {
  /** Hours to rewrite, each written only if still at the version read. */
  buckets: readonly Bucket[];
  /** The appointment created (no `before`), or changed from `before` (written only if still at its version). */
  appointment?: { after: Appointment; localDate: string; before?: Appointment | undefined };
  /** Another context's writes that belong to this change (the encounter a check-in opens). */
  alsoWrite?: readonly WriteOp[];
}

/**
 * Thrown by a write when something it was decided on (a calendar hour, the appointment, the schedule) changed
 * since it was read: the use case reads again and decides again, or answers 412.
 */
export class StaleRead extends Error {
  constructor() {
    super('Changed since it was read');
  }
}

export interface SchedulingStore {
  catalogEntry<K extends CatalogKind>(kind: K, id: string): Promise<CatalogRecords[K] | undefined>;
  /** One name-ordered page of a catalog. */
  catalogPage<K extends CatalogKind>(
    kind: K,
    page: { limit: number; after?: Record<string, unknown> | undefined },
  ): Promise<{ items: CatalogRecords[K][]; after?: Record<string, unknown> | undefined }>;
  /**
   * A new catalog entry, written only if its id is new and every reference exists. A provider comes with its NPI
   * (unique in the practice: else a 409) and an empty schedule at version 1.
   */
  addToCatalog(
    ctx: WriteContext,
    entry: CatalogEntry,
    write: Write & { references?: readonly Reference[] },
  ): Promise<void>;

  schedule(providerId: string): Promise<Schedule | undefined>;
  /** The schedule as changed, written only if still at `before`'s version (else StaleRead). */
  replaceSchedule(ctx: WriteContext, before: Schedule, after: Schedule, write: Write): Promise<void>;

  /** Everything a change names, in one consistent read. */
  read(reads: Reads): Promise<Found>;
  /** Every interval in a provider's hours from one UTC date to another, inclusive (repeated per hour it spans). */
  providerIntervals(providerId: string, fromDate: string, toDate: string): Promise<Interval[]>;

  appointment(id: string): Promise<StoredAppointment | undefined>;
  /** Commits a change of calendar time (StaleRead when an hour or the appointment changed since read). */
  commit(ctx: WriteContext, change: CalendarChange): Promise<void>;
  /** The appointments listed on one local date of a location, by start. */
  locationDay(locationId: string, localDate: string): Promise<Appointment[]>;
  /** A patient's appointments, by start. */
  patientAppointments(patientId: string): Promise<Appointment[]>;
  patientExists(patientId: string): Promise<boolean>;
}

// ── The DynamoDB adapter ─────────────────────────────────────────────────────────────────────────────────────

const CATALOG: { [K in CatalogKind]: { type: string; key: (id: string) => Key; byName: string } } = {
  location: { type: 'Location', key: locationKeys.item, byName: locationKeys.byName.pk },
  provider: { type: 'Provider', key: providerKeys.profile, byName: providerKeys.byName.pk },
  'appointment-type': {
    type: 'AppointmentType',
    key: appointmentTypeKeys.item,
    byName: appointmentTypeKeys.byName.pk,
  },
};

/** Where an entry sorts in its catalog's name index. */
function nameSortKey(entry: CatalogEntry): string {
  switch (entry.kind) {
    case 'location':
      return locationKeys.byName.sk(entry.record.name, entry.record.id);
    case 'provider':
      return providerKeys.byName.sk(entry.record.name.family, entry.record.id);
    case 'appointment-type':
      return appointmentTypeKeys.byName.sk(entry.record.name, entry.record.id);
  }
}

const stale = () => new StaleRead();

/** The write's audit and the answer remembered for its Idempotency-Key, as commit() takes them. */
const remembered = (write: Write) => ({
  audit: write.audit,
  response: {
    status: write.response.status,
    headers: write.response.headers ?? {},
    body: write.response.body,
  },
});

function scheduleOf(item: Item, providerId: string): Schedule {
  return {
    providerId,
    version: (item.version as number | undefined) ?? 0,
    updatedAt: (item.updatedAt as string | undefined) ?? nowIso(),
    templates: (item.templates as Schedule['templates'] | undefined) ?? [],
    exceptions: (item.exceptions as Schedule['exceptions'] | undefined) ?? [],
  };
}

/** The appointment item with its index attributes (the location's day on gsi1, the patient's list on gsi2). */
function appointmentItem(a: Appointment, localDate: string): Item {
  return {
    ...appointmentKeys.item(a.id),
    type: 'Appointment',
    gsi1pk: appointmentKeys.byLocationDay.pk(a.locationId, localDate),
    gsi1sk: appointmentKeys.byLocationDay.sk(a.start, a.id),
    gsi2pk: appointmentKeys.byPatient.pk(a.patientId),
    gsi2sk: appointmentKeys.byPatient.sk(a.start, a.id),
    ...a,
  };
}

/** A Put of a record that must not exist yet. */
function putNew(item: Item): WriteOp {
  return {
    item: { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
  };
}

/** A Put that replaces an item only while it is still at the version read. */
function putOnVersion(item: Item, version: number): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: item,
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': version },
      },
    },
    onConditionFailed: stale,
  };
}

/** The hour written on the version read: created if it was never written (version 0), else replaced. */
function putBucket(b: Bucket): WriteOp {
  const item = { ...calendarHourKey(b), type: 'CalendarDay', version: b.version + 1, intervals: b.intervals };
  return b.version === 0 ? { ...putNew(item), onConditionFailed: stale } : putOnVersion(item, b.version);
}

export class DynamoSchedulingStore implements SchedulingStore {
  async catalogEntry<K extends CatalogKind>(kind: K, id: string): Promise<CatalogRecords[K] | undefined> {
    const item = await getItem(CATALOG[kind].key(id));
    return item ? recordOf<CatalogRecords[K]>(item) : undefined;
  }

  async catalogPage<K extends CatalogKind>(
    kind: K,
    page: { limit: number; after?: Record<string, unknown> | undefined },
  ) {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': CATALOG[kind].byName },
        Limit: page.limit,
        ...(page.after ? { ExclusiveStartKey: page.after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => recordOf<CatalogRecords[K]>(i)),
      after: out.LastEvaluatedKey,
    };
  }

  async addToCatalog(
    ctx: WriteContext,
    entry: CatalogEntry,
    write: Write & { references?: readonly Reference[] },
  ): Promise<void> {
    const catalog = CATALOG[entry.kind];
    const ops: WriteOp[] = [
      putNew({
        ...catalog.key(entry.record.id),
        type: catalog.type,
        gsi1pk: catalog.byName,
        gsi1sk: nameSortKey(entry),
        ...entry.record,
      }),
      // Before the NPI guard, so a bad location is reported as such whatever the NPI.
      ...referencesMustExist(write.references ?? []),
    ];
    if (entry.kind === 'provider') {
      const provider = entry.record;
      ops.push(
        {
          ...putNew({ ...providerKeys.npiGuard(provider.npi), type: 'NpiGuard', providerId: provider.id }),
          onConditionFailed: () =>
            new ConflictError('Another provider has this NPI', [
              { field: 'body.npi', message: 'Already in use' },
            ]),
        },
        {
          // A new provider's schedule exists from the start (version 1), so the first PUT has an ETag to match.
          item: {
            Put: {
              TableName: tableName(),
              Item: {
                ...providerKeys.schedule(provider.id),
                type: 'Schedule',
                providerId: provider.id,
                version: 1,
                updatedAt: provider.createdAt,
                templates: [],
                exceptions: [],
              },
            },
          },
        },
      );
    }
    await commit(ctx, { ops, ...remembered(write) });
  }

  async schedule(providerId: string): Promise<Schedule | undefined> {
    const item = await getItem(providerKeys.schedule(providerId));
    return item ? scheduleOf(item, providerId) : undefined;
  }

  async replaceSchedule(ctx: WriteContext, before: Schedule, after: Schedule, write: Write): Promise<void> {
    await commit(ctx, {
      ops: [
        putOnVersion(
          { ...providerKeys.schedule(after.providerId), type: 'Schedule', ...after },
          before.version,
        ),
      ],
      ...remembered(write),
    });
  }

  async read(reads: Reads): Promise<Found> {
    const keys = {
      provider: reads.provider ? providerKeys.profile(reads.provider) : undefined,
      schedule: reads.schedule ? providerKeys.schedule(reads.schedule) : undefined,
      location: reads.location ? locationKeys.item(reads.location) : undefined,
      appointmentType: reads.appointmentType ? appointmentTypeKeys.item(reads.appointmentType) : undefined,
      patient: reads.patient ? patientProfileKey(reads.patient) : undefined,
    };
    const hours = reads.hours ?? [];
    const items = await getItems([
      ...Object.values(keys).filter((k): k is Key => k !== undefined),
      ...hours.map(calendarHourKey),
    ]);
    const found = (key: Key | undefined) => (key ? itemAt(items, key) : undefined);
    const record = <T>(key: Key | undefined) => {
      const item = found(key);
      return item ? recordOf<T>(item) : undefined;
    };
    const scheduleItem = found(keys.schedule);
    return {
      provider: record<Provider>(keys.provider),
      schedule: scheduleItem && reads.schedule ? scheduleOf(scheduleItem, reads.schedule) : undefined,
      location: record<Location>(keys.location),
      appointmentType: record<AppointmentType>(keys.appointmentType),
      ...(keys.patient ? { patientExists: found(keys.patient) !== undefined } : {}),
      buckets: hours.map((hour) => {
        const item = itemAt(items, calendarHourKey(hour));
        return {
          ...hour,
          version: (item?.version as number | undefined) ?? 0,
          intervals: (item?.intervals as Interval[] | undefined) ?? [],
        };
      }),
    };
  }

  async providerIntervals(providerId: string, fromDate: string, toDate: string): Promise<Interval[]> {
    // Buckets are small (an hour holds a few intervals), so 31 days fit one 1 MB page.
    const range = providerKeys.calendarRange(fromDate, toDate);
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': providerKeys.partition(providerId),
        ':from': range.from,
        ':to': range.to,
      },
    });
    return items.flatMap((d) => (d.intervals as Interval[] | undefined) ?? []);
  }

  async appointment(id: string): Promise<StoredAppointment | undefined> {
    const item = await getItem(appointmentKeys.item(id));
    if (!item) return undefined;
    return {
      appointment: recordOf<Appointment>(item),
      localDate: appointmentKeys.byLocationDay.localDateOf(item.gsi1pk as string),
    };
  }

  async commit(ctx: WriteContext, change: CalendarChange): Promise<void> {
    const appointment = change.appointment;
    const ops: WriteOp[] = [
      ...change.buckets.map(putBucket),
      ...(appointment
        ? [
            appointment.before
              ? putOnVersion(
                  appointmentItem(appointment.after, appointment.localDate),
                  appointment.before.version,
                )
              : putNew(appointmentItem(appointment.after, appointment.localDate)),
          ]
        : []),
      ...(change.alsoWrite ?? []),
    ];
    await commit(ctx, { ops, ...remembered(change) });
  }

  async locationDay(locationId: string, localDate: string): Promise<Appointment[]> {
    return this.appointmentsOn('gsi1', appointmentKeys.byLocationDay.pk(locationId, localDate));
  }

  async patientAppointments(patientId: string): Promise<Appointment[]> {
    return this.appointmentsOn('gsi2', appointmentKeys.byPatient.pk(patientId));
  }

  async patientExists(patientId: string): Promise<boolean> {
    return (await getItem(patientProfileKey(patientId))) !== undefined;
  }

  private async appointmentsOn(index: 'gsi1' | 'gsi2', partition: string): Promise<Appointment[]> {
    const items = await queryAll({
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': partition },
    });
    return items.map((i) => recordOf<Appointment>(i));
  }
}

// ── What other contexts put into their own transactions ──────────────────────────────────────────────────────
// Proof that a provider, location or appointment of this practice exists: ConditionCheck items, so the check costs
// no extra request and cannot race the write.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-apis-txwriteitems

const NOUN = { provider: 'provider', location: 'location', appointment: 'appointment' } as const;

function referenceKey(ref: Reference): Key {
  if (ref.kind === 'provider') return providerKeys.profile(ref.id);
  if (ref.kind === 'location') return locationKeys.item(ref.id);
  return appointmentKeys.item(ref.id);
}

/** The ConditionCheck for one reference; when it fails the write is a 422 naming the field. */
export function referenceMustExist(ref: Reference): WriteOp {
  const check =
    ref.kind === 'appointment'
      ? {
          ConditionExpression: 'attribute_exists(pk) AND patientId = :patientId',
          ExpressionAttributeValues: { ':patientId': ref.patientId },
        }
      : { ConditionExpression: 'attribute_exists(pk)' };
  const message =
    ref.kind === 'appointment' ? 'No such appointment for this patient' : `No such ${NOUN[ref.kind]}`;
  return {
    item: { ConditionCheck: { TableName: tableName(), Key: referenceKey(ref), ...check } },
    onConditionFailed: () =>
      new UnprocessableError(`The ${NOUN[ref.kind]} named in ${ref.field} does not exist`, [
        { field: ref.field, message },
      ]),
  };
}

/**
 * One check per distinct record named (a transaction may not touch the same item twice); the first field naming
 * it is the one reported.
 */
export function referencesMustExist(refs: readonly Reference[]): WriteOp[] {
  const seen = new Set<string>();
  const ops: WriteOp[] = [];
  for (const ref of refs) {
    const id = keyString(referenceKey(ref));
    if (seen.has(id)) continue;
    seen.add(id);
    ops.push(referenceMustExist(ref));
  }
  return ops;
}
