// An existing appointment as every use case on it opens it (found, filed under its patient for the audit trail,
// the caller authorised, the version checked), and the plain words of a refusal its status causes.
import { touchesPatient } from '#shared/audit.ts';
import { authorize } from '#shared/auth/policy.ts';
import type { Role } from '#shared/auth/roles.ts';
import {
  ConcealedDenialError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
} from '#shared/errors.ts';
import { etag } from '#shared/http/result.ts';
import { replayIfSeen } from '#shared/idempotency.ts';
import type { SchedulingContext } from './context.ts';
import type { AppointmentStatus } from './schemas.ts';
import type { SchedulingStore, StoredAppointment } from './store.ts';

/**
 * One GetItem. Another patient's appointment is concealed as missing; with `expectedVersion`, a stale one is 412
 * (or, for a retry of a change that went through, the first answer again).
 */
export async function openAppointment(
  store: SchedulingStore,
  ctx: SchedulingContext,
  appointmentId: string,
  roles: readonly Role[],
  expectedVersion?: number,
): Promise<StoredAppointment> {
  const stored = await store.appointment(appointmentId);
  if (!stored) throw new NotFoundError('No such appointment');
  const { appointment } = stored;
  // From here on a denial or failure of this request is filed under the appointment's patient.
  touchesPatient(appointment.patientId);
  if (authorize(ctx.principal, roles, { patientId: appointment.patientId }) !== 'allow') {
    throw new ConcealedDenialError('No such appointment');
  }
  if (expectedVersion !== undefined && appointment.version !== expectedVersion) {
    // A retry of a change that went through finds the appointment moved on: it gets the first answer again.
    await replayIfSeen(ctx.idempotency);
    throw new PreconditionFailedError('The appointment changed since you read it; read it again', [], {
      ETag: etag(appointment.version),
    });
  }
  return stored;
}

/** A status as the front desk says it (FHIR's codes are `arrived`, `noshow`, `fulfilled`). */
const STATUS_WORDS: Record<AppointmentStatus, string> = {
  booked: 'booked',
  arrived: 'checked-in',
  fulfilled: 'completed',
  cancelled: 'cancelled',
  noshow: 'no-show',
};

/**
 * The 409 for a change the appointment's status forbids, in plain words: "The appointment is already checked in"
 * for a repeat, "A cancelled appointment cannot be checked in" otherwise.
 */
export function statusConflict(
  status: AppointmentStatus,
  done: string,
  to?: AppointmentStatus,
): ConflictError {
  if (status === to) return new ConflictError(`The appointment is already ${done}`);
  const word = STATUS_WORDS[status];
  const article = /^[aeiou]/.test(word) ? 'An' : 'A';
  return new ConflictError(`${article} ${word} appointment cannot be ${done}`);
}
