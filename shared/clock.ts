// The one source of "now" for the product, so tests can pin or move time.

let override: (() => number) | undefined;

/** Milliseconds since the epoch: the real time unless a test set it. */
export function nowMs(): number {
  return override ? override() : Date.now();
}

/** ISO-8601 UTC timestamp with milliseconds, e.g. 2026-11-24T18:00:00.000Z. */
export function nowIso(): string {
  return new Date(nowMs()).toISOString();
}

/** Pins the clock to a fixed instant (ms or ISO string), or to a function. Tests only. */
export function setClock(at: number | string | (() => number)): void {
  if (typeof at === 'function') override = at;
  else {
    const fixed = typeof at === 'number' ? at : Date.parse(at);
    override = () => fixed;
  }
}

/** Returns the clock to real time. */
export function resetClock(): void {
  override = undefined;
}
