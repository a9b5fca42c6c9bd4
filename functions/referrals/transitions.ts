// Applying a lifecycle event to a referral record: the next status from the lifecycle table, the timestamp and
// details each status keeps, and the history entry. Pure; the service commits the result.
import { ConflictError, UnprocessableError } from '#shared/errors.ts';
import { allowedReferralEvents, nextReferralStatus, type ReferralEvent } from './lifecycle.ts';
import type { Referral } from './schemas.ts';

export interface Change {
  at: string;
  by: Referral['referrer'];
  via: 'api' | 'fhir';
  /** Decline or cancel reason. */
  reason?: string;
  /** The appointment date a schedule event records. */
  appointmentDate?: string;
}

/** The referral after `event`, or a 409 naming what the status allows. */
export function transitioned(before: Referral, event: ReferralEvent, change: Change): Referral {
  const status = nextReferralStatus(before.status, event);
  if (!status)
    throw new ConflictError(
      `A ${before.status} referral does not allow "${event}"; it allows: ${allowedReferralEvents(before.status).join(', ') || 'nothing'}`,
    );
  if (event === 'decline' && !change.reason)
    throw new UnprocessableError('A declined referral needs a reason', [
      { field: 'body.reason', message: 'Required' },
    ]);
  if (event === 'cancel' && !change.reason)
    throw new UnprocessableError('A cancellation needs a reason', [
      { field: 'body.reason', message: 'Required' },
    ]);
  if (event === 'schedule' && !change.appointmentDate)
    throw new UnprocessableError('Scheduling needs the appointment date', [
      { field: 'body.appointmentDate', message: 'Required' },
    ]);
  const after: Referral = {
    ...before,
    status,
    history: [
      ...before.history,
      {
        status,
        at: change.at,
        by: change.by,
        via: change.via,
        ...(change.reason ? { note: change.reason } : {}),
      },
    ],
  };
  switch (event) {
    case 'send':
      after.sentAt = change.at;
      break;
    case 'receive':
      after.receivedAt = change.at;
      break;
    case 'accept':
      after.acceptedAt = change.at;
      break;
    case 'decline':
      after.declinedAt = change.at;
      if (change.reason) after.declineReason = change.reason;
      break;
    case 'schedule':
      after.scheduledAt = change.at;
      if (change.appointmentDate) after.appointmentDate = change.appointmentDate;
      // A recipient that schedules without saying "accepted" first has accepted.
      after.acceptedAt ??= change.at;
      break;
    case 'return-consult-note':
      after.consultNoteAt = change.at;
      after.acceptedAt ??= change.at;
      break;
    case 'close':
      after.closedAt = change.at;
      break;
    case 'cancel':
      after.cancelledAt = change.at;
      if (change.reason) after.cancelReason = change.reason;
      break;
  }
  return after;
}

/**
 * The events a recipient's Task means, in order: what eventFromTask reads, preceded by the acceptance a Task that
 * went straight to in-progress or completed implies (the recipient may skip a step between two polls).
 */
export function eventsFromTask(
  current: Referral['status'],
  task: { status: string; hasOutput: boolean; scheduledFor?: string },
  read: (status: Referral['status'], t: typeof task) => ReferralEvent | undefined,
): ReferralEvent[] {
  const events: ReferralEvent[] = [];
  let status = current;
  for (let step = 0; step < 4; step++) {
    let event = read(status, task);
    if (
      !event &&
      (task.status === 'in-progress' || task.status === 'completed') &&
      nextReferralStatus(status, 'accept')
    )
      event = 'accept';
    if (!event) break;
    const next = nextReferralStatus(status, event);
    // A step that stays put (a reschedule) is the recipient's change only when it is the first one read.
    if (!next || (next === status && events.length > 0)) break;
    events.push(event);
    if (next === status) break;
    status = next;
  }
  return events;
}
