// Every key and index value of the billing context's entities, in one place. Access patterns: docs/data-model.md.
//
// Practice-wide set-up data sits in a few small partitions, each read whole in one Query:
//   BILLING           PROFILE, CONTROL_NUMBERS (the X12 interchange counter)
//   BILLING#PAYERS    PAYER#<id>
//   BILLING#FEES      FEE#<code>#<modifier or ->
// A patient's account lives in the patient's partition, under ACCOUNT#, which sorts before ALLERGY#: outside
// charting's chart range (ALLERGY# … RECORD#~) and its list ranges, so no chart read ever meets a billing item:
//   ACCOUNT#CHARGES#<encounterId>   the encounter's charges (diagnoses, service lines, providers)
//   ACCOUNT#COVERAGE#<coverageId>   the patient's insurance
//   ACCOUNT#LEDGER#…                (bill-remit: the patient's ledger entries)
// CHARGES sorts before COVERAGE, so "this encounter's charges and every coverage" is one Query over one range.
// Claims and batches have their own partitions, reached by id, by status (gsi1) and by patient (gsi2).
import { patientKeys } from '#functions/patients/index.ts';

const ACCOUNT = 'ACCOUNT#';

export const billingKeys = {
  profile: { pk: 'BILLING', sk: 'PROFILE' },
  /**
   * The practice's X12 control numbers (ISA13 and GS06): one counter item, advanced by a conditional update inside
   * the transaction that records the batch, so a number is used once and only by a batch that exists.
   */
  controlNumbers: { pk: 'BILLING', sk: 'CONTROL_NUMBERS' },
};

export const payerKeys = {
  partition: 'BILLING#PAYERS',
  item: (id: string) => ({ pk: 'BILLING#PAYERS', sk: `PAYER#${id}` }),
  prefix: 'PAYER#',
};

/** A fee schedule entry per code and modifier ('-' for none); per-payer allowed amounts live on the entry. */
export const feeKeys = {
  partition: 'BILLING#FEES',
  item: (code: string, modifier?: string) => ({ pk: 'BILLING#FEES', sk: `FEE#${code}#${modifier ?? '-'}` }),
  prefix: 'FEE#',
};

export const accountKeys = {
  partition: patientKeys.partition,
  prefix: ACCOUNT,
  coverage: (patientId: string, coverageId: string) => ({
    pk: patientKeys.partition(patientId),
    sk: `${ACCOUNT}COVERAGE#${coverageId}`,
  }),
  coveragePrefix: `${ACCOUNT}COVERAGE#`,
  /** The encounter's charges: its claim diagnoses, service lines, providers and prior authorization. */
  charges: (patientId: string, encounterId: string) => ({
    pk: patientKeys.partition(patientId),
    sk: `${ACCOUNT}CHARGES#${encounterId}`,
  }),
  /**
   * What creating a claim reads, in one Query: from this encounter's charges to the last coverage. Charges of
   * encounters newer than this one fall in the range too (ids sort by time): few, since claims follow visits.
   */
  claimSource: (encounterId: string) => ({
    from: `${ACCOUNT}CHARGES#${encounterId}`,
    to: `${ACCOUNT}COVERAGE#~`,
  }),
  /** bill-remit's ledger entries sort here (after coverage, outside claimSource). */
  ledgerPrefix: `${ACCOUNT}LEDGER#`,
};

export const claimKeys = {
  item: (id: string) => ({ pk: `CLAIM#${id}`, sk: 'CLAIM' }),
  /**
   * Pattern "claim by its control number" (CLM01, echoed as the 835's CLP01 and the 277CA's claim reference): a
   * lookup item written with the claim, conditional on its absence, so a control number names one claim ever.
   */
  byControlNumber: (controlNumber: string) => ({
    pk: `CLAIM_CONTROL#${controlNumber}`,
    sk: 'CLAIM_CONTROL',
  }),
  /**
   * A line's control number (REF*6R) is its claim's control number and its line number, so "line by line control
   * number" is the claim lookup above plus the line number: no item per line.
   */
  lineControlNumber: (claimControlNumber: string, lineNumber: number) =>
    `${claimControlNumber}-${lineNumber}`,
  /** The claim control number and line number a REF*6R names, or undefined when it is not one of ours. */
  parseLineControlNumber: (lineControlNumber: string) => {
    const match = /^([0-9A-Z]{20})-(\d{1,2})$/.exec(lineControlNumber);
    return match ? { claimControlNumber: match[1] as string, lineNumber: Number(match[2]) } : undefined;
  },
  /**
   * "No duplicate claim for the same encounter and payer": one guard item per encounter and payer, held by the
   * live claim (written with it, conditional on absence; handed to a replacement claim; released by a void).
   */
  encounterPayerGuard: (encounterId: string, payerId: string) => ({
    pk: `CLAIM_GUARD#${encounterId}#${payerId}`,
    sk: 'CLAIM_GUARD',
  }),
  /** Pattern "claims in a status, oldest first" (gsi1): work queues (ready to batch, rejected, denied). */
  byStatus: {
    index: 'gsi1' as const,
    pk: (status: string) => `CLAIMS#STATUS#${status}`,
    sk: (createdAt: string, id: string) => `${createdAt}#${id}`,
  },
  /** Pattern "a patient's claims, oldest first" (gsi2). */
  byPatient: {
    index: 'gsi2' as const,
    pk: (patientId: string) => `CLAIMS#PATIENT#${patientId}`,
    sk: (createdAt: string, id: string) => `${createdAt}#${id}`,
  },
};

export const batchKeys = {
  item: (id: string) => ({ pk: `CLAIM_BATCH#${id}`, sk: 'CLAIM_BATCH' }),
  /** The batch's 837 file, beside it: read only by the download. */
  file: (id: string) => ({ pk: `CLAIM_BATCH#${id}`, sk: 'FILE' }),
  /** Pattern "batches, newest last" (gsi1). */
  list: {
    index: 'gsi1' as const,
    pk: 'CLAIM_BATCHES',
    sk: (createdAt: string, id: string) => `${createdAt}#${id}`,
  },
};
