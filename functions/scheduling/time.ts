// Wall-clock time in a location's IANA time zone ↔ instants, correct across daylight-saving changes.
// Working blocks are written in local time ("08:00–12:00 in America/New_York") and booked intervals are instants.

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a time zone the runtime knows (IANA names such as America/New_York). */
export function isTimeZone(value: string): boolean {
  try {
    formatter(value);
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `instantMs`, in minutes (e.g. -240 for EDT). */
export function offsetMinutes(timeZone: string, instantMs: number): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` `time` (HH:MM). A time skipped by a
 * spring-forward change is moved forward by the length of the gap (02:30 → 03:30 in a one-hour gap); a repeated
 * time (fall back) maps to its first occurrence. This is the 'compatible' disambiguation of Temporal and RFC 5545.
 */
export function zonedToInstant(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Offsets differ from UTC by at most 14 h, so the offsets in force a day either side of the wall time are the
  // ones before and after any change near it. Reading the wall time as UTC is not enough: east of UTC that
  // instant already lies after a fall-back change, which would find only the second occurrence.
  const before = offsetMinutes(timeZone, wall - DAY);
  const after = offsetMinutes(timeZone, wall + DAY);
  const candidates = [wall - before * MINUTE, wall - after * MINUTE].filter(
    (t) => localParts(t, timeZone).wall === wall,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: the offset from before the change lands as far after the gap as the time was into it.
  return wall - before * MINUTE;
}

/** The local calendar date and minute-of-day of an instant in a zone. */
export function localParts(
  instantMs: number,
  timeZone: string,
): { date: string; minutes: number; wall: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const minutes = Number(parts.hour) * 60 + Number(parts.minute);
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return { date, minutes, wall };
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Day of the week of a calendar date (YYYY-MM-DD), independent of any zone. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] as Weekday;
}

/** Calendar dates from `from` to `to` inclusive (YYYY-MM-DD). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** UTC calendar dates an interval [start, end) touches: the provider-day items it lives in. */
export function utcDaysOf(startMs: number, endMs: number): string[] {
  return datesBetween(
    new Date(startMs).toISOString().slice(0, 10),
    new Date(endMs - 1).toISOString().slice(0, 10),
  );
}

/**
 * UTC hour buckets an interval [start, end) touches, e.g. 2026-11-24T09. Booked time is kept per provider-hour,
 * so bookings of different hours of one provider's day never contend for the same item.
 */
export function utcHoursOf(startMs: number, endMs: number): string[] {
  const hour = 3_600_000;
  const out: string[] = [];
  for (let t = Math.floor(startMs / hour) * hour; t < endMs; t += hour)
    out.push(new Date(t).toISOString().slice(0, 13));
  return out;
}
