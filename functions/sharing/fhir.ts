// Consent → FHIR R4 Consent (patient privacy, opt-in to sharing the listed categories).
// https://hl7.org/fhir/R4/consent.html
import type { Consent } from '@medplum/fhirtypes';
import { patientFhirId } from '#functions/patients/index.ts';
import { SOURCE_VERSION_SYSTEM } from '#shared/fhir-client.ts';
import type { SharingConsent } from './schemas.ts';
import { allowed } from './schemas.ts';

export const consentFhirId = (patientId: string) => `consent-${patientId.toLowerCase()}`;
export const CATEGORY_SYSTEM = 'urn:continuum:sharing-category';

export function toFhirConsent(c: SharingConsent, ctx: { source: string }): Consent {
  const categories = [...allowed(c)];
  return {
    resourceType: 'Consent',
    id: consentFhirId(c.patientId),
    meta: { source: ctx.source, tag: [{ system: SOURCE_VERSION_SYSTEM, code: String(c.version) }] },
    status: categories.length > 0 ? 'active' : 'inactive',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: { reference: `Patient/${patientFhirId(c.patientId)}` },
    ...(c.updatedAt ? { dateTime: c.updatedAt } : {}),
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
    provision: {
      type: 'permit',
      class: categories.map((code) => ({ system: CATEGORY_SYSTEM, code })),
    },
  };
}
