// The 837P a batch produces, parsed back with the X12 library: envelopes, segment counts, the HL tree, totals.
import { describe, expect, it } from 'vitest';
import { withNpiCheckDigit } from '#shared/npi.ts';
import type { BillingProfile, Claim, Coverage, Payer } from '../model.ts';
import { buildClaimBatch } from './claim-837p.ts';
import { parseInterchange } from './envelope.ts';

const npi = withNpiCheckDigit('123456789');
const profile: BillingProfile = {
  name: 'Demo Family Practice',
  npi,
  taxId: '123456789',
  taxonomy: '207Q00000X',
  address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '627011234' },
  submitter: {
    id: 'DEMOSUB',
    name: 'Demo Family Practice',
    contactName: 'Billing Office',
    phone: '(217) 555-0100',
  },
  receiver: { id: 'LOCALCH', name: 'Local Clearinghouse' },
};
const medicare: Payer = {
  id: 'p1',
  name: 'Medicare Part B',
  payerId: 'MCR01',
  filingIndicator: 'MB',
  timelyFilingDays: 365,
};
const selfCoverage: Coverage = {
  id: 'c1',
  payer: medicare,
  order: 'primary',
  memberId: '1EG4TE5MK72',
  relationship: 'self',
  subscriber: { name: { family: 'Demo', given: ['Ada'] }, birthDate: '1950-03-01', sex: 'female' },
  start: '2026-01-01',
};
const patient = {
  name: { family: 'Demo', given: ['Ada'] },
  birthDate: '1950-03-01',
  sex: 'female' as const,
  address: { line: ['2 Oak Ave'], city: 'Springfield', state: 'IL', postalCode: '62702' },
};
const rendering = {
  name: { family: 'Careful', given: ['Clara'] },
  npi: withNpiCheckDigit('987654321'),
  taxonomy: '207Q00000X',
};

function claim(id: string, overrides: Partial<Claim> = {}): Claim {
  return {
    id,
    controlNumber: `CLM${id}`,
    frequency: '1',
    patient,
    coverage: selfCoverage,
    diagnoses: ['E11.9', 'I10'],
    lines: [
      {
        lineNumber: 1,
        controlNumber: `${id}-1`,
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
        controlNumber: `${id}-2`,
        code: '83036',
        modifiers: [],
        units: 1,
        charge: 4550,
        serviceDate: '2026-11-20',
        placeOfService: '11',
        diagnosisPointers: [1],
      },
    ],
    renderingProvider: rendering,
    ...overrides,
  };
}

function parse(text: string) {
  const interchange = parseInterchange(text);
  const group = interchange.groups[0];
  const transaction = group?.transactions[0];
  if (!group || !transaction) throw new Error('no transaction set');
  return {
    header: interchange.header,
    gs: group.header,
    se: transaction.trailer,
    segments: transaction.segments,
  };
}

