// Patient → FHIR R4 US Core Patient. https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-patient.html
// Must-support elements we hold: identifier (MRN), name, telecom, gender, birthDate, address, communication.
import type { Patient as FhirPatient } from '@medplum/fhirtypes';
import { SOURCE_VERSION_SYSTEM } from '#shared/fhir-client.ts';
import type { Patient } from './schemas.ts';

export const US_CORE_PATIENT = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient';

/** The FHIR id of a patient: our id in lower case (legal FHIR id, the same every time). */
export const patientFhirId = (patientId: string) => patientId.toLowerCase();

export function mrnSystem(source: string): string {
  return `${source}:mrn`;
}

export function toFhirPatient(p: Patient, ctx: { source: string }): FhirPatient {
  return {
    resourceType: 'Patient',
    id: patientFhirId(p.id),
    meta: {
      source: ctx.source,
      profile: [US_CORE_PATIENT],
      tag: [{ system: SOURCE_VERSION_SYSTEM, code: String(p.version) }],
    },
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
              code: 'MR',
              display: 'Medical record number',
            },
          ],
        },
        system: mrnSystem(ctx.source),
        value: p.mrn,
      },
    ],
    active: true,
    name: [
      {
        use: 'official',
        family: p.name.family,
        given: p.name.given,
        ...(p.name.prefix ? { prefix: [p.name.prefix] } : {}),
        ...(p.name.suffix ? { suffix: [p.name.suffix] } : {}),
      },
    ],
    telecom: [
      ...(p.contact?.phone
        ? [{ system: 'phone' as const, value: p.contact.phone, use: 'home' as const }]
        : []),
      ...(p.contact?.email ? [{ system: 'email' as const, value: p.contact.email }] : []),
    ],
    gender: p.gender,
    birthDate: p.birthDate,
    ...(p.contact?.address
      ? {
          address: [
            {
              use: 'home' as const,
              line: p.contact.address.line,
              city: p.contact.address.city,
              ...(p.contact.address.state ? { state: p.contact.address.state } : {}),
              ...(p.contact.address.postalCode ? { postalCode: p.contact.address.postalCode } : {}),
              country: p.contact.address.country,
            },
          ],
        }
      : {}),
    ...(p.preferredLanguage
      ? {
          communication: [
            {
              language: { coding: [{ system: 'urn:ietf:bcp:47', code: p.preferredLanguage }] },
              preferred: true,
            },
          ],
        }
      : {}),
    ...(p.emergencyContact
      ? {
          contact: [
            {
              relationship: [{ text: p.emergencyContact.relationship }],
              name: { text: p.emergencyContact.name },
              telecom: [{ system: 'phone' as const, value: p.emergencyContact.phone }],
            },
          ],
        }
      : {}),
  };
}
