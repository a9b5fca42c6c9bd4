// Health care claim payment/advice, X12 5010 835 (005010X221A1): parsed into one remittance per transaction set,
// then checked against the guide's balancing rules before anything is posted. Balancing is enforced, never
// invented: a remittance that does not balance is rejected whole, with the reasons.
import type { Adjustment, AdjustmentGroup } from '../model.ts';
import { sum, toCents } from '../money.ts';
import { fromD8, type ParsedInterchange, parseInterchange, type Segment } from './envelope.ts';

export const IMPLEMENTATION_GUIDE_835 = '005010X221A1';

/** CLP02 claim status codes (the ones a practice acts on). */
export const CLAIM_STATUS: Record<string, string> = {
  '1': 'processed as primary',
  '2': 'processed as secondary',
  '3': 'processed as tertiary',
  '4': 'denied',
  '19': 'processed as primary, forwarded to additional payer(s)',
  '20': 'processed as secondary, forwarded to additional payer(s)',
  '21': 'processed as tertiary, forwarded to additional payer(s)',
  '22': 'reversal of previous payment',
  '23': 'not our claim, forwarded to additional payer(s)',
  '25': 'predetermination pricing only, no payment',
};

export interface RemittanceLine {
  procedure: { code: string; modifiers: string[] };
  billed: number;
  paid: number;
  units: number;
  serviceDate?: string;
  /** REF*6R: the practice's line control number sent in the 837. */
  lineControlNumber?: string;
  /** AMT*B6: the payer's allowed amount. */
  allowed?: number;
  adjustments: Adjustment[];
  /** LQ*HE: remittance advice remark codes (RARC). */
  remarks: string[];
}

export interface RemittanceClaim {
  /** CLP01: the claim control number the practice sent as CLM01. */
  claimControlNumber: string;
  status: string;
  billed: number;
  paid: number;
  patientResponsibility: number;
  filingIndicator?: string;
  /** CLP07: the payer's own number for the claim (needed to correct or void it later). */
  payerClaimNumber?: string;
  adjustments: Adjustment[];
  remarks: string[];
  lines: RemittanceLine[];
}

export interface ProviderAdjustment {
  /** PLB03-1, e.g. WO overpayment recovery, L6 interest, FB forwarding balance. */
  reason: string;
  reference?: string;
  /** Positive amounts reduce the payment; negative ones increase it. */
  amount: number;
}

export interface Remittance {
  /** TRN02: the check or EFT trace number; posting is idempotent on it (with the payer). */
  traceNumber: string;
  payerIdentifier?: string;
  payerName?: string;
  payeeNpi?: string;
  /** BPR02: the total actual provider payment. */
  totalPaid: number;
  paymentMethod: string;
  paymentDate?: string;
  claims: RemittanceClaim[];
  providerAdjustments: ProviderAdjustment[];
}

export class RemittanceFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemittanceFormatError';
  }
}

const GROUPS = new Set<AdjustmentGroup>(['CO', 'PR', 'OA', 'PI', 'CR']);

function amount(value: string | undefined, what: string): number {
  try {
    return toCents(value ?? '');
  } catch {
    throw new RemittanceFormatError(`${what} is not an amount`);
  }
}

function adjustmentsOf(elements: string[]): Adjustment[] {
  const group = elements[0] as AdjustmentGroup;
  if (!GROUPS.has(group))
    throw new RemittanceFormatError(`CAS01 group code "${elements[0]}" is not CO, PR, OA, PI or CR`);
  const adjustments: Adjustment[] = [];
  for (let i = 1; i + 1 < elements.length; i += 3) {
    const reason = elements[i];
    if (!reason) continue;
    const quantity = elements[i + 2];
    adjustments.push({
      group,
      reason,
      amount: amount(elements[i + 1], `CAS amount for ${group}-${reason}`),
      ...(quantity ? { quantity: Number(quantity) } : {}),
    });
  }
  return adjustments;
}

function procedureOf(composite: string | undefined): RemittanceLine['procedure'] {
  const [qualifier, code, ...modifiers] = (composite ?? '').split(':');
  if (!qualifier || !code) throw new RemittanceFormatError('SVC01 has no procedure code');
  return { code, modifiers: modifiers.filter(Boolean) };
}

/** Parses an 835 interchange (one or more transaction sets) into remittances. Throws RemittanceFormatError. */
export function parseRemittances(text: string): Remittance[] {
  let interchange: ParsedInterchange;
  try {
    interchange = parseInterchange(text);
  } catch (error) {
    throw new RemittanceFormatError((error as Error).message);
  }
  const remittances: Remittance[] = [];
  for (const group of interchange.groups) {
    for (const transaction of group.transactions) {
      if (transaction.header[0] !== '835') {
        throw new RemittanceFormatError(`transaction set ${transaction.header[0]} is not an 835`);
      }
      remittances.push(readTransaction(transaction.segments));
    }
  }
  if (remittances.length === 0) throw new RemittanceFormatError('no 835 transaction set');
  return remittances;
}

