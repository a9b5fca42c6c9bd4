// The coverage mapper: a valid R4 Coverage with US Core's must-support elements, the same id every time.
import { validateResource } from '@medplum/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../../test/support/fhir.ts';
import { toFhirCoverage, US_CORE_COVERAGE } from './fhir.ts';
import type { StoredCoverage } from './model.ts';

const stamp = {
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'x',
  updatedBy: 'x',
};
const coverage: StoredCoverage = {
  ...stamp,
  id: '01KAXDEM00000000000000C0V1',
  patientId: '01KAXDEM0PAT1ENT0000000001',
  payerId: '01KAXDEM00000000000000PAY2',
  order: 'primary',
  memberId: 'ACM123456789',
  groupNumber: 'G-4410',
  relationship: 'self',
  start: '2024-01-01',
  end: '2026-12-31',
};

beforeAll(loadFhirDefinitions);

describe('coverage as US Core Coverage', () => {
  it('is valid R4 with the member id, beneficiary, relationship, period, payer and group', () => {
    const resource = toFhirCoverage(coverage, { source: 'urn:continuum:local' });
    expect(() => validateResource(resource)).not.toThrow();
    expect(resource).toMatchObject({
      id: '01kaxdem00000000000000c0v1',
      meta: { profile: [US_CORE_COVERAGE] },
      subscriberId: 'ACM123456789',
      beneficiary: { reference: 'Patient/01kaxdem0pat1ent0000000001' },
      relationship: { coding: [{ code: 'self' }] },
      period: { start: '2024-01-01', end: '2026-12-31' },
      payor: [{ identifier: { value: '01KAXDEM00000000000000PAY2' } }],
      order: 1,
      class: [{ value: 'G-4410' }],
    });
    expect(toFhirCoverage(coverage, { source: 'urn:continuum:local' })).toEqual(resource);
  });
});
