// Scheduling persistence on the single table: catalog items (locations, providers, appointment types), the
// provider's schedule, the day items that guard against double-booking, and appointments.
import { type NativeAttributeValue, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, itemAt, type Key, tableName } from '#shared/dynamodb.ts';
import { recordOf } from '#shared/table.ts';
import type { WriteOp } from '#shared/write.ts';
import type { Interval } from './availability.ts';
import { appointmentKeys, providerKeys } from './keys.ts';
import type { Appointment } from './schemas.ts';

type Item = Record<string, NativeAttributeValue>;
const keyOfDay = (k: Key) => `${k.pk}|${k.sk}`;

/** An interval that crosses an hour boundary is stored in each bucket it touches; lists show it once. */
export function uniqueById<T extends { id: string }>(list: T[]): T[] {
  return [...new Map(list.map((i) => [i.id, i])).values()];
}

/** A name-ordered page of one catalog (locations, providers, appointment types) from gsi1. */
export async function listByName(partition: string, limit: number, after?: Record<string, unknown>) {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      Limit: limit,
      ...(after ? { ExclusiveStartKey: after } : {}),
    }),
  );
  return { items: out.Items ?? [], after: out.LastEvaluatedKey };
}

/** One Query: a provider's hour buckets from one UTC date to another (the day/week view and availability). */
export async function providerDays(providerId: string, fromDate: string, toDate: string): Promise<Item[]> {
  const items: Item[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    // Buckets are small (an hour holds a few intervals), so 31 days fit one 1 MB page; the loop is a safety net.
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': providerKeys.partition(providerId),
          ':from': providerKeys.calendarRange(fromDate, toDate).from,
          ':to': providerKeys.calendarRange(fromDate, toDate).to,
        },
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    after = out.LastEvaluatedKey;
  } while (after);
  return items;
}

/** One Query on gsi1 or gsi2 for appointments (a location's day, a patient's list). */
export async function queryAppointments(index: 'gsi1' | 'gsi2', partition: string): Promise<Appointment[]> {
  const items: Item[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index,
        KeyConditionExpression: `${index}pk = :pk`,
        ExpressionAttributeValues: { ':pk': partition },
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    after = out.LastEvaluatedKey;
  } while (after);
  return items.map((i) => recordOf<Appointment>(i));
}

export function appointmentItem(a: Appointment, localDate: string): Item {
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

interface Day {
  key: Key;
  version: number;
  intervals: Interval[];
  changed: boolean;
}

/**
 * The day items one change touches, loaded with their versions. Changes are made in memory and written back
 * as conditional Puts inside the change's single transaction: if anyone else wrote one of these days in the
 * meantime, the transaction fails and the use case re-reads and re-decides.
 */
export class Calendar {
  private readonly days = new Map<string, Day>();

  load(key: Key, items: Map<string, Item>): Day {
    const existing = this.days.get(keyOfDay(key));
    if (existing) return existing;
    const item = itemAt(items, key);
    const day: Day = {
      key,
      version: (item?.version as number | undefined) ?? 0,
      intervals: ((item?.intervals as Interval[] | undefined) ?? []).map((i) => ({ ...i })),
      changed: false,
    };
    this.days.set(keyOfDay(key), day);
    return day;
  }

  intervals(keys: Key[]): Interval[] {
    return uniqueById(keys.flatMap((k) => this.days.get(keyOfDay(k))?.intervals ?? []));
  }

  remove(id: string, only: (interval: Interval) => boolean = () => true): void {
    for (const day of this.days.values()) {
      const before = day.intervals.length;
      day.intervals = day.intervals.filter((i) => i.id !== id || !only(i));
      if (day.intervals.length !== before) day.changed = true;
    }
  }

  add(interval: Interval, keys: Key[]): void {
    for (const key of keys) {
      const day = this.days.get(keyOfDay(key));
      if (!day) throw new Error('Calendar day not loaded');
      day.intervals = [...day.intervals.filter((i) => i.id !== interval.id), interval];
      day.changed = true;
    }
  }

  update(id: string, patch: Partial<Interval>): void {
    for (const day of this.days.values()) {
      if (day.intervals.some((i) => i.id === id)) {
        day.intervals = day.intervals.map((i) => (i.id === id ? { ...i, ...patch } : i));
        day.changed = true;
      }
    }
  }

  /** Conditional Puts for every changed day; lapsed holds are dropped on the way. */
  ops(nowMs: number, onConflict: () => Error): WriteOp[] {
    return [...this.days.values()]
      .filter((d) => d.changed)
      .map((d) => ({
        item: {
          Put: {
            TableName: tableName(),
            Item: {
              ...d.key,
              type: 'CalendarDay',
              version: d.version + 1,
              intervals: d.intervals
                .filter((i) => i.kind !== 'hold' || (i.expiresAtMs ?? 0) > nowMs)
                .sort((a, b) => a.start.localeCompare(b.start)),
            },
            ...(d.version === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': d.version } }),
          },
        },
        onConditionFailed: onConflict,
      }));
  }
}
