// Every key and index value of the Patient entity, in one place. Access patterns: docs/data-model.md.
import { searchable } from '#shared/text.ts';

export const patientKeys = {
  /** The patient's partition; later contexts put the chart here under typed sort-key prefixes. */
  partition: (patientId: string) => `PATIENT#${patientId}`,
  profile: 'PATIENT',
  /** Uniqueness guard: one item per MRN in the practice. */
  mrnGuard: (mrn: string) => ({ pk: `MRN#${mrn}`, sk: 'MRN' }),
  /** Pattern "patient by MRN" (gsi1). */
  byMrn: { index: 'gsi1' as const, pk: (mrn: string) => `PATIENT_MRN#${mrn}`, sk: 'PATIENT' },
  /**
   * Pattern "patients by family-name prefix, ordered by name" (gsi2). One partition per practice: a practice's
   * patient list is small enough (<1M) for one partition key, and it keeps the list sorted and one Query a page.
   */
  byName: {
    index: 'gsi2' as const,
    pk: 'PATIENTS',
    sk: (family: string, given: readonly string[], id: string) =>
      `${searchable(family)}#${searchable(given.join(' '))}#${id}`,
  },
};
