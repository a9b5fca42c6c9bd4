// Every scrubber rule, failing and passing: a clean claim passes, and each single defect trips exactly its rule.
import { describe, expect, it } from 'vitest';
import { withNpiCheckDigit } from '#shared/npi.ts';
import type { Claim } from './model.ts';
import { type ScrubContext, scrubClaim } from './scrubber.ts';

const good: Claim = {
  id: 'claim-1',
  controlNumber: 'CLM0001',
  frequency: '1',
  patient: {
    name: { family: 'Demo', given: ['Ada'] },
    birthDate: '1950-03-01',
    sex: 'female',
    address: { line: ['2 Oak Ave'], city: 'Springfield', state: 'IL', postalCode: '62702' },
  },
  coverage: {
    id: 'cov-1',
    payer: {
      id: 'payer-1',
      name: 'Medicare Part B',
      payerId: 'MCR01',
      filingIndicator: 'MB',
      timelyFilingDays: 365,
    },
    order: 'primary',
    memberId: '1EG4TE5MK72',
    relationship: 'self',
    subscriber: { name: { family: 'Demo', given: ['Ada'] }, birthDate: '1950-03-01', sex: 'female' },
    start: '2026-01-01',
    end: '2026-12-31',
  },
  diagnoses: ['E11.9', 'I10'],
  lines: [
    {
      lineNumber: 1,
      controlNumber: 'L1',
      code: '99214',
      modifiers: ['25'],
      units: 1,
      charge: 15000,
      serviceDate: '2026-11-20',
      placeOfService: '11',
      diagnosisPointers: [1, 2],
    },
    {
      lineNumber: 2,
      controlNumber: 'L2',
      code: 'G0439',
      modifiers: [],
      units: 1,
      charge: 4550,
      serviceDate: '2026-11-20',
      placeOfService: '11',
      diagnosisPointers: [1],
    },
  ],
  renderingProvider: { name: { family: 'Careful', given: ['Clara'] }, npi: withNpiCheckDigit('987654321') },
};
const context: ScrubContext = {
  billing: { npi: withNpiCheckDigit('123456789'), taxId: '123456789', postalCode: '627011234' },
  statedTotal: 19550,
  today: '2026-11-29',
  duplicateClaimIds: [],
};
const badNpi = withNpiCheckDigit('555555555').replace(/\d$/, (d) => String((Number(d) + 1) % 10));
const line0 = good.lines[0] as Claim['lines'][number];
const withLine = (patch: Partial<Claim['lines'][number]>): Claim => ({
  ...good,
  lines: [{ ...line0, ...patch }, ...good.lines.slice(1)],
});

/** What else a defect necessarily trips (a line that loses a pointer leaves a diagnosis nothing points to). */
const ALSO: Record<string, string[]> = {
  'diagnoses-present': ['diagnosis-pointers'],
  'diagnoses-count': ['diagnosis-pointed'],
  'lines-present': ['diagnosis-pointed'],
  'diagnosis-pointers': ['diagnosis-pointed'],
};

const cases: [rule: string, field: string, claim: Claim, ctx?: Partial<ScrubContext>][] = [
  ['billing-npi', 'billingProfile.npi', good, { billing: { ...context.billing, npi: badNpi } }],
  ['tax-id', 'billingProfile.taxId', good, { billing: { ...context.billing, taxId: '12-345678' } }],
  [
    'billing-zip4',
    'billingProfile.address.postalCode',
    good,
    { billing: { ...context.billing, postalCode: '62701' } },
  ],
  [
    'rendering-npi',
    'renderingProvider.npi',
    { ...good, renderingProvider: { ...good.renderingProvider, npi: badNpi } },
  ],
  [
    'referring-npi',
    'referringProvider.npi',
    { ...good, referringProvider: { name: { family: 'R', given: ['S'] }, npi: badNpi } },
  ],
  ['member-id', 'coverage.memberId', { ...good, coverage: { ...good.coverage, memberId: ' ' } }],
  [
    'payer-id',
    'coverage.payer.payerId',
    { ...good, coverage: { ...good.coverage, payer: { ...good.coverage.payer, payerId: '' } } },
  ],
  ['original-claim', 'originalClaimNumber', { ...good, frequency: '7' }],
  [
    'diagnoses-present',
    'diagnoses',
    { ...good, diagnoses: [], lines: good.lines.map((l) => ({ ...l, diagnosisPointers: [] })) },
  ],
  [
    'diagnoses-count',
    'diagnoses',
    { ...good, diagnoses: Array.from({ length: 13 }, (_, i) => `E11.${i % 10}`) },
  ],
  ['icd10-format', 'diagnoses[1]', { ...good, diagnoses: ['E11.9', '401.9'] }],
  ['lines-present', 'lines', { ...good, lines: [] }, { statedTotal: 0 }],
  [
    'lines-count',
    'lines',
    {
      ...good,
      lines: Array.from({ length: 51 }, (_, i) => ({ ...line0, lineNumber: i + 1, controlNumber: `L${i}` })),
    },
    { statedTotal: 51 * 15000 },
  ],
  ['procedure-format', 'lines[0].code', withLine({ code: '9921' })],
  ['modifiers', 'lines[0].modifiers', withLine({ modifiers: ['25', 'XYZ'] })],
  ['units', 'lines[0].units', withLine({ units: 0 })],
  ['line-charge', 'lines[0].charge', withLine({ charge: 0 }), { statedTotal: 4550 }],
  ['place-of-service', 'lines[0].placeOfService', withLine({ placeOfService: '98' })],
  ['diagnosis-pointers', 'lines[0].diagnosisPointers', withLine({ diagnosisPointers: [1, 3] })],
  ['diagnosis-pointers', 'lines[0].diagnosisPointers', withLine({ diagnosisPointers: [1, 1] })],
  ['diagnosis-pointed', 'diagnoses[1]', withLine({ diagnosisPointers: [1] })],
  ['service-date-future', 'lines[0].serviceDate', withLine({ serviceDate: '2026-11-30' })],
  [
    'timely-filing',
    'lines[0].serviceDate',
    { ...withLine({ serviceDate: '2025-11-28' }), coverage: { ...good.coverage, start: '2025-01-01' } },
  ],
  ['coverage-active', 'coverage', withLine({ serviceDate: '2025-12-31' })],
  ['charges-total', 'total', good, { statedTotal: 19551 }],
  ['duplicate-claim', 'encounterId', good, { duplicateClaimIds: ['claim-0'] }],
];

describe('claim scrubber', () => {
  it('passes a clean claim', () => {
    expect(scrubClaim(good, context)).toEqual([]);
  });

  it.each(cases)('%s fails on %s', (rule, field, claim, ctx) => {
    const findings = scrubClaim(claim, { ...context, ...ctx });
    expect(findings.map((f) => [f.rule, f.field])).toContainEqual([rule, field]);
    // A single defect trips its own rule only (the cases that remove things also empty what points at them).
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set([rule, ...(ALSO[rule] ?? [])]));
  });

  it('keeps the filing window inclusive: the last allowed day passes', () => {
    expect(
      scrubClaim(withLine({ serviceDate: '2025-11-29' }), { ...context, today: '2026-11-29' }).map(
        (f) => f.rule,
      ),
    ).not.toContain('timely-filing');
  });

  it('reports a coverage gap once even when every line falls in it', () => {
    const both = { ...good, lines: good.lines.map((l) => ({ ...l, serviceDate: '2025-12-31' })) };
    expect(scrubClaim(both, context).filter((f) => f.rule === 'coverage-active')).toHaveLength(1);
  });
});
