// Keys of a patient's ledger: entries live in the patient's partition under ACCOUNT#LEDGER# (keys.ts reserves the
// range), so the ledger and its statement are one Query. Access patterns: docs/data-model.md.
import { patientKeys } from '#functions/patients/index.ts';
import { accountKeys } from './keys.ts';

export const ledgerKeys = {
  /** One entry (charge, payment, adjustment, refund), ordered by when it was posted. */
  entry: (patientId: string, postedAt: string, id: string) => ({
    pk: patientKeys.partition(patientId),
    sk: `${accountKeys.ledgerPrefix}${postedAt}#${id}`,
  }),
  /** Pattern "a patient's ledger": Query pk = PATIENT#id AND begins_with(sk, ACCOUNT#LEDGER#). */
  ledger: (patientId: string) => ({
    pk: patientKeys.partition(patientId),
    skPrefix: accountKeys.ledgerPrefix,
  }),
  /** The patient's profile: read when the ledger is empty, so an unknown patient is a 404. */
  profile: (patientId: string) => ({ pk: patientKeys.partition(patientId), sk: patientKeys.profile }),
};

/**
 * Practice-wide views of ledger entries (index attributes set on the entries they concern):
 * - "collections by month" (gsi1): money in and out (insurance payments, patient payments, refunds) by posting time;
 * - "patient A/R" (gsi2): what patients owe and pay (patient responsibility, patient payments, refunds).
 */
export const ledgerIndexes = {
  collections: {
    index: 'gsi1' as const,
    pk: 'LEDGER#COLLECTIONS',
    sk: (postedAt: string, id: string) => `${postedAt}#${id}`,
  },
  patientAr: {
    index: 'gsi2' as const,
    pk: 'LEDGER#PATIENT_AR',
    sk: (postedAt: string, id: string) => `${postedAt}#${id}`,
  },
};
