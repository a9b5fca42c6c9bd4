// A referral's lifecycle, as one table, and how each status is told to the other side as a FHIR Task (the
// business status travels in Task.businessStatus, BSeR-style; Task.status carries FHIR's own state machine).
// https://hl7.org/fhir/R4/task.html#statemachine · https://hl7.org/fhir/us/bser/

export const REFERRAL_STATUSES = [
  'draft',
  'sent',
  'received',
  'accepted',
  'declined',
  'scheduled',
  'consult-note-received',
  'closed',
  'cancelled',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export type ReferralEvent =
  | 'send'
  | 'receive'
  | 'accept'
  | 'decline'
  | 'schedule'
  | 'return-consult-note'
  | 'close'
  | 'cancel';

const TRANSITIONS: Record<ReferralStatus, Partial<Record<ReferralEvent, ReferralStatus>>> = {
  draft: { send: 'sent', cancel: 'cancelled' },
  sent: { receive: 'received', accept: 'accepted', decline: 'declined', cancel: 'cancelled' },
  received: { accept: 'accepted', decline: 'declined', cancel: 'cancelled' },
  accepted: { schedule: 'scheduled', 'return-consult-note': 'consult-note-received', cancel: 'cancelled' },
  // A declined referral is closed by the referring practice (usually after sending it elsewhere).
  declined: { close: 'closed', cancel: 'cancelled' },
  // Rescheduling keeps it scheduled with a new date.
  scheduled: { schedule: 'scheduled', 'return-consult-note': 'consult-note-received', cancel: 'cancelled' },
  'consult-note-received': { close: 'closed' },
  closed: {},
  cancelled: {},
};

export function nextReferralStatus(
  current: ReferralStatus,
  event: ReferralEvent,
): ReferralStatus | undefined {
  return TRANSITIONS[current][event];
}

export function allowedReferralEvents(current: ReferralStatus): ReferralEvent[] {
  return Object.keys(TRANSITIONS[current]) as ReferralEvent[];
}

/** Open: the loop is not closed yet, so the referral is on a worklist and an external provider's grant holds. */
export function isOpenReferral(status: ReferralStatus): boolean {
  return status !== 'closed' && status !== 'cancelled' && status !== 'declined';
}

type TaskStatus =
  | 'draft'
  | 'requested'
  | 'received'
  | 'accepted'
  | 'rejected'
  | 'in-progress'
  | 'completed'
  | 'cancelled';

/** The FHIR Task.status that goes with each referral status. */
export const TASK_STATUS: Record<ReferralStatus, TaskStatus> = {
  draft: 'draft',
  sent: 'requested',
  received: 'received',
  accepted: 'accepted',
  declined: 'rejected',
  scheduled: 'in-progress',
  'consult-note-received': 'completed',
  closed: 'completed',
  cancelled: 'cancelled',
};

/**
 * The event a recipient's change to the Task means, read from the Task they updated in the FHIR store: their
 * status (and a consult note in Task.output) tell what they did. Undefined when nothing new happened.
 */
export function eventFromTask(
  current: ReferralStatus,
  task: { status: string; hasOutput: boolean; scheduledFor?: string },
): ReferralEvent | undefined {
  const candidates: ReferralEvent[] = [];
  if (task.status === 'received') candidates.push('receive');
  if (task.status === 'accepted') candidates.push('accept');
  if (task.status === 'rejected') candidates.push('decline');
  if (task.status === 'in-progress' && task.scheduledFor) candidates.push('schedule');
  if (task.status === 'completed' && task.hasOutput) candidates.push('return-consult-note');
  return candidates.find((event) => {
    const next = nextReferralStatus(current, event);
    return next !== undefined && (next !== current || event === 'schedule');
  });
}
