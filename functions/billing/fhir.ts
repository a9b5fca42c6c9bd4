// A patient's coverage as a US Core Coverage (https://hl7.org/fhir/us/core/StructureDefinition-us-core-coverage.html),
// mirrored when the patient consents to the `coverage` category. The payer is named by the practice's own payer id
// (payers are practice set-up data, not mirrored); ids are deterministic legal FHIR ids.
import type { Coverage as FhirCoverage } from '@medplum/fhirtypes';
import { patientFhirId } from '#functions/patients/index.ts';
import type { StoredCoverage } from './model.ts';

export const US_CORE_COVERAGE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-coverage';
const ORDER = { primary: 1, secondary: 2, tertiary: 3 } as const;

export function toFhirCoverage(coverage: StoredCoverage, ctx: { source: string }): FhirCoverage {
  return {
    resourceType: 'Coverage',
    id: coverage.id.toLowerCase(),
    meta: { source: ctx.source, profile: [US_CORE_COVERAGE] },
    identifier: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MB' }] },
        value: coverage.memberId,
      },
    ],
    status: 'active',
    subscriberId: coverage.memberId,
    beneficiary: { reference: `Patient/${patientFhirId(coverage.patientId)}` },
    relationship: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
          code: coverage.relationship,
        },
      ],
    },
    period: { start: coverage.start, ...(coverage.end ? { end: coverage.end } : {}) },
    payor: [{ identifier: { system: `${ctx.source}:payer`, value: coverage.payerId } }],
    order: ORDER[coverage.order],
    ...(coverage.groupNumber
      ? {
          class: [
            {
              type: {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' }],
              },
              value: coverage.groupNumber,
            },
          ],
        }
      : {}),
  };
}
