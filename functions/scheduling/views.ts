// Who is booked when: one appointment, a provider's day or week, the front desk's day at a location, a patient's
// appointments. Each is one read, and each discloses patients, so each is audited per appointment shown.
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Role } from '#shared/auth/roles.ts';
import { nowMs } from '#shared/clock.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { type HttpResult, recordResult } from '#shared/http/result.ts';
import { openAppointment } from './appointments.ts';
import { overlaps } from './availability.ts';
import { uniqueById } from './calendar.ts';
import type { SchedulingContext } from './context.ts';
import { DynamoSchedulingStore, type SchedulingStore } from './store.ts';

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 31;

function parseBound(value: string, end: boolean): number {
  return value.length === 10 ? Date.parse(`${value}T00:00:00Z`) + (end ? DAY : 0) : Date.parse(value);
}

/** A query's `from`/`to` (dates or instants) as instants: `to` after `from`, at most 31 days apart. */
export function checkRange(fromRaw: string, toRaw: string): { fromMs: number; toMs: number } {
  const fromMs = parseBound(fromRaw, false);
  const toMs = parseBound(toRaw, true);
  if (toMs <= fromMs) throw new ValidationError([{ field: 'query.to', message: 'Must be after from' }]);
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY) {
    throw new ValidationError([
      { field: 'query.to', message: `The range is at most ${MAX_RANGE_DAYS} days` },
    ]);
  }
  return { fromMs, toMs };
}

const listed = (appointmentId: string, patientId: string) =>
  succeeded('appointment.list', 'Appointment', appointmentId, patientId);

export class AppointmentViews {
  private readonly store: SchedulingStore;

  constructor(store: SchedulingStore = new DynamoSchedulingStore()) {
    this.store = store;
  }

  async get(ctx: SchedulingContext, appointmentId: string, roles: readonly Role[]): Promise<HttpResult> {
    const { appointment } = await openAppointment(this.store, ctx, appointmentId, roles);
    await auditRead(ctx, [
      succeeded('appointment.read', 'Appointment', appointment.id, appointment.patientId),
    ]);
    return recordResult(200, appointment);
  }

  /** The provider's day or week: one Query over the provider's hour buckets. */
  async providerAppointments(
    ctx: SchedulingContext,
    providerId: string,
    query: { from: string; to: string },
  ): Promise<HttpResult> {
    const { fromMs, toMs } = checkRange(query.from, query.to);
    const intervals = await this.store.providerIntervals(
      providerId,
      new Date(fromMs).toISOString().slice(0, 10),
      new Date(toMs - 1).toISOString().slice(0, 10),
    );
    const items = uniqueById(intervals)
      .filter((i) => i.kind === 'appointment')
      .filter((i) =>
        overlaps({ start: Date.parse(i.start), end: Date.parse(i.end) }, { start: fromMs, end: toMs }),
      )
      .map((i) => ({
        id: i.id,
        status: i.status,
        patientId: i.patientId,
        providerId,
        locationId: i.locationId,
        appointmentTypeId: i.appointmentTypeId,
        start: i.start,
        end: i.end,
        version: i.version,
      }));
    await auditRead(
      ctx,
      items.map((i) => listed(i.id, i.patientId as string)),
      succeeded('appointment.list', 'Appointment'),
    );
    return { status: 200, body: { items } };
  }

  /** The front desk's day at one location across providers: one Query on gsi1. */
  async locationAppointments(ctx: SchedulingContext, locationId: string, date: string): Promise<HttpResult> {
    const items = await this.store.locationDay(locationId, date);
    await auditRead(
      ctx,
      items.map((i) => listed(i.id, i.patientId)),
      succeeded('appointment.list', 'Appointment'),
    );
    return { status: 200, body: { items } };
  }

  /** A patient's appointments, upcoming (soonest first) and past (latest first): one Query on gsi2. */
  async patientAppointments(ctx: SchedulingContext, patientId: string): Promise<HttpResult> {
    const all = await this.store.patientAppointments(patientId);
    // An appointment proves the patient; no appointment proves nothing. A patient that does not exist is 404, as a
    // read is: one GetItem of the profile, only when the list is empty.
    if (all.length === 0 && !(await this.store.patientExists(patientId))) {
      throw new NotFoundError('No such patient');
    }
    const now = nowMs();
    await auditRead(ctx, [listed(patientId, patientId)]);
    return {
      status: 200,
      body: {
        upcoming: all.filter((a) => Date.parse(a.end) > now),
        past: all.filter((a) => Date.parse(a.end) <= now).reverse(),
      },
    };
  }
}
