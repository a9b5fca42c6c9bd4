// Keys of a patient's account: ledger entries live in the patient's partition, so the ledger and its statement
// are one Query. Access patterns: docs/data-model.md.
import { patientKeys } from '#functions/patients/index.ts';

export const ledgerKeys = {
  /** One entry (charge, payment, adjustment, refund), ordered by when it was posted. */
  entry: (patientId: string, postedAt: string, id: string) => ({
    pk: patientKeys.partition(patientId),
    sk: `LEDGER#${postedAt}#${id}`,
  }),
  /** Pattern "a patient's ledger": Query pk = PATIENT#id AND begins_with(sk, LEDGER#). */
  ledger: (patientId: string) => ({ pk: patientKeys.partition(patientId), skPrefix: 'LEDGER#' }),
  /** The patient's profile: read when the ledger is empty, so an unknown patient is a 404. */
  profile: (patientId: string) => ({ pk: patientKeys.partition(patientId), sk: patientKeys.profile }),
};