function readTransaction(segments: Segment[]): Remittance {
  const remittance: Remittance = {
    traceNumber: '',
    totalPaid: 0,
    paymentMethod: '',
    claims: [],
    providerAdjustments: [],
  };
  let claim: RemittanceClaim | undefined;
  let line: RemittanceLine | undefined;
  let party: string | undefined;
  for (const { tag, elements: e } of segments) {
    switch (tag) {
      case 'BPR':
        remittance.totalPaid = amount(e[1], 'BPR02');
        remittance.paymentMethod = e[3] ?? '';
        if (e[15]) remittance.paymentDate = fromD8(e[15]);
        break;
      case 'TRN':
        remittance.traceNumber = e[1] ?? '';
        break;
      case 'N1':
        party = e[0];
        if (party === 'PR') remittance.payerName = e[1];
        if (party === 'PE' && e[2] === 'XX') remittance.payeeNpi = e[3];
        break;
      case 'REF':
        if (line && e[0] === '6R') line.lineControlNumber = e[1];
        else if (!claim && party === 'PR' && e[0] === '2U') remittance.payerIdentifier = e[1];
        break;
      case 'CLP':
        line = undefined;
        claim = {
          claimControlNumber: e[0] ?? '',
          status: e[1] ?? '',
          billed: amount(e[2], 'CLP03'),
          paid: amount(e[3], 'CLP04'),
          patientResponsibility: e[4] ? amount(e[4], 'CLP05') : 0,
          ...(e[5] ? { filingIndicator: e[5] } : {}),
          ...(e[6] ? { payerClaimNumber: e[6] } : {}),
          adjustments: [],
          remarks: [],
          lines: [],
        };
        if (!claim.claimControlNumber) throw new RemittanceFormatError('CLP01 is empty');
        if (!(claim.status in CLAIM_STATUS))
          throw new RemittanceFormatError(`CLP02 status "${claim.status}" is unknown`);
        remittance.claims.push(claim);
        break;
      case 'CAS':
        if (line) line.adjustments.push(...adjustmentsOf(e));
        else if (claim) claim.adjustments.push(...adjustmentsOf(e));
        else throw new RemittanceFormatError('CAS outside a claim');
        break;
      case 'MOA':
      case 'MIA':
        if (claim)
          claim.remarks.push(...e.slice(tag === 'MOA' ? 2 : 19).filter((v) => /^[A-Z]+\d+$/.test(v)));
        break;
      case 'SVC':
        if (!claim) throw new RemittanceFormatError('SVC outside a claim');
        line = {
          procedure: procedureOf(e[0]),
          billed: amount(e[1], 'SVC02'),
          paid: amount(e[2], 'SVC03'),
          units: e[4] ? Number(e[4]) : 1,
          adjustments: [],
          remarks: [],
        };
        claim.lines.push(line);
        break;
      case 'DTM':
        if (line && (e[0] === '472' || e[0] === '150') && e[1]) line.serviceDate = fromD8(e[1]);
        break;
      case 'AMT':
        if (line && e[0] === 'B6') line.allowed = amount(e[1], 'AMT02 allowed amount');
        break;
      case 'LQ':
        if (line && e[0] === 'HE' && e[1]) line.remarks.push(e[1]);
        break;
      case 'PLB':
        line = undefined;
        claim = undefined;
        for (let i = 2; i + 1 < e.length; i += 2) {
          const [reason, reference] = (e[i] ?? '').split(':');
          if (!reason) continue;
          remittance.providerAdjustments.push({
            reason,
            ...(reference ? { reference } : {}),
            amount: amount(e[i + 1], `PLB amount for ${reason}`),
          });
        }
        break;
      default:
        break;
    }
  }
  if (!remittance.traceNumber)
    throw new RemittanceFormatError('TRN02 (check or EFT trace number) is missing');
  return remittance;
}

/**
 * The 835 guide's balancing rules (005010X221A1, section 1.10.2): per line, billed − paid = Σ line adjustments;
 * per claim, billed − paid = Σ claim and line adjustments, and paid = Σ line paid when lines are reported;
 * per transaction, BPR02 = Σ claim paid − Σ provider adjustments. Returns every rule that fails.
 */
export function balancingErrors(remittance: Remittance): string[] {
  const errors: string[] = [];
  const adjusted = (adjustments: readonly Adjustment[]) => sum(adjustments.map((a) => a.amount));
  for (const claim of remittance.claims) {
    const lineAdjustments = sum(claim.lines.map((l) => adjusted(l.adjustments)));
    if (claim.billed - claim.paid !== adjusted(claim.adjustments) + lineAdjustments) {
      errors.push(`claim ${claim.claimControlNumber}: billed − paid does not equal its adjustments`);
    }
    if (claim.lines.length > 0 && sum(claim.lines.map((l) => l.paid)) !== claim.paid) {
      errors.push(`claim ${claim.claimControlNumber}: the lines' payments do not add up to the claim's`);
    }
    claim.lines.forEach((line, index) => {
      if (line.billed - line.paid !== adjusted(line.adjustments)) {
        errors.push(
          `claim ${claim.claimControlNumber} line ${index + 1}: billed − paid does not equal its adjustments`,
        );
      }
    });
  }
  const expected =
    sum(remittance.claims.map((c) => c.paid)) - sum(remittance.providerAdjustments.map((p) => p.amount));
  if (expected !== remittance.totalPaid) {
    errors.push('the payment total (BPR02) does not equal the claims paid less provider adjustments');
  }
  return errors;
}
