// The longitudinal record: our chart, as FHIR, merged with what other organisations shared about the same
// patient in the exchange's FHIR store. The patient is found there by our MRN identifier, else by family name,
// given name and birth date; our own mirrored copies (meta.source = this practice) are left out, and every
// entry is labelled with the organisation it came from. Every entry, ours or another organisation's, passes the
// chart's own visibility policy (charting/visibility.ts): a reader sees here exactly what the chart shows them.
// Read-only; audited.

import { canSeeResource, visibilityOf } from '#functions/charting/index.ts';
import type { Patient } from '#functions/patients/index.ts';
import { mrnSystem } from '#functions/patients/index.ts';
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { practiceSource } from '#shared/config.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { FhirResource } from '#shared/fhir-client.ts';
import type { HttpResult } from '#shared/http/result.ts';
import { fhirClient } from './exchange.ts';
import { mapContext, record, SHAREABLE } from './registry.ts';
import { DynamoSharingStore, type SharingStore } from './store.ts';

/** Resource types searched for each matching patient of another organisation. */
export const EXTERNAL_TYPES = [
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'Encounter',
  'DiagnosticReport',
  'DocumentReference',
  'Immunization',
  'Procedure',
  'CarePlan',
  'Appointment',
];

export interface LongitudinalEntry {
  source: string;
  origin: 'practice' | 'external';
  resourceType: string;
  date?: string;
  resource: FhirResource;
}

function dateOf(r: FhirResource): string | undefined {
  const candidates = [
    'effectiveDateTime',
    'onsetDateTime',
    'recordedDate',
    'authoredOn',
    'issued',
    'date',
    'start',
    'occurrenceDateTime',
  ];
  for (const field of candidates) if (typeof r[field] === 'string') return r[field] as string;
  const period = r.period as { start?: string } | undefined;
  return period?.start;
}

export async function longitudinal(
  ctx: { principal: Principal; requestId: string },
  patientId: string,
  store: SharingStore = new DynamoSharingStore(),
): Promise<HttpResult> {
  const items = await store.patientItems(patientId);
  const profile = items.find((i) => i.type === 'Patient');
  if (!profile) throw new NotFoundError('No such patient');
  const patient = record<Patient>(profile);
  const ours = practiceSource();
  const visibility = visibilityOf(ctx.principal);
  const local: LongitudinalEntry[] = items.flatMap((item) =>
    (SHAREABLE[item.type as string]?.toFhir(item, mapContext()) ?? []).map((resource) => ({
      source: ours,
      origin: 'practice' as const,
      resourceType: resource.resourceType,
      ...(dateOf(resource) ? { date: dateOf(resource) } : {}),
      resource,
    })),
  );

  const external = visibility.types.size > 0 ? await externalEntries(patient, ours) : [];
  const unique = new Map<string, LongitudinalEntry>();
  for (const e of external) unique.set(`${e.resource.resourceType}/${e.resource.id}`, e);
  const entries = [...local, ...unique.values()]
    .filter((e) => canSeeResource(visibility, e.resource))
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  await auditRead(ctx, [succeeded('longitudinal.read', 'Patient', patientId, patientId)]);
  return {
    status: 200,
    body: {
      patientId,
      sources: [...new Set(entries.map((e) => e.source))],
      entries,
    },
  };
}

/** What other organisations shared about the same person, found by our MRN or by name and birth date. */
async function externalEntries(patient: Patient, ours: string): Promise<LongitudinalEntry[]> {
  const client = fhirClient();
  const [byIdentifier, byDemographics] = await Promise.all([
    client.search('Patient', { identifier: `${mrnSystem(ours)}|${patient.mrn}` }),
    client.search('Patient', {
      family: patient.name.family,
      given: patient.name.given[0] ?? '',
      birthdate: patient.birthDate,
    }),
  ]);
  const foreignPatients = new Map<string, FhirResource>();
  for (const p of byIdentifier.length > 0 ? [...byIdentifier, ...byDemographics] : byDemographics) {
    const source = (p.meta?.source as string | undefined) ?? 'unknown';
    if (source !== ours && p.id) foreignPatients.set(p.id, p);
  }
  const external: LongitudinalEntry[] = [];
  await Promise.all(
    [...foreignPatients.values()].map(async (p) => {
      const found = await Promise.all(
        EXTERNAL_TYPES.map((type) => client.search(type, { patient: `Patient/${p.id}` }, 5)),
      );
      for (const resource of [p, ...found.flat()]) {
        const source = (resource.meta?.source as string | undefined) ?? 'unknown';
        if (source === ours) continue;
        external.push({
          source,
          origin: 'external',
          resourceType: resource.resourceType,
          ...(dateOf(resource) ? { date: dateOf(resource) } : {}),
          resource,
        });
      }
    }),
  );
  return external;
}
