// Lab rules: interpretation from the reference range, abnormal flags, status moves.
import { describe, expect, it } from 'vitest';
import { interpret, interpretResults, isAbnormal, statusChangeIssue } from './lab.ts';

describe('interpretation', () => {
  it('derives L, N, H from the range and leaves text values and missing ranges alone', () => {
    expect(interpret(60, { low: 70, high: 99 })).toBe('L');
    expect(interpret(70, { low: 70, high: 99 })).toBe('N');
    expect(interpret(162, { low: 70, high: 99 })).toBe('H');
    expect(interpret(5, { high: 4 })).toBe('H');
    expect(interpret('Negative', { low: 0, high: 1 })).toBeUndefined();
    expect(interpret(5, undefined)).toBeUndefined();
    expect(interpret(5, { text: 'see report' })).toBeUndefined();
  });

  it('keeps the lab’s own flag and marks derived ones', () => {
    const [sent, derived, none] = interpretResults([
      {
        code: '2345-7',
        display: 'Glucose',
        value: 162,
        referenceRange: { low: 70, high: 99 },
        interpretation: 'HH',
      },
      { code: '2160-0', display: 'Creatinine', value: 0.4, referenceRange: { low: 0.6, high: 1.2 } },
      { code: '5778-6', display: 'Color of Urine', value: 'Yellow' },
    ]);
    expect(sent).toMatchObject({ interpretation: 'HH' });
    expect(sent?.interpretationDerived).toBeUndefined();
    expect(derived).toMatchObject({ interpretation: 'L', interpretationDerived: true });
    expect(none?.interpretation).toBeUndefined();
    expect([isAbnormal('HH'), isAbnormal('L'), isAbnormal('N'), isAbnormal(undefined)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('status moves', () => {
  it('preliminary → final → corrected, never back, and a final report changes only as corrected', () => {
    expect(statusChangeIssue({ status: 'preliminary' }, { status: 'final' }, true)).toBeUndefined();
    expect(statusChangeIssue({ status: 'final' }, { status: 'corrected' }, true)).toBeUndefined();
    expect(statusChangeIssue({ status: 'final' }, { status: 'preliminary' }, false)?.field).toBe(
      'body.status',
    );
    expect(statusChangeIssue({ status: 'final' }, { status: 'final' }, true)?.field).toBe('body.status');
    expect(statusChangeIssue({ status: 'corrected' }, { status: 'final' }, false)?.field).toBe('body.status');
  });
});
