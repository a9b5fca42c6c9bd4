// The billing context's domain shapes: what a claim carries from the chart and the set-up data to the payer, and
// what a remittance brings back. Amounts are integer cents (see money.ts); dates are ISO YYYY-MM-DD.
import type { ClaimEvent, ClaimStatus } from './lifecycle.ts';

export interface PostalAddress {
  line: string[];
  city: string;
  state: string;
  /** Five or nine digits; a billing provider's must be nine (ZIP+4). */
  postalCode: string;
}

export interface PersonName {
  family: string;
  given: string[];
}

/** X12 claim filing indicator (SBR09): MB Medicare Part B, MC Medicaid, CI commercial, BL Blue Cross, ... */
export type ClaimFilingIndicator = 'MB' | 'MC' | 'CI' | 'BL' | 'HM' | 'CH' | 'VA' | 'WC' | 'OF' | 'ZZ';

export interface BillingProfile {
  name: string;
  npi: string;
  /** Employer identification number, nine digits. */
  taxId: string;
  /** NUCC provider taxonomy code, e.g. 207Q00000X (family medicine). */
  taxonomy: string;
  address: PostalAddress;
  payTo?: PostalAddress;
  submitter: { id: string; name: string; contactName: string; phone: string };
  receiver: { id: string; name: string };
}

export interface Payer {
  id: string;
  name: string;
  /** The payer id as the clearinghouse knows it. */
  payerId: string;
  filingIndicator: ClaimFilingIndicator;
  address?: PostalAddress;
  /** Days from the date of service within which the payer accepts a claim (Medicare: 365). */
  timelyFilingDays: number;
}

export type SubscriberRelationship = 'self' | 'spouse' | 'child' | 'other';

export interface Coverage {
  id: string;
  payer: Payer;
  order: 'primary' | 'secondary' | 'tertiary';
  memberId: string;
  groupNumber?: string;
  relationship: SubscriberRelationship;
  subscriber: {
    name: PersonName;
    birthDate: string;
    sex: 'male' | 'female' | 'unknown';
    address?: PostalAddress;
  };
  start: string;
  end?: string;
}

export interface ClaimPatient {
  name: PersonName;
  birthDate: string;
  sex: 'male' | 'female' | 'unknown';
  address: PostalAddress;
}

export interface ClaimProvider {
  name: PersonName;
  npi: string;
  taxonomy?: string;
}

export interface ServiceLine {
  /** 1-based, the LX number. */
  lineNumber: number;
  /** Unique within the practice; echoed back by the payer in the 835's REF*6R so a payment posts to its line. */
  controlNumber: string;
  /** CPT or HCPCS Level II code. */
  code: string;
  modifiers: string[];
  units: number;
  charge: number;
  serviceDate: string;
  /** CMS place-of-service code, e.g. 11 office, 02 / 10 telehealth. */
  placeOfService: string;
  /** 1-based pointers into the claim's diagnoses, at most four. */
  diagnosisPointers: number[];
}

/** Claim frequency (CLM05-3): 1 original, 7 replacement of a prior claim, 8 void of a prior claim. */
export type ClaimFrequency = '1' | '7' | '8';

/** What the primary payer paid and adjusted, carried to a secondary claim (coordination of benefits). */
export interface PriorPayerResult {
  coverage: Coverage;
  paid: number;
  adjustments: Adjustment[];
  adjudicationDate: string;
  lines: { lineNumber: number; paid: number; adjustments: Adjustment[] }[];
}

export interface Claim {
  id: string;
  /** CLM01: the practice's claim control number, returned by the payer as CLP01. */
  controlNumber: string;
  frequency: ClaimFrequency;
  /** The payer's claim number of the claim being replaced or voided (frequency 7 or 8). */
  originalClaimNumber?: string;
  priorAuthorization?: string;
  patient: ClaimPatient;
  coverage: Coverage;
  /** ICD-10-CM codes with their dot (E11.9); the first is the principal diagnosis. At most 12. */
  diagnoses: string[];
  lines: ServiceLine[];
  renderingProvider: ClaimProvider;
  referringProvider?: ClaimProvider;
  /** Earlier payers' results when this claim goes to a secondary or tertiary payer. */
  priorPayers?: PriorPayerResult[];
}

/** CAS group codes: contractual obligation, patient responsibility, other, payer initiated, correction/reversal. */
export type AdjustmentGroup = 'CO' | 'PR' | 'OA' | 'PI' | 'CR';

export interface Adjustment {
  group: AdjustmentGroup;
  /** Claim adjustment reason code (CARC). */
  reason: string;
  amount: number;
  quantity?: number;
}

export function claimTotal(claim: Pick<Claim, 'lines'>): number {
  return claim.lines.reduce((total, line) => total + line.charge, 0);
}

// ── Stored records ───────────────────────────────────────────────────────────────────────────────────────────
// What the billing context keeps in the table: the domain shapes above plus the server's stamp (id, version, who
// and when), and the references the claim needs to be assembled again at check and batch time.

