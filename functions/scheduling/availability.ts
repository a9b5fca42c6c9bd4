// Availability, computed (never pre-generated) from a provider's weekly templates, date exceptions and the
// intervals already booked or held. Pure functions: the store loads, these decide.
import type { AppointmentType, Schedule, ScheduleException, ScheduleTemplate } from './schemas.ts';
import { datesBetween, weekdayOf, zonedToInstant } from './time.ts';

/** A span of working time at one location, as instants (ms). */
export interface Block {
  locationId: string;
  start: number;
  end: number;
}

/** Time taken on a provider's (or patient's) calendar: an appointment or a live hold. */
export interface Interval {
  id: string;
  kind: 'appointment' | 'hold';
  start: string;
  /** Busy until (end + buffer for appointments). */
  busyUntil: string;
  end: string;
  locationId: string;
  appointmentTypeId: string;
  patientId?: string;
  status?: string;
  /** Holds: who may book the held time, and when the hold lapses (epoch ms). */
  holder?: string;
  expiresAtMs?: number;
  version?: number;
}

const MINUTE = 60_000;

/** The template in force for a location on a date: the one with the latest effectiveFrom that covers it. */
function templateFor(
  templates: ScheduleTemplate[],
  locationId: string,
  date: string,
): ScheduleTemplate | undefined {
  return templates
    .filter(
      (t) =>
        t.locationId === locationId &&
        (!t.effectiveFrom || t.effectiveFrom <= date) &&
        (!t.effectiveTo || date <= t.effectiveTo),
    )
    .sort((a, b) => (b.effectiveFrom ?? '').localeCompare(a.effectiveFrom ?? ''))[0];
}

function subtract(blocks: Block[], cut: { start: number; end: number }, locationId?: string): Block[] {
  return blocks.flatMap((b) => {
    if ((locationId && b.locationId !== locationId) || cut.end <= b.start || cut.start >= b.end) return [b];
    const parts: Block[] = [];
    if (cut.start > b.start) parts.push({ ...b, end: cut.start });
    if (cut.end < b.end) parts.push({ ...b, start: cut.end });
    return parts;
  });
}

/**
 * Working blocks on the given local dates, with exceptions applied. Each template's times are read in its own
 * location's zone, so a day with a daylight-saving change is as long as it really is.
 */
export function workingBlocks(
  schedule: Pick<Schedule, 'templates' | 'exceptions'>,
  dates: string[],
): Block[] {
  const zoneOf = new Map(schedule.templates.map((t) => [t.locationId, t.timeZone]));
  const out: Block[] = [];
  for (const date of dates) {
    let blocks: Block[] = [];
    for (const locationId of zoneOf.keys()) {
      const template = templateFor(schedule.templates, locationId, date);
      if (!template) continue;
      for (const w of template.weekly.filter((x) => x.day === weekdayOf(date))) {
        blocks.push({
          locationId,
          start: zonedToInstant(date, w.start, template.timeZone),
          end: zonedToInstant(date, w.end, template.timeZone),
        });
      }
    }
    const exceptions = schedule.exceptions.filter((e) => e.date === date);
    for (const e of exceptions.filter((x) => x.kind === 'extra-hours')) {
      const zone = e.locationId ? zoneOf.get(e.locationId) : undefined;
      if (!zone || !e.start || !e.end || !e.locationId) continue;
      blocks.push({
        locationId: e.locationId,
        start: zonedToInstant(date, e.start, zone),
        end: zonedToInstant(date, e.end, zone),
      });
    }
    for (const e of exceptions.filter((x) => x.kind !== 'extra-hours'))
      blocks = applyCut(blocks, e, date, zoneOf);
    out.push(...blocks);
  }
  return out.sort((a, b) => a.start - b.start);
}

function applyCut(blocks: Block[], e: ScheduleException, date: string, zoneOf: Map<string, string>): Block[] {
  if (!e.start || !e.end) return blocks.filter((b) => e.locationId && b.locationId !== e.locationId);
  let result = blocks;
  for (const [locationId, zone] of zoneOf) {
    if (e.locationId && e.locationId !== locationId) continue;
    result = subtract(
      result,
      { start: zonedToInstant(date, e.start, zone), end: zonedToInstant(date, e.end, zone) },
      locationId,
    );
  }
  return result;
}

/** Is an interval still taking time at `nowMs`? Cancelled appointments and lapsed holds are not. */
export function isActive(interval: Interval, nowMs: number): boolean {
  if (interval.kind === 'hold') return (interval.expiresAtMs ?? 0) > nowMs;
  return interval.status !== 'cancelled';
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Local dates to look at so that every block overlapping [fromMs, toMs) is found in any zone (±14 h). */
export function candidateDates(fromMs: number, toMs: number): string[] {
  const day = 86_400_000;
  return datesBetween(
    new Date(fromMs - day).toISOString().slice(0, 10),
    new Date(toMs + day).toISOString().slice(0, 10),
  );
}

export interface SlotCandidate {
  start: number;
  end: number;
  busyUntil: number;
  locationId: string;
}

/** Every start on the type's grid inside working blocks: step from each block's start, the visit fits the block. */
export function gridSlots(
  blocks: Block[],
  type: Pick<AppointmentType, 'durationMinutes' | 'bufferAfterMinutes' | 'slotIntervalMinutes'>,
): SlotCandidate[] {
  const out: SlotCandidate[] = [];
  for (const block of blocks) {
    for (
      let start = block.start;
      start + type.durationMinutes * MINUTE <= block.end;
      start += type.slotIntervalMinutes * MINUTE
    ) {
      out.push({
        start,
        end: start + type.durationMinutes * MINUTE,
        busyUntil: start + (type.durationMinutes + type.bufferAfterMinutes) * MINUTE,
        locationId: block.locationId,
      });
    }
  }
  return out;
}

/** Free slots in [fromMs, toMs): on the grid, in the future, overlapping no active interval. */
export function freeSlots(input: {
  schedule: Pick<Schedule, 'templates' | 'exceptions'>;
  type: Pick<AppointmentType, 'durationMinutes' | 'bufferAfterMinutes' | 'slotIntervalMinutes'>;
  intervals: Interval[];
  fromMs: number;
  toMs: number;
  nowMs: number;
  locationId?: string;
  /** A hold the caller owns does not block the caller. */
  holder?: string;
}): SlotCandidate[] {
  const taken = input.intervals
    .filter(
      (i) => isActive(i, input.nowMs) && !(i.kind === 'hold' && input.holder && i.holder === input.holder),
    )
    .map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.busyUntil) }));
  const seen = new Set<number>();
  return gridSlots(
    workingBlocks(input.schedule, candidateDates(input.fromMs, input.toMs)),
    input.type,
  ).filter((s) => {
    if (s.start < input.fromMs || s.start >= input.toMs || s.start < input.nowMs) return false;
    if (input.locationId && s.locationId !== input.locationId) return false;
    if (seen.has(s.start)) return false;
    if (taken.some((t) => overlaps({ start: s.start, end: s.busyUntil }, t))) return false;
    seen.add(s.start);
    return true;
  });
}
