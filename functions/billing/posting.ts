// Posting a remittance: each 835 claim (CLP) matched to the claim the practice sent (CLP01 = CLM01) and each
// service (SVC) to its line (REF*6R), turned into what the ledger records. Pure: the caller loads the claims by
// control number and writes the plan in one transaction per claim. Nothing is posted unless everything matches
// and balances: a remittance is accepted or rejected whole.
import { COST_SHARING } from './carc.ts';
import type { Adjustment } from './model.ts';
import { sum } from './money.ts';
import { balancingErrors, type Remittance, type RemittanceClaim } from './x12/remittance-835.ts';

/** A sent claim as posting needs it. */
export interface SentClaim {
  id: string;
  patientId: string;
  controlNumber: string;
  status: string;
  total: number;
  lines: { controlNumber: string; code: string; serviceDate: string; charge: number }[];
}

export type ClaimOutcome = 'paid' | 'partially-paid' | 'denied' | 'reversed';

export interface LinePosting {
  lineControlNumber: string;
  paid: number;
  allowed?: number;
  adjustments: Adjustment[];
  remarks: string[];
  denied: boolean;
}

export interface ClaimPosting {
  claimId: string;
  patientId: string;
  outcome: ClaimOutcome;
  paid: number;
  /** Contractual and other adjustments the practice writes off (groups CO, OA, PI, CR). */
  writtenOff: number;
  /** What moves to the patient's ledger (group PR). */
  patientResponsibility: number;
  payerClaimNumber?: string;
  adjustments: Adjustment[];
  lines: LinePosting[];
  /** Reason codes behind a denial, for the work queue. */
  denialReasons: string[];
}

export type PostingResult =
  | { ok: true; claims: ClaimPosting[]; providerAdjustments: Remittance['providerAdjustments'] }
  | { ok: false; errors: string[] };

const isPatientResponsibility = (a: Adjustment) => a.group === 'PR';

function lineOf(sent: SentClaim, line: RemittanceClaim['lines'][number]) {
  if (line.lineControlNumber) return sent.lines.find((l) => l.controlNumber === line.lineControlNumber);
  // Payers that drop REF*6R: fall back to the one line with that code and date, never a guess between several.
  const candidates = sent.lines.filter(
    (l) => l.code === line.procedure.code && (!line.serviceDate || l.serviceDate === line.serviceDate),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A line is denied when the payer paid nothing and the patient owes nothing for it. */
function lineDenied(paid: number, adjustments: readonly Adjustment[]): boolean {
  return paid === 0 && !adjustments.some(isPatientResponsibility);
}

export function planPosting(
  remittance: Remittance,
  sentByControlNumber: ReadonlyMap<string, SentClaim>,
): PostingResult {
  const errors = [...balancingErrors(remittance)];
  const claims: ClaimPosting[] = [];
  for (const paid of remittance.claims) {
    const sent = sentByControlNumber.get(paid.claimControlNumber);
    if (!sent) {
      errors.push(`claim ${paid.claimControlNumber}: no claim of this practice has that control number`);
      continue;
    }
    const lines: LinePosting[] = [];
    for (const [index, line] of paid.lines.entries()) {
      const match = lineOf(sent, line);
      if (!match) {
        errors.push(`claim ${paid.claimControlNumber} line ${index + 1}: matches no line of the claim`);
        continue;
      }
      lines.push({
        lineControlNumber: match.controlNumber,
        paid: line.paid,
        ...(line.allowed === undefined ? {} : { allowed: line.allowed }),
        adjustments: line.adjustments,
        remarks: line.remarks,
        denied: lineDenied(line.paid, line.adjustments),
      });
    }
    const adjustments = [...paid.adjustments, ...paid.lines.flatMap((l) => l.adjustments)];
    const reversal = paid.status === '22';
    const deniedLines = lines.filter((l) => l.denied);
    const outcome: ClaimOutcome = reversal
      ? 'reversed'
      : paid.status === '4' ||
          (lines.length > 0 && deniedLines.length === lines.length) ||
          lineDenied(paid.paid, adjustments)
        ? 'denied'
        : deniedLines.length > 0
          ? 'partially-paid'
          : 'paid';
    const denialReasons =
      outcome === 'denied' || outcome === 'partially-paid'
        ? [
            ...new Set(
              adjustments
                .filter((a) => !isPatientResponsibility(a) && !(a.group === 'CO' && a.reason === '45'))
                .filter((a) => !COST_SHARING.has(a.reason))
                .map((a) => `${a.group}-${a.reason}`),
            ),
          ]
        : [];
    claims.push({
      claimId: sent.id,
      patientId: sent.patientId,
      outcome,
      paid: paid.paid,
      writtenOff: sum(adjustments.filter((a) => !isPatientResponsibility(a)).map((a) => a.amount)),
      patientResponsibility: sum(adjustments.filter(isPatientResponsibility).map((a) => a.amount)),
      ...(paid.payerClaimNumber ? { payerClaimNumber: paid.payerClaimNumber } : {}),
      adjustments,
      lines,
      denialReasons,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, claims, providerAdjustments: remittance.providerAdjustments };
}