/** The fields the server owns on every record (shared/records.ts stamps them). */
export interface Stamp {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

export type StoredBillingProfile = BillingProfile & Stamp;

export type StoredPayer = Payer & Stamp;

/** A fee schedule entry: the practice's charge for a code (and modifier), and what each payer allows for it. */
export interface FeeScheduleEntry extends Stamp {
  /** CPT or HCPCS Level II; the practice's own entry (no AMA descriptions are shipped). */
  code: string;
  modifier?: string;
  charge: number;
  /** Per payer (StoredPayer.id): the allowed amount, for expected-payment checks. */
  allowed?: Record<string, number>;
}

/** A coverage as stored in the patient's partition: the payer by reference, read fresh when a claim is built. */
export interface StoredCoverage extends Omit<Coverage, 'payer' | 'subscriber'>, Stamp {
  patientId: string;
  /** The policy holder; absent when it is the patient (relationship self): the claim uses the patient then. */
  subscriber?: Coverage['subscriber'];
  /** StoredPayer.id. */
  payerId: string;
}

/** A service line as recorded on the encounter (before a claim numbers and control-numbers it). */
export interface ChargeLine {
  code: string;
  modifiers: string[];
  units: number;
  charge: number;
  serviceDate: string;
  placeOfService: string;
  diagnosisPointers: number[];
}

/** The encounter's charges: what a claim is made of. One item per encounter, changed with If-Match. */
export interface EncounterCharges extends Stamp {
  patientId: string;
  encounterId: string;
  /** When the encounter started, YYYY-MM-DD: the default date of service. */
  encounterDate: string;
  /** The encounter's notes when the charges were last written: a claim needs one signed. */
  notes: { id: string; status: 'draft' | 'signed' }[];
  /** Claim diagnoses, ICD-10-CM with their dot; the first is the principal one. At most 12. */
  diagnoses: string[];
  lines: ChargeLine[];
  renderingProvider: ClaimProvider;
  referringProvider?: ClaimProvider;
  priorAuthorization?: string;
}

export interface ClaimHistoryEntry {
  at: string;
  by: string;
  event: ClaimEvent | 'create' | 'write-off';
  from?: ClaimStatus;
  to: ClaimStatus;
  note?: string;
}

/**
 * A claim as stored. The patient's demographics and the payer's details are not copied: they are read when the claim
 * is checked and batched (toClaim assembles the 837's Claim), so a corrected address goes out on the next claim.
 */
export interface StoredClaim extends Omit<Claim, 'patient' | 'coverage'>, Stamp {
  patientId: string;
  encounterId: string;
  status: ClaimStatus;
  /** StoredPayer.id of the coverage billed. */
  payerId: string;
  coverage: StoredCoverage;
  /** CLM02 as stored: the scrubber checks it against the lines. */
  total: number;
  /** The payer's own number for this claim (277CA, CLP07): what a correction or void must cite. */
  payerClaimNumber?: string;
  /** The claim this one replaces (frequency 7) or voids (frequency 8), and the claim that did so to this one. */
  replaces?: string;
  replacedBy?: string;
  batchId?: string;
  submittedAt?: string;
  writeOff?: { amount: number; reason: string };
  history: ClaimHistoryEntry[];
}

/** The 837's Claim: the stored claim with the patient's demographics and the payer as they are now. */
export function toClaim(stored: StoredClaim, patient: ClaimPatient, payer: Payer): Claim {
  const { payerId: _payerId, patientId: _patientId, subscriber, ...coverage } = stored.coverage;
  return {
    id: stored.id,
    controlNumber: stored.controlNumber,
    frequency: stored.frequency,
    ...(stored.originalClaimNumber ? { originalClaimNumber: stored.originalClaimNumber } : {}),
    ...(stored.priorAuthorization ? { priorAuthorization: stored.priorAuthorization } : {}),
    patient,
    coverage: {
      ...coverage,
      payer,
      subscriber: subscriber ?? {
        name: patient.name,
        birthDate: patient.birthDate,
        sex: patient.sex,
        ...(patient.address.line.length > 0 ? { address: patient.address } : {}),
      },
    },
    diagnoses: stored.diagnoses,
    lines: stored.lines,
    renderingProvider: stored.renderingProvider,
    ...(stored.referringProvider ? { referringProvider: stored.referringProvider } : {}),
    ...(stored.priorPayers ? { priorPayers: stored.priorPayers } : {}),
  };
}

export interface ClaimBatch extends Stamp {
  claimIds: string[];
  /** The patients whose claims the file carries: a download is audited under each. */
  patientIds: string[];
  claimCount: number;
  total: number;
  interchangeControlNumber: number;
  groupControlNumber: number;
  fileName: string;
  /** built: recorded, claims submitted; sent: handed to the EDI outbox. */
  status: 'built' | 'sent';
  sentAt?: string;
}
