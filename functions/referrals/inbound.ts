// Reading what another organisation sent us: the person, the packet's contents and the sender, from a C-CDA or from
// a FHIR document Bundle, with @medplum/ccda's converter. Pure, so the rules are tested without a database.
import { convertCcdaToFhir, convertXmlToCcda } from '@medplum/ccda';
import type { Demographics } from '#functions/sharing/index.ts';
import type { InboundPerson } from './inbound-schemas.ts';

type Resource = { resourceType: string; [key: string]: unknown };
interface BundleLike {
  entry?: { resource?: Resource }[];
}

export interface ReadPacket {
  person: InboundPerson;
  contents: { problems: number; medications: number; allergies: number; title: string };
}

/** The C-CDA as a FHIR Bundle, or undefined when it is not a C-CDA document. */
export function ccdaToBundle(xml: string): BundleLike | undefined {
  try {
    const ccda = convertXmlToCcda(xml);
    if (!ccda?.recordTarget) return undefined;
    return convertCcdaToFhir(ccda) as unknown as BundleLike;
  } catch {
    return undefined;
  }
}

const GENDERS = ['male', 'female', 'other', 'unknown'] as const;

/** Who the packet is about and what it holds, from its FHIR Bundle; undefined when it names no patient. */
export function readPacket(bundle: BundleLike): ReadPacket | undefined {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const patient = resources.find((r) => r.resourceType === 'Patient') as
    | {
        name?: { given?: string[]; family?: string }[];
        birthDate?: string;
        gender?: string;
        telecom?: { system?: string; value?: string }[];
        address?: { line?: string[]; city?: string; postalCode?: string }[];
        identifier?: { system?: string; value?: string }[];
      }
    | undefined;
  const name = patient?.name?.[0];
  if (!patient || !name?.family) return undefined;
  const composition = resources.find((r) => r.resourceType === 'Composition') as
    | { title?: string }
    | undefined;
  const count = (...types: string[]) => resources.filter((r) => types.includes(r.resourceType)).length;
  const gender = GENDERS.find((g) => g === patient.gender);
  return {
    person: {
      given: name.given ?? [],
      family: name.family,
      ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
      ...(gender ? { gender } : {}),
      phones: (patient.telecom ?? [])
        .filter((t) => t.system === 'phone' && t.value)
        .map((t) => (t.value as string).replace(/^tel:/, '')),
      addresses: (patient.address ?? []).map((a) => ({
        line: a.line ?? [],
        ...(a.city ? { city: a.city } : {}),
        ...(a.postalCode ? { postalCode: a.postalCode } : {}),
      })),
      identifiers: (patient.identifier ?? [])
        .filter((i) => i.system && i.value)
        .map((i) => ({ system: i.system as string, value: i.value as string })),
    },
    contents: {
      problems: count('Condition'),
      medications: count('MedicationStatement', 'MedicationRequest'),
      allergies: count('AllergyIntolerance'),
      title: composition?.title ?? 'Referral',
    },
  };
}

/** The person as sharing's matcher compares them. */
export function demographicsOf(person: InboundPerson): Demographics {
  return {
    identifiers: person.identifiers,
    family: person.family,
    given: person.given,
    ...(person.birthDate ? { birthDate: person.birthDate } : {}),
    ...(person.gender ? { gender: person.gender } : {}),
    addresses: person.addresses.map((a) => ({
      line: a.line,
      ...(a.postalCode ? { postalCode: a.postalCode } : {}),
    })),
    phones: person.phones,
  };
}

/** Our MRN, when the sender named the patient by it (a referral back to us). */
export function ourMrn(person: InboundPerson, mrnSystem: string): string | undefined {
  return person.identifiers.find((i) => i.system === mrnSystem)?.value;
}

export interface Candidate<P> {
  patient: P;
  grade: 'match' | 'possible';
  basis: string;
}

/**
 * The decision: one certain match (our MRN, or exact demographics with nobody else possible) is taken; anything
 * uncertain goes to a person; nobody at all means a new patient. Never a silent merge of two people.
 */
export function matchDecision<P>(
  byIdentifier: P | undefined,
  candidates: Candidate<P>[],
): { decision: 'match'; patient: P; basis: 'identifier' | 'demographics' } | { decision: 'choose' | 'none' } {
  if (byIdentifier) return { decision: 'match', patient: byIdentifier, basis: 'identifier' };
  const matches = candidates.filter((c) => c.grade === 'match');
  if (matches.length === 1 && candidates.length === 1)
    return { decision: 'match', patient: (matches[0] as Candidate<P>).patient, basis: 'demographics' };
  return { decision: candidates.length > 0 ? 'choose' : 'none' };
}
