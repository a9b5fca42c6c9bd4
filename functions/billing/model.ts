// The billing context's domain shapes: what a claim carries from the chart and the set-up data to the payer, and
// what a remittance brings back. Amounts are integer cents (see money.ts); dates are ISO YYYY-MM-DD.

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
