// Timely filing: a payer refuses a claim filed later than its limit after the date of service (Medicare: 365 days,
// CARC 29). The daily check flags every claim not yet accepted by its payer whose limit falls within the warning
// window, so the billing office sends it while it still can. Pure: the caller loads the claims and payers.
import { addDays, daysBetween } from '#shared/calendar-dates.ts';

/** Statuses of a claim the payer has not yet accepted: still the practice's to send. */
export const UNSENT_STATUSES = ['draft', 'ready', 'rejected'] as const;

export interface TimelyFilingFlag {
  claimId: string;
  patientId: string;
  payerId: string;
  serviceDate: string;
  /** The last day the payer accepts the claim. */
  deadline: string;
  daysLeft: number;
}

export function nearingTimelyFiling(
  claims: readonly {
    id: string;
    patientId: string;
    payerId: string;
    lines: readonly { serviceDate: string }[];
  }[],
  timelyFilingDays: ReadonlyMap<string, number>,
  today: string,
  warningDays: number,
): TimelyFilingFlag[] {
  const flags: TimelyFilingFlag[] = [];
  for (const claim of claims) {
    const limit = timelyFilingDays.get(claim.payerId);
    // The earliest date of service starts the clock.
    const serviceDate = claim.lines.map((l) => l.serviceDate).sort()[0];
    if (limit === undefined || !serviceDate) continue;
    const deadline = addDays(serviceDate, limit);
    const daysLeft = daysBetween(today, deadline);
    if (daysLeft <= warningDays) {
      flags.push({
        claimId: claim.id,
        patientId: claim.patientId,
        payerId: claim.payerId,
        serviceDate,
        deadline,
        daysLeft,
      });
    }
  }
  return flags.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.claimId.localeCompare(b.claimId));
}
