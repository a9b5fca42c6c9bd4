// Directory entries as FHIR: an organisation as a US Core Organization, a practitioner as a US Core Practitioner.
// https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-organization.html
// https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-practitioner.html
import type { ContactPoint, Organization, Practitioner } from '@medplum/fhirtypes';
import type { DirectoryEntry } from './schemas.ts';

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
export const NUCC_SYSTEM = 'http://nucc.org/provider-taxonomy';

/** Directory ids are ULIDs; FHIR ids lower-case like every other mapper's. */
export const directoryFhirId = (id: string) => id.toLowerCase();

function telecom(e: DirectoryEntry): ContactPoint[] {
  return [
    ...(e.phone ? [{ system: 'phone' as const, value: e.phone, use: 'work' as const }] : []),
    ...(e.fax ? [{ system: 'fax' as const, value: e.fax, use: 'work' as const }] : []),
    // A Direct address is an e-mail form address reached over Direct secure messaging.
    ...(e.directAddress ? [{ system: 'email' as const, value: e.directAddress, use: 'work' as const }] : []),
  ];
}

function address(e: DirectoryEntry) {
  if (!e.address) return [];
  const { line, city, state, postalCode, country } = e.address;
  return [
    {
      line,
      city,
      ...(state ? { state } : {}),
      ...(postalCode ? { postalCode } : {}),
      ...(country ? { country } : {}),
    },
  ];
}

export function toFhirOrganization(e: DirectoryEntry, source: string): Organization {
  return {
    resourceType: 'Organization',
    id: directoryFhirId(e.id),
    meta: { profile: [`${US_CORE}/us-core-organization`], source },
    identifier: [{ system: NPI_SYSTEM, value: e.npi }],
    active: e.active,
    type: [
      {
        coding: [
          {
            system: NUCC_SYSTEM,
            code: e.specialty.code,
            ...(e.specialty.display ? { display: e.specialty.display } : {}),
          },
        ],
      },
    ],
    name: e.name,
    telecom: telecom(e),
    address: address(e),
  };
}

export function toFhirPractitioner(e: DirectoryEntry, source: string): Practitioner {
  const n = e.practitionerName;
  return {
    resourceType: 'Practitioner',
    id: directoryFhirId(e.id),
    meta: { profile: [`${US_CORE}/us-core-practitioner`], source },
    identifier: [{ system: NPI_SYSTEM, value: e.npi }],
    active: e.active,
    name: [
      n
        ? { family: n.family, given: n.given, ...(n.prefix ? { prefix: [n.prefix] } : {}), text: e.name }
        : { family: e.name, text: e.name },
    ],
    telecom: telecom(e),
    address: address(e),
    qualification: [
      {
        code: {
          coding: [
            {
              system: NUCC_SYSTEM,
              code: e.specialty.code,
              ...(e.specialty.display ? { display: e.specialty.display } : {}),
            },
          ],
        },
      },
    ],
  };
}
