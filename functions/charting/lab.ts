// Lab result rules: the interpretation flag derived from the reference range, what counts as abnormal (the inbox
// puts those first), and how a report's status may move.
// https://hl7.org/fhir/R4/valueset-observation-interpretation.html, https://hl7.org/fhir/R4/valueset-diagnostic-report-status.html
import type { FieldIssue } from '#shared/errors.ts';
import type { Interpretation, LabObservation, LabResult } from './schemas.ts';

type ResultInput = Omit<LabObservation, 'interpretationDerived'>;

/** L below the range, H above it, N within it; nothing when the value is not a number or there is no range. */
export function interpret(
  value: number | string,
  range: LabObservation['referenceRange'],
): Interpretation | undefined {
  if (typeof value !== 'number' || !range) return undefined;
  if (range.low === undefined && range.high === undefined) return undefined;
  if (range.low !== undefined && value < range.low) return 'L';
  if (range.high !== undefined && value > range.high) return 'H';
  return 'N';
}

const ABNORMAL: ReadonlySet<Interpretation> = new Set(['L', 'H', 'LL', 'HH', 'A', 'AA']);

export function isAbnormal(interpretation: Interpretation | undefined): boolean {
  return interpretation !== undefined && ABNORMAL.has(interpretation);
}

/** Results as stored: the lab's interpretation when it sent one, otherwise the one the range gives. */
export function interpretResults(results: readonly ResultInput[]): LabObservation[] {
  return results.map((r) => {
    if (r.interpretation !== undefined) return { ...r };
    const derived = interpret(r.value, r.referenceRange);
    return derived ? { ...r, interpretation: derived, interpretationDerived: true } : { ...r };
  });
}

/** Reference ranges whose low is above their high, each naming its field. */
export function rangeIssues(results: readonly ResultInput[]): FieldIssue[] {
  return results.flatMap((r, i) =>
    r.referenceRange?.low !== undefined &&
    r.referenceRange.high !== undefined &&
    r.referenceRange.low > r.referenceRange.high
      ? [{ field: `body.results.${i}.referenceRange.low`, message: 'Must not be above high' }]
      : [],
  );
}

/**
 * A report moves preliminary → final → corrected and never back; once final, its content changes only as a
 * correction (status `corrected`), so what a clinician reviewed can never change silently.
 */
export function statusChangeIssue(
  before: Pick<LabResult, 'status'>,
  after: Pick<LabResult, 'status'>,
  contentChanged: boolean,
): FieldIssue | undefined {
  if (before.status !== 'preliminary' && after.status === 'preliminary') {
    return { field: 'body.status', message: 'A final or corrected report cannot go back to preliminary' };
  }
  if (before.status === 'corrected' && after.status === 'final') {
    return { field: 'body.status', message: 'A corrected report stays corrected' };
  }
  if (before.status !== 'preliminary' && contentChanged && after.status !== 'corrected') {
    return { field: 'body.status', message: 'Changing a final report needs status corrected' };
  }
  return undefined;
}
