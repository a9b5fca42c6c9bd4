// A patient's account: every charge, payment and adjustment as an entry, and the balances that follow from them.
// Entries are never edited; a correction is another entry (a refund, a reversal), so the ledger is its own history.

export type LedgerEntryKind =
  | 'charge' // a service line billed
  | 'insurance-payment' // a payer paid (negative when reversed)
  | 'adjustment' // written off: contractual (CO), other (OA, PI), or by the practice
  | 'patient-responsibility' // moved from what insurance owes to what the patient owes (PR)
  | 'patient-payment' // cash, card or check from the patient
  | 'refund'; // money returned to the patient

export interface LedgerEntry {
  kind: LedgerEntryKind;
  /** Cents, positive in the entry's natural direction (a payment of 20.00 is 2000). */
  amount: number;
  postedAt: string;
  claimId?: string;
}

export interface Balances {
  /** Charges awaiting a payer's decision. */
  insurance: number;
  /** What the patient owes (negative: a credit). */
  patient: number;
  total: number;
}

/**
 * Balances from entries. A charge is owed by insurance until the payer moves part of it to the patient (PR); a
 * patient payment reduces the patient's part, a refund raises it again.
 */
export function balancesOf(entries: readonly LedgerEntry[]): Balances {
  let insurance = 0;
  let patient = 0;
  for (const entry of entries) {
    switch (entry.kind) {
      case 'charge':
        insurance += entry.amount;
        break;
      case 'insurance-payment':
      case 'adjustment':
        insurance -= entry.amount;
        break;
      case 'patient-responsibility':
        insurance -= entry.amount;
        patient += entry.amount;
        break;
      case 'patient-payment':
        patient -= entry.amount;
        break;
      case 'refund':
        patient += entry.amount;
        break;
    }
  }
  return { insurance, patient, total: insurance + patient };
}
