// Referral metrics: turnaround, loop closure (a consult note back within 90 days, the quantity CMS50 "closing the
// referral loop" measures) and declined reasons, by recipient and specialty.

export interface ReferralHistory {
  recipient: string;
  specialty: string;
  sentAt?: string;
  acceptedAt?: string;
  scheduledAt?: string;
  consultNoteAt?: string;
  declinedReason?: string;
}

const DAY = 86_400_000;

function days(from?: string, to?: string): number | undefined {
  if (!from || !to) return undefined;
  return (Date.parse(to) - Date.parse(from)) / DAY;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Math.round(value * 10) / 10;
}

export interface ReferralMetrics {
  key: string;
  sent: number;
  medianDaysToAccepted?: number;
  medianDaysToScheduled?: number;
  medianDaysToConsultNote?: number;
  /** Share of referrals sent at least 90 days ago whose consult note came back within 90 days. */
  loopClosureRate?: number;
  declinedReasons: Record<string, number>;
}

export function referralMetrics(
  history: readonly ReferralHistory[],
  by: 'recipient' | 'specialty',
  now: string,
): ReferralMetrics[] {
  const groups = new Map<string, ReferralHistory[]>();
  for (const r of history) {
    if (!r.sentAt) continue;
    groups.set(r[by], [...(groups.get(r[by]) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, rs]) => {
      const collect = (to: keyof ReferralHistory) =>
        rs.map((r) => days(r.sentAt, r[to])).filter((d): d is number => d !== undefined);
      // Only referrals whose 90-day window has ended count towards closure: a recent one may still close.
      const matured = rs.filter((r) => (days(r.sentAt, now) ?? 0) >= 90);
      const closed = matured.filter((r) => {
        const d = days(r.sentAt, r.consultNoteAt);
        return d !== undefined && d <= 90;
      });
      const declinedReasons: Record<string, number> = {};
      for (const r of rs)
        if (r.declinedReason)
          declinedReasons[r.declinedReason] = (declinedReasons[r.declinedReason] ?? 0) + 1;
      const metrics: ReferralMetrics = { key, sent: rs.length, declinedReasons };
      const accepted = median(collect('acceptedAt'));
      const scheduled = median(collect('scheduledAt'));
      const consult = median(collect('consultNoteAt'));
      if (accepted !== undefined) metrics.medianDaysToAccepted = accepted;
      if (scheduled !== undefined) metrics.medianDaysToScheduled = scheduled;
      if (consult !== undefined) metrics.medianDaysToConsultNote = consult;
      if (matured.length > 0) metrics.loopClosureRate = closed.length / matured.length;
      return metrics;
    });
}
