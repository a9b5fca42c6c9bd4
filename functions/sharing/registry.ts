// Which stored items may leave the practice, under which consent category, and as which FHIR resources.
// The mirror's stream filter, the backfill and the revocation all read this one table.

import { type StoredCoverage, toFhirCoverage } from '#functions/billing/index.ts';
import { CHART_KINDS, KIND_FHIR, KINDS } from '#functions/charting/index.ts';
import type { Patient } from '#functions/patients/index.ts';
import { toFhirPatient } from '#functions/patients/index.ts';
import type { Appointment } from '#functions/scheduling/index.ts';
import { toFhirAppointment } from '#functions/scheduling/index.ts';
import { practiceSource } from '#shared/config.ts';
import type { FhirResource } from '#shared/fhir-client.ts';
import { recordOf } from '#shared/table.ts';
import { Category } from './schemas.ts';

export type Item = Record<string, unknown>;

export interface Shareable {
  category: Category;
  patientIdOf(item: Item): string;
  /** The resources this item is shared as (an item may become several, e.g. a lab report and its results). */
  toFhir(item: Item, ctx: { source: string }): FhirResource[];
}

/** The record an item holds (shared/table.ts). */
export const record = recordOf;

export const SHAREABLE: Record<string, Shareable> = {
  Patient: {
    category: 'demographics',
    patientIdOf: (item) => item.id as string,
    toFhir: (item, ctx) => [toFhirPatient(record<Patient>(item), ctx) as unknown as FhirResource],
  },
  Appointment: {
    category: 'appointments',
    patientIdOf: (item) => item.patientId as string,
    toFhir: (item, ctx) => [toFhirAppointment(record<Appointment>(item), ctx) as unknown as FhirResource],
  },
  ...chart(),
  Coverage: {
    category: 'coverage',
    patientIdOf: (item) => item.patientId as string,
    toFhir: (item, ctx) => [toFhirCoverage(record<StoredCoverage>(item), ctx) as unknown as FhirResource],
  },
};

/**
 * Chart records, by stored item type, as the charting context's table of kinds says: the consent category each
 * leaves under and its US Core mapper. Note summaries and the allergy-list lock are not records of their own and
 * never leave; a draft note maps to nothing.
 */
function chart(): Record<string, Shareable> {
  return Object.fromEntries(
    KINDS.flatMap((kind) => {
      const { itemType, sharedAs } = CHART_KINDS[kind];
      if (sharedAs === undefined) return [];
      const map = KIND_FHIR[kind] as (record: never, ctx: { source: string }) => unknown[];
      return [
        [
          itemType,
          {
            category: Category.parse(sharedAs),
            patientIdOf: (item: Item) => item.patientId as string,
            toFhir: (item: Item, ctx: { source: string }) =>
              map(record<never>(item), ctx) as unknown as FhirResource[],
          },
        ],
      ];
    }),
  );
}

/** The consent item's type: its changes start revocations and backfills. */
export const CONSENT_TYPE = 'SharingConsent';

/** Item types the stream mirror must see (the Lambda event filter is built from this). */
export function mirroredItemTypes(): string[] {
  return [...Object.keys(SHAREABLE), CONSENT_TYPE];
}

export function mapContext() {
  return { source: practiceSource() };
}
