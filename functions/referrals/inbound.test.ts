// The inbound rules without a database: reading a C-CDA's person and contents, and the match decision that never
// merges two people silently.
import { convertCcdaToXml, convertFhirToCcda } from '@medplum/ccda';
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { ccdaToBundle, matchDecision, ourMrn, readPacket } from './inbound.ts';

const bundle = {
  resourceType: 'Bundle',
  type: 'document',
  entry: [
    {
      resource: {
        resourceType: 'Composition',
        status: 'final',
        type: { text: 'Referral note' },
        date: '2026-11-28T10:00:00Z',
        author: [{ display: 'Dr. Sender' }],
        title: 'Referral',
        subject: { reference: 'Patient/p' },
        section: [
          {
            title: 'Problems',
            code: { coding: [{ system: 'http://loinc.org', code: '11450-4' }] },
            entry: [{ reference: 'Condition/c' }],
          },
        ],
      },
    },
    {
      resource: {
        resourceType: 'Patient',
        id: 'p',
        identifier: [{ system: 'urn:continuum:local:mrn', value: 'DEMO-0001' }],
        name: [{ given: ['Ada'], family: 'Demo' }],
        birthDate: '1980-04-12',
        gender: 'female',
        telecom: [{ system: 'phone', value: '+1 555 0100' }],
      },
    },
    {
      resource: {
        resourceType: 'Condition',
        id: 'c',
        subject: { reference: 'Patient/p' },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I48.91' }] },
      },
    },
  ],
} as Bundle;

describe('reading what was sent', () => {
  it('reads the person and the contents of a C-CDA, through convertCcdaToFhir', () => {
    const xml = convertCcdaToXml(convertFhirToCcda(bundle));
    const read = readPacket(ccdaToBundle(xml) ?? {});
    expect(read?.person).toMatchObject({
      given: ['Ada'],
      family: 'Demo',
      birthDate: '1980-04-12',
      gender: 'female',
      phones: ['+1 555 0100'],
    });
    expect(read?.contents).toMatchObject({ problems: 1, medications: 0, allergies: 0 });
  });

  it('finds our MRN only under our MRN system', () => {
    const read = readPacket(bundle as never);
    expect(read && ourMrn(read.person, 'urn:continuum:local:mrn')).toBe('DEMO-0001');
    expect(read && ourMrn(read.person, 'urn:continuum:other:mrn')).toBeUndefined();
  });

  it('refuses what is not a C-CDA or names no patient', () => {
    expect(ccdaToBundle('<html></html>')).toBeUndefined();
    expect(readPacket({ entry: [] })).toBeUndefined();
  });
});

describe('matchDecision', () => {
  const p = (id: string) => ({ id });
  it('takes our MRN first, whatever the demographics say', () => {
    expect(matchDecision(p('A'), [{ patient: p('B'), grade: 'match', basis: 'x' }])).toEqual({
      decision: 'match',
      patient: p('A'),
      basis: 'identifier',
    });
  });
  it('takes one exact demographic match only when nobody else may be the person', () => {
    expect(matchDecision(undefined, [{ patient: p('B'), grade: 'match', basis: 'x' }])).toMatchObject({
      decision: 'match',
      basis: 'demographics',
    });
    expect(
      matchDecision(undefined, [
        { patient: p('B'), grade: 'match', basis: 'x' },
        { patient: p('C'), grade: 'possible', basis: 'y' },
      ]),
    ).toEqual({ decision: 'choose' });
    expect(matchDecision(undefined, [{ patient: p('C'), grade: 'possible', basis: 'y' }])).toEqual({
      decision: 'choose',
    });
  });
  it('registers when nobody could be the person', () => {
    expect(matchDecision(undefined, [])).toEqual({ decision: 'none' });
  });
});
