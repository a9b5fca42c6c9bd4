// What posting a remittance does to one claim, decided before anything is written: the claim's next status (through
// the lifecycle table), the entries on the patient's ledger, and the denial work-queue entry. Pure.
//
// A denied line is not written off here: its amount stays owed by insurance until someone acts on the denial
// (corrects, appeals or writes it off), so the balance shows money still at stake. Contractual adjustments on
// paid lines (CO-45) are written off at once; patient responsibility (PR) moves to the patient.
import type { LedgerEntry } from './account-schemas.ts';
import { carcMeaning } from './carc.ts';
import { type ClaimEvent, type ClaimStatus, nextClaimStatus } from './lifecycle.ts';
import type { Adjustment } from './model.ts';
import { sum } from './money.ts';
import type { ClaimOutcome, ClaimPosting, SentClaim } from './posting.ts';

/** A claim as posting reads it: what planPosting matches, plus what the write is conditioned on. */
export interface PostingClaim extends SentClaim {
  version: number;
  status: ClaimStatus;
  /** The claim's first date of service (statement lines, aging). */
  serviceDate: string;
}

export type LedgerDraft = Pick<
  LedgerEntry,
  'patientId' | 'kind' | 'amount' | 'claimId' | 'serviceDate' | 'description' | 'traceNumber'
>;

export interface DenialReason {
  /** Group and CARC, e.g. CO-16. */
  code: string;
  meaning: string;
  amount: number;
}

export interface DenialDraft {
  claimId: string;
  patientId: string;
  controlNumber: string;
  outcome: 'denied' | 'partially-paid';
  reasons: DenialReason[];
  /** RARCs (LQ*HE) the payer added, e.g. M51. */
  remarks: string[];
  /** What the payer refused: the amount still owed by insurance until someone acts. */
  amount: number;
  serviceDate: string;
}

/** What the claim record keeps of its latest remittance. */
export interface RemittanceResult {
  traceNumber: string;
  outcome: ClaimOutcome;
  paid: number;
  patientResponsibility: number;
  writtenOff: number;
  /** What the payer refused and nobody has written off yet: still owed by insurance, on the denial queue. */
  openDenied: number;
  payerClaimNumber?: string;
  adjustments: Adjustment[];
  lines: ClaimPosting['lines'];
}

export interface ClaimEffects {
  claim: PostingClaim;
  status: ClaimStatus;
  ledger: LedgerDraft[];
  denial?: DenialDraft;
  result: RemittanceResult;
}

const EVENT: Record<ClaimOutcome, ClaimEvent> = {
  paid: 'pay',
  'partially-paid': 'partially-pay',
  denied: 'deny',
  reversed: 'reverse',
};

const key = (a: Adjustment) => `${a.group}-${a.reason}`;

/** Adjustments summed by group and reason, in first-seen order, zero sums dropped. */
function byReason(adjustments: readonly Adjustment[]): { code: string; reason: string; amount: number }[] {
  const totals = new Map<string, { code: string; reason: string; amount: number }>();
  for (const a of adjustments) {
    const row = totals.get(key(a)) ?? { code: key(a), reason: a.reason, amount: 0 };
    row.amount += a.amount;
    totals.set(key(a), row);
  }
  return [...totals.values()].filter((r) => r.amount !== 0);
}

/** Adjustments that are part of a denial rather than written off: the non-PR ones on denied lines (or claim). */
function split(posting: ClaimPosting, claimLevel: readonly Adjustment[]) {
  const deniedWhole = posting.outcome === 'denied';
  const open: Adjustment[] = [];
  const writeOff: Adjustment[] = [];
  const patient: Adjustment[] = [];
  const sort = (adjustments: readonly Adjustment[], denied: boolean) => {
    for (const a of adjustments) {
      if (a.group === 'PR') patient.push(a);
      else if (denied && !(a.group === 'CO' && a.reason === '45')) open.push(a);
      else writeOff.push(a);
    }
  };
  sort(claimLevel, deniedWhole);
  for (const line of posting.lines) sort(line.adjustments, deniedWhole || line.denied);
  return { open, writeOff, patient };
}

/**
 * The effects of one or more of a remittance's CLPs on one claim (a reversal and its correction arrive together),
 * or the reason the claim cannot take them (its status does not allow it).
 */
export function effectsOf(
  claim: PostingClaim,
  postings: readonly ClaimPosting[],
  traceNumber: string,
  payerName: string,
): ClaimEffects | { error: string } {
  let status = claim.status;
  const ledger: LedgerDraft[] = [];
  let denial: DenialDraft | undefined;
  let openDenied = 0;
  const base = {
    patientId: claim.patientId,
    claimId: claim.id,
    serviceDate: claim.serviceDate,
    traceNumber,
  };
  for (const posting of postings) {
    const next = nextClaimStatus(status, EVENT[posting.outcome]);
    if (!next) {
      return {
        error: `claim ${claim.controlNumber}: a ${posting.outcome} remittance cannot post to a ${status} claim`,
      };
    }
    status = next;
    const reversal = posting.outcome === 'reversed';
    const lineAdjustments = new Set(posting.lines.flatMap((l) => l.adjustments));
    const claimLevel = posting.adjustments.filter((a) => !lineAdjustments.has(a));
    const { open, writeOff, patient } = split(posting, claimLevel);
    openDenied = reversal ? 0 : sum(open.map((a) => a.amount));
    if (posting.paid !== 0) {
      ledger.push({
        ...base,
        kind: 'insurance-payment',
        amount: posting.paid,
        description: reversal ? `${payerName}: payment reversed` : `${payerName} paid`,
      });
    }
    for (const r of byReason(writeOff)) {
      ledger.push({
        ...base,
        kind: 'adjustment',
        amount: r.amount,
        description: `${r.code} ${carcMeaning(r.reason)}`,
      });
    }
    for (const r of byReason(patient)) {
      ledger.push({
        ...base,
        kind: 'patient-responsibility',
        amount: r.amount,
        description: `${r.code} ${carcMeaning(r.reason)}`,
      });
    }
    if (posting.outcome === 'denied' || posting.outcome === 'partially-paid') {
      denial = {
        claimId: claim.id,
        patientId: claim.patientId,
        controlNumber: claim.controlNumber,
        outcome: posting.outcome,
        reasons: byReason(open).map((r) => ({
          code: r.code,
          meaning: carcMeaning(r.reason),
          amount: r.amount,
        })),
        remarks: [...new Set(posting.lines.flatMap((l) => l.remarks))],
        amount: sum(open.map((a) => a.amount)),
        serviceDate: claim.serviceDate,
      };
    } else if (!reversal) {
      denial = undefined;
    }
  }
  const last = postings[postings.length - 1];
  if (!last) return { error: `claim ${claim.controlNumber}: nothing to post` };
  return {
    claim,
    status,
    ledger,
    ...(denial ? { denial } : {}),
    result: {
      traceNumber,
      outcome: last.outcome,
      paid: sum(postings.map((p) => p.paid)),
      patientResponsibility: sum(postings.map((p) => p.patientResponsibility)),
      writtenOff: sum(postings.map((p) => p.writtenOff)) - openDenied,
      openDenied,
      ...(last.payerClaimNumber ? { payerClaimNumber: last.payerClaimNumber } : {}),
      adjustments: postings.flatMap((p) => p.adjustments),
      lines: last.lines,
    },
  };
}