describe('837P claim batch', () => {
  const child: Coverage = {
    ...selfCoverage,
    id: 'c2',
    payer: { ...medicare, name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI' },
    memberId: 'ACM778',
    groupNumber: 'GRP-42',
    relationship: 'child',
    subscriber: { name: { family: 'Demo', given: ['Bea'] }, birthDate: '1975-05-05', sex: 'female' },
  };
  const text = buildClaimBatch({
    profile,
    claims: [claim('A'), claim('B', { coverage: child, priorAuthorization: 'PA-991' })],
    interchangeControlNumber: 42,
    groupControlNumber: 7,
    batchReference: 'BATCH-1',
    createdAt: new Date('2026-11-29T17:05:00Z'),
    usage: 'T',
  });
  const parsed = parse(text);

  it('has the 5010 envelope with the persisted control numbers', () => {
    expect(text.split('~')[0]?.split('*')[13]).toBe('000000042');
    expect(Number(parsed.header[12])).toBe(42);
    expect(parsed.header[11]).toBe('00501');
    expect(parsed.gs[0]).toBe('HC');
    expect(parsed.gs[5]).toBe('7');
    expect(parsed.gs[7]).toBe('005010X222A1');
    expect(text.endsWith('IEA*1*000000042~')).toBe(true);
  });

  it('counts its segments in SE01 (ST and SE included)', () => {
    expect(Number(parsed.se[0])).toBe(parsed.segments.length + 2);
  });

  it('builds the HL tree billing → subscriber → patient, the patient level only when not the subscriber', () => {
    const hls = parsed.segments.filter((s) => s.tag === 'HL').map((s) => s.elements);
    expect(hls).toEqual([
      ['1', '', '20', '1'],
      ['2', '1', '22', '0'],
      ['3', '1', '22', '1'],
      ['4', '3', '23', '0'],
    ]);
    const sbrs = parsed.segments.filter((s) => s.tag === 'SBR').map((s) => s.elements);
    expect(sbrs[0]?.[1]).toBe('18');
    expect(sbrs[0]?.[8]).toBe('MB');
    expect(sbrs[1]?.[1]).toBe('');
    expect(sbrs[1]?.[2]).toBe('GRP-42');
    expect(parsed.segments.find((s) => s.tag === 'PAT')?.elements).toEqual(['19']);
  });

  it('totals each claim as the sum of its lines and points each line at its diagnoses', () => {
    const clms = parsed.segments.filter((s) => s.tag === 'CLM');
    expect(clms.map((c) => c.elements[0])).toEqual(['CLMA', 'CLMB']);
    expect(clms.map((c) => c.elements[1])).toEqual(['195.5', '195.5']);
    expect(clms[0]?.elements[4]).toBe('11:B:1');
    const sv1 = parsed.segments.filter((s) => s.tag === 'SV1');
    expect(sv1[0]?.elements).toEqual(['HC:99214:25', '150', 'UN', '1', '', '', '1:2']);
    expect(sv1[1]?.elements[6]).toBe('1');
    const total = sv1.slice(0, 2).reduce((t, s) => t + Number(s.elements[1]), 0);
    expect(total).toBe(Number(clms[0]?.elements[1]));
    expect(parsed.segments.filter((s) => s.tag === 'HI')[0]?.elements).toEqual(['ABK:E119', 'ABF:I10']);
  });

  it('carries each line control number (REF*6R), date of service and the prior authorization', () => {
    const refs = parsed.segments.filter((s) => s.tag === 'REF').map((s) => s.elements);
    expect(refs.filter((r) => r[0] === '6R').map((r) => r[1])).toEqual(['A-1', 'A-2', 'B-1', 'B-2']);
    expect(refs).toContainEqual(['G1', 'PA-991']);
    expect(refs).toContainEqual(['EI', '123456789']);
    expect(parsed.segments.filter((s) => s.tag === 'DTP').map((s) => s.elements)[0]).toEqual([
      '472',
      'D8',
      '20261120',
    ]);
  });

  it('names the billing and rendering providers by NPI and the payer by its payer id', () => {
    const nm1 = parsed.segments.filter((s) => s.tag === 'NM1').map((s) => s.elements);
    expect(nm1).toContainEqual(['85', '2', 'Demo Family Practice', '', '', '', '', 'XX', npi]);
    expect(nm1.filter((n) => n[0] === '82').map((n) => n[8])).toEqual([rendering.npi, rendering.npi]);
    expect(nm1.filter((n) => n[0] === 'PR').map((n) => n[8])).toEqual(['MCR01', 'ACME1']);
  });

  it('replaces a claim with frequency 7 and the payer’s original claim number', () => {
    const replacement = parse(
      buildClaimBatch({
        profile,
        claims: [claim('C', { frequency: '7', originalClaimNumber: 'PAYER-123' })],
        interchangeControlNumber: 43,
        groupControlNumber: 8,
        batchReference: 'BATCH-2',
        createdAt: new Date('2026-11-29T17:05:00Z'),
        usage: 'T',
      }),
    );
    expect(replacement.segments.find((s) => s.tag === 'CLM')?.elements[4]).toBe('11:B:7');
    expect(replacement.segments.find((s) => s.tag === 'REF' && s.elements[0] === 'F8')?.elements[1]).toBe(
      'PAYER-123',
    );
  });

  it('sends a secondary claim with what the primary paid and adjusted (loops 2320 and 2430)', () => {
    const secondary: Coverage = { ...child, order: 'secondary' };
    const cob = parse(
      buildClaimBatch({
        profile,
        claims: [
          claim('D', {
            coverage: secondary,
            priorPayers: [
              {
                coverage: selfCoverage,
                paid: 12000,
                adjustments: [{ group: 'CO', reason: '45', amount: 3000 }],
                adjudicationDate: '2026-12-10',
                lines: [
                  { lineNumber: 1, paid: 12000, adjustments: [{ group: 'CO', reason: '45', amount: 3000 }] },
                  { lineNumber: 2, paid: 0, adjustments: [{ group: 'PR', reason: '1', amount: 4550 }] },
                ],
              },
            ],
          }),
        ],
        interchangeControlNumber: 44,
        groupControlNumber: 9,
        batchReference: 'BATCH-3',
        createdAt: new Date('2026-12-11T09:00:00Z'),
        usage: 'T',
      }),
    );
    expect(cob.segments.filter((s) => s.tag === 'SBR').map((s) => s.elements[0])).toEqual(['S', 'P']);
    expect(cob.segments.find((s) => s.tag === 'AMT')?.elements).toEqual(['D', '120']);
    expect(cob.segments.filter((s) => s.tag === 'SVD').map((s) => s.elements[1])).toEqual(['120', '0']);
    expect(cob.segments.filter((s) => s.tag === 'CAS').map((s) => s.elements)).toEqual([
      ['CO', '45', '30'],
      ['CO', '45', '30'],
      ['PR', '1', '45.5'],
    ]);
    expect(cob.segments.filter((s) => s.tag === 'DTP' && s.elements[0] === '573')).toHaveLength(2);
  });
});
