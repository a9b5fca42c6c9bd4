// When a referral is due and when it is overdue, and the order of the coordinator's worklist.
import { addDays } from '#shared/calendar-dates.ts';

export type Urgency = 'routine' | 'urgent' | 'stat';

/** Days to the due date when the clinician gives none: routine 30 calendar days, urgent 7, stat 1. */
const DUE_DAYS: Record<Urgency, number> = { routine: 30, urgent: 7, stat: 1 };

/** Business days the recipient has to answer (accept or decline) before the referral counts as overdue. */
const ANSWER_BUSINESS_DAYS: Record<Urgency, number> = { routine: 5, urgent: 1, stat: 1 };

/** Adds business days (Monday to Friday); holidays are the practice's to add to its calendar, not guessed here. */
export function addBusinessDays(isoDate: string, days: number): string {
  let date = isoDate.slice(0, 10);
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return date;
}

export function defaultDueDate(sentOn: string, urgency: Urgency): string {
  return addDays(sentOn, DUE_DAYS[urgency]);
}

export interface WorklistEntry {
  id: string;
  urgency: Urgency;
  /** The day it was sent (YYYY-MM-DD); undefined for a draft. */
  sentOn?: string;
  dueDate: string;
  /** Whether the recipient has answered (accepted or declined). */
  answered: boolean;
}

/** Overdue: past its due date, or unanswered past the answer window for its urgency. */
export function isOverdue(entry: WorklistEntry, today: string): boolean {
  if (entry.dueDate < today) return true;
  if (entry.answered || !entry.sentOn) return false;
  return addBusinessDays(entry.sentOn, ANSWER_BUSINESS_DAYS[entry.urgency]) < today;
}

const URGENCY_RANK: Record<Urgency, number> = { stat: 0, urgent: 1, routine: 2 };

/** Overdue first, then by urgency, then the earliest due date; ties by id so pages are stable. */
export function worklistOrder(entries: readonly WorklistEntry[], today: string): WorklistEntry[] {
  return [...entries].sort(
    (a, b) =>
      Number(isOverdue(b, today)) - Number(isOverdue(a, today)) ||
      URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
      a.dueDate.localeCompare(b.dueDate) ||
      a.id.localeCompare(b.id),
  );
}
