// The hours of a provider's and a patient's calendar that one change reads and rewrites, in memory. Pure: the
// store loads the hours and writes back the changed ones, each on the version it read (docs/data-model.md).
import type { Interval } from './availability.ts';
import type { Appointment } from './schemas.ts';
import { utcHoursOf } from './time.ts';

/** Whose calendar: a provider's (the double-booking guard) or a patient's ("already booked then"). */
export type CalendarOwner = { calendar: 'provider' | 'patient'; ownerId: string };

/** One UTC hour (`YYYY-MM-DDTHH`) of one calendar. */
export type CalendarHour = CalendarOwner & { hour: string };

/**
 * An hour as read, or as to be written: the intervals that overlap it and the version read (0 when nothing was
 * stored yet). A change writes `version + 1`, only if the hour is still at `version`.
 */
export type Bucket = CalendarHour & { version: number; intervals: Interval[] };

/** The hours an appointment occupies on its provider's calendar (until its buffer ends). */
export function providerHoursOf(a: Pick<Appointment, 'providerId' | 'start' | 'busyUntil'>): CalendarHour[] {
  return hoursOf(
    { calendar: 'provider', ownerId: a.providerId },
    utcHoursOf(Date.parse(a.start), Date.parse(a.busyUntil)),
  );
}

/** The hours an appointment occupies on its patient's calendar (the visit itself, no buffer). */
export function patientHoursOf(a: Pick<Appointment, 'patientId' | 'start' | 'end'>): CalendarHour[] {
  return hoursOf(
    { calendar: 'patient', ownerId: a.patientId },
    utcHoursOf(Date.parse(a.start), Date.parse(a.end)),
  );
}

export function hoursOf(owner: CalendarOwner, hours: string[]): CalendarHour[] {
  return hours.map((hour) => ({ ...owner, hour }));
}

/** An interval that crosses an hour boundary is stored in each bucket it touches; lists show it once. */
export function uniqueById<T extends { id: string }>(list: T[]): T[] {
  return [...new Map(list.map((i) => [i.id, i])).values()];
}

/** The calendar interval of an appointment. */
export function intervalOf(a: Appointment): Interval {
  return {
    id: a.id,
    kind: 'appointment',
    start: a.start,
    end: a.end,
    busyUntil: a.busyUntil,
    locationId: a.locationId,
    appointmentTypeId: a.appointmentTypeId,
    patientId: a.patientId,
    status: a.status,
    version: a.version,
  };
}

const idOf = (h: CalendarHour) => `${h.calendar}|${h.ownerId}|${h.hour}`;

/**
 * The buckets one change touches. Changes are made in memory (on copies: the buckets passed in are left as they
 * were) and handed back by `changes()` for the store to write inside the change's single transaction: if anyone
 * else wrote one of these hours in the meantime, the transaction fails and the use case re-reads and re-decides.
 */
export class Calendar {
  private readonly buckets = new Map<string, Bucket & { changed: boolean }>();

  constructor(read: readonly Bucket[]) {
    for (const b of read) {
      this.buckets.set(idOf(b), { ...b, intervals: b.intervals.map((i) => ({ ...i })), changed: false });
    }
  }

  /** Every interval in the loaded hours of one kind of calendar, once each. */
  intervals(calendar: CalendarOwner['calendar']): Interval[] {
    return uniqueById(
      [...this.buckets.values()].filter((b) => b.calendar === calendar).flatMap((b) => b.intervals),
    );
  }

  remove(id: string, only: (interval: Interval) => boolean = () => true): void {
    for (const bucket of this.buckets.values()) {
      const before = bucket.intervals.length;
      bucket.intervals = bucket.intervals.filter((i) => i.id !== id || !only(i));
      if (bucket.intervals.length !== before) bucket.changed = true;
    }
  }

  add(interval: Interval, hours: readonly CalendarHour[]): void {
    for (const hour of hours) {
      const bucket = this.buckets.get(idOf(hour));
      if (!bucket) throw new Error('Calendar hour not loaded');
      bucket.intervals = [...bucket.intervals.filter((i) => i.id !== interval.id), interval];
      bucket.changed = true;
    }
  }

  update(id: string, patch: Partial<Interval>): void {
    for (const bucket of this.buckets.values()) {
      if (bucket.intervals.some((i) => i.id === id)) {
        bucket.intervals = bucket.intervals.map((i) => (i.id === id ? { ...i, ...patch } : i));
        bucket.changed = true;
      }
    }
  }

  /** Puts an appointment's interval on its provider's and its patient's hours. */
  place(a: Appointment): void {
    const interval = intervalOf(a);
    this.add(interval, providerHoursOf(a));
    this.add(interval, patientHoursOf(a));
  }

  /** The changed buckets to write, at the version read; lapsed holds are dropped on the way, intervals by start. */
  changes(nowMs: number): Bucket[] {
    return [...this.buckets.values()]
      .filter((b) => b.changed)
      .map(({ changed: _, ...b }) => ({
        ...b,
        intervals: b.intervals
          .filter((i) => i.kind !== 'hold' || (i.expiresAtMs ?? 0) > nowMs)
          .sort((x, y) => x.start.localeCompare(y.start)),
      }));
  }
}
