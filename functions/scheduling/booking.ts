// Finding and taking time: free slots, holds, booking and moving a booked appointment. Each change reads once
// (one BatchGetItem), decides with decideBooking (pure) and commits once (one TransactWriteItems); when a calendar
// hour changed in between, it reads and decides again.
import { succeeded } from '#shared/audit.ts';
import { authorize } from '#shared/auth/policy.ts';
import type { Role } from '#shared/auth/roles.ts';
import { nowMs } from '#shared/clock.ts';
import { ConcealedDenialError, UnprocessableError } from '#shared/errors.ts';
import { type HttpResult, recordResult } from '#shared/http/result.ts';
import { newId } from '#shared/ids.ts';
import { newRecord, nextVersion } from '#shared/records.ts';
import { openAppointment, statusConflict } from './appointments.ts';
import { freeSlots } from './availability.ts';
import {
  type AppointmentTaking,
  type BookingReads,
  type BookingRequest,
  decideBooking,
  type HoldTaking,
  hoursToRead,
} from './booking-decision.ts';
import { type SchedulingContext, withRetries } from './context.ts';
import type { AvailabilityQuery, BookBody, CreateHoldBody } from './schemas.ts';
import { DynamoSchedulingStore, type SchedulingStore } from './store.ts';
import { checkRange } from './views.ts';

const HOLD_SECONDS = Number(process.env.HOLD_TTL_SECONDS ?? 300);

export class BookingService {
  private readonly store: SchedulingStore;

  constructor(store: SchedulingStore = new DynamoSchedulingStore()) {
    this.store = store;
  }

  /** Two requests whatever the range: one BatchGetItem (schedule + type) and one Query (the hour buckets). */
  async availability(ctx: SchedulingContext, query: AvailabilityQuery): Promise<HttpResult> {
    const { fromMs, toMs } = checkRange(query.from, query.to);
    const [found, intervals] = await Promise.all([
      this.store.read({ schedule: query.providerId, appointmentType: query.appointmentTypeId }),
      this.store.providerIntervals(
        query.providerId,
        new Date(fromMs).toISOString().slice(0, 10),
        new Date(toMs).toISOString().slice(0, 10),
      ),
    ]);
    if (!found.schedule) {
      throw new UnprocessableError('No such provider', [
        { field: 'query.providerId', message: 'No such provider' },
      ]);
    }
    if (!found.appointmentType) {
      throw new UnprocessableError('No such appointment type', [
        { field: 'query.appointmentTypeId', message: 'No such appointment type' },
      ]);
    }
    const slots = freeSlots({
      schedule: found.schedule,
      type: found.appointmentType,
      intervals,
      fromMs,
      toMs,
      nowMs: nowMs(),
      holder: ctx.principal.sub,
      ...(query.locationId ? { locationId: query.locationId } : {}),
    });
    return {
      status: 200,
      body: {
        slots: slots.map((s) => ({
          start: new Date(s.start).toISOString(),
          end: new Date(s.end).toISOString(),
          providerId: query.providerId,
          locationId: s.locationId,
        })),
      },
    };
  }

  async hold(ctx: SchedulingContext, body: CreateHoldBody, roles: readonly Role[]): Promise<HttpResult> {
    if (body.patientId && authorize(ctx.principal, roles, { patientId: body.patientId }) !== 'allow') {
      throw new ConcealedDenialError('No such patient');
    }
    return withRetries(async () => {
      const request: BookingRequest<HoldTaking> = {
        ...body,
        by: ctx.principal.sub,
        takes: { kind: 'hold', id: newId(), seconds: HOLD_SECONDS },
      };
      const decision = decideBooking(await this.readFor(request), request, nowMs());
      if (decision.refused) throw decision.refused;
      const { hold, slot, buckets } = decision;
      const result: HttpResult = {
        status: 201,
        headers: {},
        body: {
          holdId: hold.id,
          expiresAt: new Date(hold.expiresAtMs).toISOString(),
          start: hold.start,
          end: hold.end,
          providerId: body.providerId,
          locationId: slot.locationId,
        },
      };
      await this.store.commit(ctx, {
        buckets,
        audit: body.patientId ? [succeeded('appointment.hold', 'Slot', hold.id, body.patientId)] : [],
        response: result,
      });
      return result;
    });
  }

  async book(ctx: SchedulingContext, body: BookBody, roles: readonly Role[]): Promise<HttpResult> {
    if (authorize(ctx.principal, roles, { patientId: body.patientId }) !== 'allow') {
      throw new ConcealedDenialError('No such patient');
    }
    return withRetries(async () => {
      const draft = newRecord(ctx, {
        status: 'booked' as const,
        patientId: body.patientId,
        providerId: body.providerId,
        appointmentTypeId: body.appointmentTypeId,
        ...(body.reason ? { reason: body.reason } : {}),
      });
      const request: BookingRequest<AppointmentTaking> = {
        ...body,
        by: ctx.principal.sub,
        takes: { kind: 'appointment', appointment: draft },
      };
      const decision = decideBooking(await this.readFor(request), request, nowMs());
      if (decision.refused) throw decision.refused;
      const { appointment, localDate, buckets } = decision;
      const result = recordResult(201, appointment, `/v1/appointments/${appointment.id}`);
      await this.store.commit(ctx, {
        buckets,
        appointment: { after: appointment, localDate },
        audit: [succeeded('appointment.create', 'Appointment', appointment.id, appointment.patientId)],
        response: result,
      });
      return result;
    });
  }

  /** Moves a booked appointment: the old time is freed only in the transaction that takes the new one. */
  async reschedule(
    ctx: SchedulingContext,
    appointmentId: string,
    body: { start: string; locationId?: string | undefined; holdId?: string | undefined },
    roles: readonly Role[],
    expectedVersion: number,
  ): Promise<HttpResult> {
    return withRetries(async () => {
      const { appointment: before } = await openAppointment(
        this.store,
        ctx,
        appointmentId,
        roles,
        expectedVersion,
      );
      if (before.status !== 'booked') throw statusConflict(before.status, 'rescheduled');
      const request: BookingRequest<AppointmentTaking> = {
        providerId: before.providerId,
        appointmentTypeId: before.appointmentTypeId,
        patientId: before.patientId,
        start: body.start,
        locationId: body.locationId,
        holdId: body.holdId,
        by: ctx.principal.sub,
        takes: { kind: 'appointment', appointment: nextVersion(ctx, before, before), replacing: before },
      };
      const decision = decideBooking(await this.readFor(request), request, nowMs());
      if (decision.refused) throw decision.refused;
      const { appointment: after, localDate, buckets } = decision;
      const result = recordResult(200, after);
      await this.store.commit(ctx, {
        buckets,
        appointment: { before, after, localDate },
        audit: [succeeded('appointment.reschedule', 'Appointment', after.id, after.patientId)],
        response: result,
      });
      return result;
    });
  }

  /** Everything the decision needs, in one BatchGetItem. */
  private readFor(request: BookingRequest): Promise<BookingReads> {
    return this.store.read({
      schedule: request.providerId,
      appointmentType: request.appointmentTypeId,
      ...(request.patientId ? { patient: request.patientId } : {}),
      hours: hoursToRead(request),
    });
  }
}
