// An appointment's life after booking: cancel (frees the time), check in (opens the visit's encounter in the same
// transaction), no-show and complete. Each reads the appointment, then its calendar hours, then commits once.
import { type EncounterOpening, openEncounter } from '#functions/charting/index.ts';
import { succeeded } from '#shared/audit.ts';
import type { Role } from '#shared/auth/roles.ts';
import { nowMs } from '#shared/clock.ts';
import { type HttpResult, recordResult } from '#shared/http/result.ts';
import { nextVersion } from '#shared/records.ts';
import { openAppointment, statusConflict } from './appointments.ts';
import { Calendar, patientHoursOf, providerHoursOf } from './calendar.ts';
import { type SchedulingContext, withRetries } from './context.ts';
import type { Appointment, AppointmentStatus } from './schemas.ts';
import { DynamoSchedulingStore, type Found, type SchedulingStore, type StoredAppointment } from './store.ts';

/** Which transitions make sense: anything else is a 409. `done` is what the change does, in words. */
const TRANSITIONS = {
  'check-in': { from: ['booked'], to: 'arrived', action: 'appointment.check-in', done: 'checked in' },
  'no-show': { from: ['booked'], to: 'noshow', action: 'appointment.no-show', done: 'marked as a no-show' },
  complete: { from: ['arrived'], to: 'fulfilled', action: 'appointment.complete', done: 'completed' },
} as const satisfies Record<
  string,
  { from: readonly AppointmentStatus[]; to: AppointmentStatus; action: string; done: string }
>;
export type Transition = keyof typeof TRANSITIONS;

export class AppointmentLifecycle {
  private readonly store: SchedulingStore;

  constructor(store: SchedulingStore = new DynamoSchedulingStore()) {
    this.store = store;
  }

  async cancel(
    ctx: SchedulingContext,
    appointmentId: string,
    reason: string,
    roles: readonly Role[],
    expectedVersion: number,
  ): Promise<HttpResult> {
    return withRetries(async () => {
      const stored = await openAppointment(this.store, ctx, appointmentId, roles, expectedVersion);
      const before = stored.appointment;
      if (before.status !== 'booked') throw statusConflict(before.status, 'cancelled', 'cancelled');
      const { calendar } = await this.readHours(before);
      calendar.remove(before.id);
      const after: Appointment = {
        ...nextVersion(ctx, before, before),
        status: 'cancelled',
        cancellationReason: reason,
      };
      return this.save(ctx, stored, after, calendar, 'appointment.cancel');
    });
  }

  async transition(
    ctx: SchedulingContext,
    appointmentId: string,
    name: Transition,
    roles: readonly Role[],
    expectedVersion: number,
  ): Promise<HttpResult> {
    const rule: { from: readonly AppointmentStatus[]; to: AppointmentStatus; action: string; done: string } =
      TRANSITIONS[name];
    return withRetries(async () => {
      const stored = await openAppointment(this.store, ctx, appointmentId, roles, expectedVersion);
      const before = stored.appointment;
      if (!rule.from.includes(before.status)) throw statusConflict(before.status, rule.done, rule.to);
      const opensVisit = rule.to === 'arrived';
      const { calendar, found } = await this.readHours(before, opensVisit);
      calendar.update(before.id, { status: rule.to, version: before.version + 1 });
      const next = nextVersion(ctx, before, before);
      // Check-in opens the visit's encounter in the same transaction, linked to the appointment.
      const visit = opensVisit ? openEncounter(ctx, encounterFor(before, found, next.updatedAt)) : undefined;
      const after: Appointment = {
        ...next,
        status: rule.to,
        ...(opensVisit ? { checkedInAt: next.updatedAt } : {}),
        ...(visit ? { encounterId: visit.encounter.id } : {}),
      };
      return this.save(ctx, stored, after, calendar, rule.action, visit);
    });
  }

  /**
   * The appointment's hours on its provider's and patient's calendars in one BatchGetItem; with `visit`, also the
   * provider, location and appointment type the encounter it opens is about.
   */
  private async readHours(a: Appointment, visit = false): Promise<{ calendar: Calendar; found: Found }> {
    const found = await this.store.read({
      hours: [...providerHoursOf(a), ...patientHoursOf(a)],
      ...(visit
        ? { provider: a.providerId, location: a.locationId, appointmentType: a.appointmentTypeId }
        : {}),
    });
    return { calendar: new Calendar(found.buckets), found };
  }

  /** The appointment, on the version read, with its changed hours (and the visit's writes), in one transaction. */
  private async save(
    ctx: SchedulingContext,
    stored: StoredAppointment,
    after: Appointment,
    calendar: Calendar,
    action: string,
    visit?: ReturnType<typeof openEncounter>,
  ): Promise<HttpResult> {
    const result = recordResult(200, after);
    await this.store.commit(ctx, {
      buckets: calendar.changes(nowMs()),
      appointment: { before: stored.appointment, after, localDate: stored.localDate },
      alsoWrite: visit?.ops ?? [],
      audit: [succeeded(action, 'Appointment', after.id, after.patientId), ...(visit?.audit ?? [])],
      response: result,
    });
    return result;
  }
}

/** What the encounter a check-in opens is about: the appointment's provider, location and reason. */
function encounterFor(a: Appointment, found: Found, now: string): EncounterOpening {
  const { provider, location, appointmentType: type } = found;
  const providerName = provider
    ? [provider.name.prefix, ...provider.name.given, provider.name.family].filter(Boolean).join(' ')
    : 'Unknown provider';
  return {
    patientId: a.patientId,
    provider: { id: a.providerId, name: providerName },
    location: { id: a.locationId, name: location?.name ?? 'Unknown location' },
    reason: a.reason ?? type?.name ?? 'Appointment',
    appointmentId: a.id,
    start: now,
  };
}
