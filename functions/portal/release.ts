// When a patient sees a result or a note. The Cures Act's information-blocking rule expects final results and
// signed notes to be available at once; a clinician may hold one only under a named exception, for a bounded time,
// and the hold is recorded. https://www.healthit.gov/topic/information-blocking (45 CFR 171 subpart B)
import { isReleased } from '#functions/charting/index.ts';

/** The information-blocking exceptions a hold may cite (45 CFR 171.201–171.205). */
export const HOLD_REASONS = {
  'preventing-harm':
    '45 CFR 171.201: a licensed professional judges access likely to endanger life or physical safety',
  privacy: "45 CFR 171.202: the patient's own request, or a precondition of law not yet met",
  security: '45 CFR 171.203: a security concern specific to this disclosure',
  infeasibility: '45 CFR 171.204: access is infeasible under the circumstances',
  'health-it-performance': '45 CFR 171.205: the system is temporarily unavailable for maintenance',
} as const;
export type HoldReason = keyof typeof HOLD_REASONS;

export interface Hold {
  reason: HoldReason;
  heldAt: string;
  /** The last instant of the hold; never more than the practice's maximum after heldAt. */
  until: string;
  heldBy: string;
}

export interface Releasable {
  status: string;
  /** When the result became final or the note was signed. */
  finalAt?: string;
  hold?: Hold;
  releasedEarlyAt?: string;
}

/** Whether a patient may ever see it: charting's release rule for a note (signed) or a result (final, corrected). */
function releasable(item: Releasable): boolean {
  return isReleased('note', item) || isReleased('lab-result', item);
}

/** When the patient sees it: at once when final, after the hold when held; undefined while not final. */
export function releasedAt(item: Releasable): string | undefined {
  if (!releasable(item) || !item.finalAt) return undefined;
  if (!item.hold) return item.finalAt;
  if (item.releasedEarlyAt) return item.releasedEarlyAt;
  // biome-ignore lint/complexity/useMathMinMax: ISO timestamps compare as strings; Math.max would coerce to NaN.
  return item.hold.until > item.finalAt ? item.hold.until : item.finalAt;
}

export function visibleToPatient(item: Releasable, now: string): boolean {
  const at = releasedAt(item);
  return at !== undefined && at <= now;
}

export class HoldTooLongError extends Error {
  readonly maxDays: number;

  constructor(maxDays: number) {
    super(`A hold may last at most ${maxDays} days`);
    this.maxDays = maxDays;
    this.name = 'HoldTooLongError';
  }
}

/** A hold for `days` days from now, refused beyond the practice's maximum. */
export function placeHold(
  reason: HoldReason,
  days: number,
  now: string,
  heldBy: string,
  maxDays: number,
): Hold {
  if (!Number.isInteger(days) || days < 1 || days > maxDays) throw new HoldTooLongError(maxDays);
  return { reason, heldAt: now, until: new Date(Date.parse(now) + days * 86_400_000).toISOString(), heldBy };
}
