// The FHIR column of the chart kinds table (kinds.ts): the US Core resources each kind is shared as. Apart from the
// table so that only the code that maps (the mirror, backfill, FHIR reads) bundles the mappers (decision 30).
import type { Resource } from '@medplum/fhirtypes';
import {
  type FhirContext,
  toFhirAddendum,
  toFhirAllergyIntolerance,
  toFhirCarePlan,
  toFhirCondition,
  toFhirDocumentReference,
  toFhirEncounter,
  toFhirLabResult,
  toFhirMedicationRequest,
  toFhirVitalSigns,
} from './fhir.ts';
import type { Kind, RecordTypes } from './kinds.ts';

/** The resources a record is shared as; none for what must not leave (a draft note). */
export const KIND_FHIR: { readonly [K in Kind]: (record: RecordTypes[K], ctx: FhirContext) => Resource[] } = {
  encounter: (r, ctx) => [toFhirEncounter(r, ctx)],
  note: (r, ctx) => [toFhirDocumentReference(r, ctx)].filter((d) => d !== undefined),
  addendum: (r, ctx) => [toFhirAddendum(r, ctx)],
  problem: (r, ctx) => [toFhirCondition(r, ctx), toFhirCarePlan(r, ctx)].filter((x) => x !== undefined),
  medication: (r, ctx) => [toFhirMedicationRequest(r, ctx)],
  allergy: (r, ctx) => [toFhirAllergyIntolerance(r, ctx)],
  vitals: (r, ctx) => toFhirVitalSigns(r, ctx),
  'lab-result': (r, ctx) => {
    const { report, results } = toFhirLabResult(r, ctx);
    return [report, ...results];
  },
};

/** The mapper of a kind, typed for code that holds a kind only as a `Kind`. */
export function toFhirOf(kind: Kind): (record: RecordTypes[Kind], ctx: FhirContext) => Resource[] {
  return KIND_FHIR[kind] as (record: RecordTypes[Kind], ctx: FhirContext) => Resource[];
}
