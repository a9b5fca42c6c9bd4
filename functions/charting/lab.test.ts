// Lab rules: interpretation from the reference range, abnormal flags, status moves.
import { describe, expect, it } from 'vitest';
import { interpret, interpretResults, isAbnormal, rangeIssues, statusChangeIssue } from './lab.ts';
import { CreateLabResultBody } from './schemas.ts';

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

describe('interpretation at the edges of the range', () => {
  it('is N on either bound, L or H one step past it', () => {
    const range = { low: 70, high: 99 };
    expect([69.9, 70, 99, 99.1].map((v) => interpret(v, range))).toEqual(['L', 'N', 'N', 'H']);
  });

  it('reads a range open on one side: only a high, or only a low', () => {
    expect([interpret(3, { high: 4 }), interpret(4, { high: 4 }), interpret(-100, { high: 4 })]).toEqual([
      'N',
      'N',
      'N',
    ]);
    expect([interpret(69, { low: 70 }), interpret(70, { low: 70 }), interpret(1e6, { low: 70 })]).toEqual([
      'L',
      'N',
      'N',
    ]);
    // A bound of zero is a bound, not a missing one.
    expect([interpret(-0.1, { low: 0 }), interpret(0.1, { high: 0 })]).toEqual(['L', 'H']);
  });

  it('flags every abnormal interpretation, and normal or none as not abnormal', () => {
    for (const flag of ['L', 'H', 'LL', 'HH', 'A', 'AA'] as const) expect(isAbnormal(flag), flag).toBe(true);
    expect(isAbnormal('N')).toBe(false);
    expect(isAbnormal(undefined)).toBe(false);
  });

  it('stores a high glucose as H, derived, and abnormal', () => {
    const [glucose] = interpretResults([
      {
        code: '2345-7',
        display: 'Glucose',
        value: 162,
        unit: 'mg/dL',
        referenceRange: { low: 70, high: 99 },
      },
    ]);
    expect(glucose).toEqual({
      code: '2345-7',
      display: 'Glucose',
      value: 162,
      unit: 'mg/dL',
      referenceRange: { low: 70, high: 99 },
      interpretation: 'H',
      interpretationDerived: true,
    });
    expect(isAbnormal(glucose?.interpretation)).toBe(true);
  });

  it('stores a text result or one without a range as sent, with no interpretation at all', () => {
    const sent = [
      { code: '5778-6', display: 'Color of Urine', value: 'Yellow' },
      { code: '2345-7', display: 'Glucose', value: 90, referenceRange: { text: 'see report' } },
    ];
    expect(interpretResults(sent)).toEqual(sent);
    expect(Object.keys(interpretResults(sent)[0] ?? {})).not.toContain('interpretationDerived');
  });

  it('keeps a lab’s N even where the range would say H: the lab’s judgement stands', () => {
    const [r] = interpretResults([
      {
        code: '2345-7',
        display: 'Glucose',
        value: 120,
        referenceRange: { low: 70, high: 99 },
        interpretation: 'N',
      },
    ]);
    expect(r).toEqual({
      code: '2345-7',
      display: 'Glucose',
      value: 120,
      referenceRange: { low: 70, high: 99 },
      interpretation: 'N',
    });
  });
});

describe('reference ranges', () => {
  const result = (referenceRange?: { low?: number; high?: number }) => ({
    code: '2345-7',
    display: 'Glucose',
    value: 90,
    referenceRange,
  });
  it('refuses a low above its high, naming the result by position', () => {
    expect(rangeIssues([result({ low: 70, high: 99 }), result({ low: 100, high: 99 })])).toEqual([
      { field: 'body.results.1.referenceRange.low', message: 'Must not be above high' },
    ]);
  });
  it('accepts a low equal to its high, a one-sided range and no range', () => {
    expect(
      rangeIssues([result({ low: 5, high: 5 }), result({ low: 100 }), result({ high: -1 }), result()]),
    ).toEqual([]);
  });
});

describe('a text result', () => {
  const input = (value: unknown) =>
    CreateLabResultBody.safeParse({
      code: '24356-8',
      display: 'Urinalysis complete panel',
      status: 'final',
      orderingProviderId: '01KAB5Z3N3R2Y6X9W8V7T6S5R4',
      issued: '2026-11-24T10:00:00Z',
      results: [{ code: '5778-6', display: 'Color of Urine', value }],
    });
  it('cannot be stored empty or blank: the request is refused naming the value', () => {
    for (const value of ['', '   ', '\t\n']) {
      const parsed = input(value);
      expect(parsed.success, JSON.stringify(value)).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['results.0.value']);
    }
  });
  it('is stored trimmed', () => {
    expect(input('  Yellow ').data?.results[0]?.value).toBe('Yellow');
  });
});

describe('status moves, each rule', () => {
  const move = (before: 'preliminary' | 'final' | 'corrected', after: typeof before, changed: boolean) =>
    statusChangeIssue({ status: before }, { status: after }, changed)?.message;
  it('lets a preliminary report change freely and stay preliminary', () => {
    expect(move('preliminary', 'preliminary', true)).toBeUndefined();
    expect(move('preliminary', 'corrected', true)).toBeUndefined();
  });
  it('never lets a released report go back to preliminary', () => {
    for (const before of ['final', 'corrected'] as const)
      expect(move(before, 'preliminary', false)).toBe(
        'A final or corrected report cannot go back to preliminary',
      );
  });
  it('keeps a corrected report corrected, and lets it be corrected again', () => {
    expect(move('corrected', 'final', false)).toBe('A corrected report stays corrected');
    expect(move('corrected', 'corrected', true)).toBeUndefined();
  });
  it('changes a final report only as a correction, but lets it be re-sent unchanged', () => {
    expect(move('final', 'final', true)).toBe('Changing a final report needs status corrected');
    expect(move('final', 'final', false)).toBeUndefined();
    expect(move('final', 'corrected', false)).toBeUndefined();
  });
});
