// Scheduling use cases: the practice's catalog (locations, providers, appointment types), schedules,
// availability, holds, booking and the appointment's life (reschedule, cancel, check-in, no-show, complete).
// Double-booking is impossible by construction: every change rewrites the provider's (and patient's) day items
// conditionally on the versions it read, in the same transaction as the appointment and its audit record.

import { type EncounterOpening, openEncounter } from '#functions/charting/index.ts';
import { patientKeys } from '#functions/patients/index.ts';
import { type AuditEvent, actorOf, recordAudit, touchesPatient } from '#shared/audit.ts';
import { authorize } from '#shared/auth/policy.ts';
import type { Principal } from '#shared/auth/principal.ts';
import type { Role } from '#shared/auth/roles.ts';
import { nowIso, nowMs } from '#shared/clock.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import { getItem, getItems, itemAt, type Key, tableName } from '#shared/dynamodb.ts';
import {
  ConcealedDenialError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
  ValidationError,
} from '#shared/errors.ts';
import { etag, type HttpResult } from '#shared/http/result.ts';
import { replayIfSeen } from '#shared/idempotency.ts';
import { newId } from '#shared/ids.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import {
  candidateDates,
  freeSlots,
  gridSlots,
  type Interval,
  isActive,
  overlaps,
  type SlotCandidate,
  workingBlocks,
} from './availability.ts';
import { appointmentKeys, appointmentTypeKeys, locationKeys, providerKeys } from './keys.ts';
import { referencesMustExist } from './references.ts';
import type {
  Appointment,
  AppointmentStatus,
  AppointmentType,
  AvailabilityQuery,
  BookBody,
  CreateExceptionBody,
  CreateHoldBody,
  Location,
  Provider,
  PutScheduleBody,
  Schedule,
} from './schemas.ts';
import {
  appointmentItem,
  Calendar,
  listByName,
  providerDays,
  queryAppointments,
  uniqueById,
} from './store.ts';
import { localParts, utcHoursOf } from './time.ts';

export interface SchedulingContext extends WriteContext {
  principal: Principal;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_RANGE_DAYS = 31;
/** Optimistic retries when a calendar bucket changed under us (full jitter, capped exponential backoff). */
const MAX_ATTEMPTS = 16;
const HOLD_SECONDS = Number(process.env.HOLD_TTL_SECONDS ?? 300);

/** Thrown when a day item changed under us: the use case re-reads and decides again. */
class CalendarChanged extends Error {}

async function withRetries<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof CalendarChanged)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The calendar is busy; retry the request');
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}

function audited(
  _ctx: SchedulingContext,
  resourceType: string,
  action: string,
  resourceId: string,
  patientId?: string,
): AuditEvent {
  return { action, resourceType, resourceId, ...(patientId ? { patientId } : {}), outcome: 'success' };
}

function base(ctx: SchedulingContext) {
  const now = nowIso();
  return {
    id: newId(),
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: ctx.principal.sub,
    updatedBy: ctx.principal.sub,
  };
}

function parseBound(value: string, end: boolean): number {
  return value.length === 10 ? Date.parse(`${value}T00:00:00Z`) + (end ? DAY : 0) : Date.parse(value);
}

function checkRange(fromRaw: string, toRaw: string): { fromMs: number; toMs: number } {
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

function toSchedule(item: Record<string, unknown> | undefined, providerId: string): Schedule {
  return {
    providerId,
    version: (item?.version as number | undefined) ?? 0,
    updatedAt: (item?.updatedAt as string | undefined) ?? nowIso(),
    templates: (item?.templates as Schedule['templates'] | undefined) ?? [],
    exceptions: (item?.exceptions as Schedule['exceptions'] | undefined) ?? [],
  };
}

/** Which transitions make sense: anything else is a 409. `done` is what the change does, in words. */
const TRANSITIONS: Record<
  string,
  { from: AppointmentStatus[]; to: AppointmentStatus; action: string; done: string }
> = {
  'check-in': { from: ['booked'], to: 'arrived', action: 'appointment.check-in', done: 'checked in' },
  'no-show': { from: ['booked'], to: 'noshow', action: 'appointment.no-show', done: 'marked as a no-show' },
  complete: { from: ['arrived'], to: 'fulfilled', action: 'appointment.complete', done: 'completed' },
};
export type Transition = keyof typeof TRANSITIONS;

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

export class SchedulingService {
  // ── Catalog ──────────────────────────────────────────────────────────────────────────────────────────────
  /** One catalog entry (location, provider, appointment type): the item, name-indexed on gsi1, and its audit. */
  private async createCatalogEntry(
    ctx: SchedulingContext,
    entry: {
      record: { id: string } & Record<string, unknown>;
      key: Key;
      type: string;
      byName: { pk: string; sk: string };
      path: string;
      action: string;
      extraOps?: WriteOp[];
    },
  ): Promise<HttpResult> {
    const result = {
      status: 201,
      body: entry.record,
      headers: { ETag: etag(1), Location: `${entry.path}/${entry.record.id}` },
    };
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: {
                ...entry.key,
                type: entry.type,
                gsi1pk: entry.byName.pk,
                gsi1sk: entry.byName.sk,
                ...entry.record,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        },
        ...(entry.extraOps ?? []),
      ],
      audit: [audited(ctx, entry.type, entry.action, entry.record.id)],
      response: result,
    });
    return result;
  }

  /** `id` is for the demo seed only (fixed ids the README and sample events name); requests get a new one. */
  async createLocation(
    ctx: SchedulingContext,
    body: Omit<Location, keyof ReturnType<typeof base>>,
    id = newId(),
  ) {
    const location: Location = { ...base(ctx), id, ...body };
    return this.createCatalogEntry(ctx, {
      record: location,
      key: locationKeys.item(location.id),
      type: 'Location',
      byName: { pk: locationKeys.byName.pk, sk: locationKeys.byName.sk(location.name, location.id) },
      path: '/v1/locations',
      action: 'location.create',
    });
  }

  async createProvider(
    ctx: SchedulingContext,
    body: Omit<Provider, keyof ReturnType<typeof base>>,
    id = newId(),
  ) {
    const provider: Provider = { ...base(ctx), id, ...body };
    // Each location must exist: checked in the creating transaction, not by a read before it.
    const locations = referencesMustExist(
      body.locationIds.map((id, i) => ({ kind: 'location' as const, id, field: `body.locationIds.${i}` })),
    );
    return this.createCatalogEntry(ctx, {
      record: provider,
      key: providerKeys.profile(provider.id),
      type: 'Provider',
      byName: { pk: providerKeys.byName.pk, sk: providerKeys.byName.sk(provider.name.family, provider.id) },
      path: '/v1/providers',
      action: 'provider.create',
      extraOps: [
        // Before the NPI guard, so a bad location is reported as such whatever the NPI.
        ...locations,
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: { ...providerKeys.npiGuard(provider.npi), type: 'NpiGuard', providerId: provider.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () =>
            new ConflictError('Another provider has this NPI', [
              { field: 'body.npi', message: 'Already in use' },
            ]),
        },
        {
          // A new provider's schedule exists from the start (version 1), so the first PUT has an ETag to match.
          item: {
            Put: {
              TableName: tableName(),
              Item: {
                ...providerKeys.schedule(provider.id),
                type: 'Schedule',
                providerId: provider.id,
                version: 1,
                updatedAt: provider.createdAt,
                templates: [],
                exceptions: [],
              },
            },
          },
        },
      ],
    });
  }

  async createAppointmentType(
    ctx: SchedulingContext,
    body: {
      name: string;
      durationMinutes: number;
      bufferAfterMinutes: number;
      slotIntervalMinutes?: number | undefined;
    },
    id = newId(),
  ) {
    const type: AppointmentType = {
      ...base(ctx),
      id,
      ...body,
      slotIntervalMinutes: body.slotIntervalMinutes ?? body.durationMinutes,
    };
    return this.createCatalogEntry(ctx, {
      record: type,
      key: appointmentTypeKeys.item(type.id),
      type: 'AppointmentType',
      byName: { pk: appointmentTypeKeys.byName.pk, sk: appointmentTypeKeys.byName.sk(type.name, type.id) },
      path: '/v1/appointment-types',
      action: 'appointment-type.create',
    });
  }

  async getCatalogItem(key: Key, what: string): Promise<HttpResult> {
    const item = await getItem(key);
    if (!item) throw new NotFoundError(`No such ${what}`);
    return { status: 200, body: recordOf(item), headers: { ETag: etag(item.version as number) } };
  }

  async listCatalog(
    ctx: SchedulingContext,
    partition: string,
    query: { limit: number; cursor?: string | undefined },
  ) {
    const binding = JSON.stringify({ partition, limit: query.limit, sub: ctx.principal.sub });
    const page = await listByName(
      partition,
      query.limit,
      query.cursor ? await openCursor(query.cursor, binding) : undefined,
    );
    return {
      status: 200,
      body: {
        items: page.items.map((i) => recordOf(i)),
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  // ── Schedules ────────────────────────────────────────────────────────────────────────────────────────────
  async getSchedule(providerId: string): Promise<HttpResult> {
    const item = await getItem(providerKeys.schedule(providerId));
    if (!item) throw new NotFoundError('No such provider');
    const schedule = toSchedule(item, providerId);
    return { status: 200, body: schedule, headers: { ETag: etag(schedule.version) } };
  }

  async putSchedule(
    ctx: SchedulingContext,
    providerId: string,
    expectedVersion: number,
    body: PutScheduleBody,
  ) {
    const items = await getItems([
      providerKeys.profile(providerId),
      providerKeys.schedule(providerId),
      locationKeys.item(body.locationId),
    ]);
    const provider = itemAt(items, providerKeys.profile(providerId)) as Provider | undefined;
    if (!provider) throw new NotFoundError('No such provider');
    const location = itemAt(items, locationKeys.item(body.locationId)) as Location | undefined;
    if (!location || !provider.locationIds.includes(body.locationId)) {
      throw new UnprocessableError('The provider does not work at this location', [
        { field: 'body.locationId', message: 'Not one of the provider’s locations' },
      ]);
    }
    const current = toSchedule(itemAt(items, providerKeys.schedule(providerId)), providerId);
    if (current.version !== expectedVersion) {
      throw new PreconditionFailedError('The schedule changed since you read it', [], {
        ETag: etag(current.version),
      });
    }
    const template = { ...body, timeZone: location.timeZone };
    const templates = [
      ...current.templates.filter(
        (t) => !(t.locationId === body.locationId && (t.effectiveFrom ?? '') === (body.effectiveFrom ?? '')),
      ),
      template,
    ];
    return this.saveSchedule(ctx, { ...current, templates }, 'schedule.update', 200);
  }

  /**
   * Adds one dated exception. If-Match is optional here: an exception added to a schedule someone else just changed
   * overwrites nothing of theirs (concurrent additions are merged), so without it the exception is added to the
   * current schedule; with it, a stale ETag is a 412 like any other change.
   */
  async addException(
    ctx: SchedulingContext,
    providerId: string,
    body: CreateExceptionBody,
    expectedVersion?: number,
  ): Promise<HttpResult> {
    return withRetries(async () => {
      const item = await getItem(providerKeys.schedule(providerId));
      if (!item) throw new NotFoundError('No such provider');
      const current = toSchedule(item, providerId);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        await replayIfSeen(ctx.idempotency);
        throw new PreconditionFailedError('The schedule changed since you read it', [], {
          ETag: etag(current.version),
        });
      }
      if (body.locationId && !current.templates.some((t) => t.locationId === body.locationId)) {
        throw new UnprocessableError('The provider has no schedule at this location', [
          { field: 'body.locationId', message: 'No schedule at this location' },
        ]);
      }
      // Exceptions more than a week old cannot change availability any more.
      const keepFrom = new Date(nowMs() - 7 * DAY).toISOString().slice(0, 10);
      const exceptions = [...current.exceptions.filter((e) => e.date >= keepFrom), { id: newId(), ...body }];
      return this.saveSchedule(ctx, { ...current, exceptions }, 'schedule.exception', 201, true);
    });
  }

  private async saveSchedule(
    ctx: SchedulingContext,
    schedule: Schedule,
    action: string,
    status: number,
    retry = false,
  ) {
    const next: Schedule = { ...schedule, version: schedule.version + 1, updatedAt: nowIso() };
    const result = { status, body: next, headers: { ETag: etag(next.version) } };
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: { ...providerKeys.schedule(schedule.providerId), type: 'Schedule', ...next },
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': schedule.version },
            },
          },
          onConditionFailed: () =>
            retry
              ? new CalendarChanged()
              : new PreconditionFailedError('The schedule changed since you read it'),
        },
      ],
      audit: [audited(ctx, 'Schedule', action, schedule.providerId)],
      response: result,
    });
    return result;
  }

  // ── Availability ─────────────────────────────────────────────────────────────────────────────────────────
  /** Two requests whatever the range: one BatchGetItem (schedule + type) and one Query (the day items). */
  async availability(ctx: SchedulingContext, query: AvailabilityQuery): Promise<HttpResult> {
    const { fromMs, toMs } = checkRange(query.from, query.to);
    const [items, days] = await Promise.all([
      getItems([providerKeys.schedule(query.providerId), appointmentTypeKeys.item(query.appointmentTypeId)]),
      providerDays(
        query.providerId,
        new Date(fromMs).toISOString().slice(0, 10),
        new Date(toMs).toISOString().slice(0, 10),
      ),
    ]);
    const scheduleItem = itemAt(items, providerKeys.schedule(query.providerId));
    if (!scheduleItem)
      throw new UnprocessableError('No such provider', [
        { field: 'query.providerId', message: 'No such provider' },
      ]);
    const type = itemAt(items, appointmentTypeKeys.item(query.appointmentTypeId)) as
      | AppointmentType
      | undefined;
    if (!type) {
      throw new UnprocessableError('No such appointment type', [
        { field: 'query.appointmentTypeId', message: 'No such appointment type' },
      ]);
    }
    const slots = freeSlots({
      schedule: toSchedule(scheduleItem, query.providerId),
      type,
      intervals: days.flatMap((d) => (d.intervals as Interval[] | undefined) ?? []),
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

  // ── Holds and booking ────────────────────────────────────────────────────────────────────────────────────
  /** Loads what a change of time needs in one BatchGetItem and decides whether the time can be taken. */
  private async takeTime(
    ctx: SchedulingContext,
    request: {
      providerId: string;
      appointmentTypeId: string;
      start: string;
      locationId?: string | undefined;
      patientId?: string;
    },
    options: { holdId?: string | undefined; replacing?: Appointment; extraKeys?: Key[] },
  ) {
    const startMs = Date.parse(request.start);
    const typeKey = appointmentTypeKeys.item(request.appointmentTypeId);
    const scheduleKey = providerKeys.schedule(request.providerId);
    const patientKey = request.patientId
      ? { pk: patientKeys.partition(request.patientId), sk: patientKeys.profile }
      : undefined;
    // Hour buckets for the longest possible visit (240 min + 120 min buffer) from the start; unused ones cost nothing.
    const newDays = utcHoursOf(startMs, startMs + 360 * MINUTE);
    const oldDays = options.replacing
      ? utcHoursOf(Date.parse(options.replacing.start), Date.parse(options.replacing.busyUntil))
      : [];
    const providerDayKeys = [...new Set([...newDays, ...oldDays])].map((d) =>
      providerKeys.calendar(request.providerId, d),
    );
    const patientDayKeys = request.patientId
      ? [...new Set([...newDays, ...oldDays])].map((d) =>
          appointmentKeys.patientCalendar(request.patientId as string, d),
        )
      : [];
    const items = await getItems([
      typeKey,
      scheduleKey,
      ...(patientKey ? [patientKey] : []),
      ...providerDayKeys,
      ...patientDayKeys,
      ...(options.extraKeys ?? []),
    ]);
    const scheduleItem = itemAt(items, scheduleKey);
    if (!scheduleItem)
      throw new UnprocessableError('No such provider', [
        { field: 'body.providerId', message: 'No such provider' },
      ]);
    const type = itemAt(items, typeKey) as AppointmentType | undefined;
    if (!type) {
      throw new UnprocessableError('No such appointment type', [
        { field: 'body.appointmentTypeId', message: 'No such appointment type' },
      ]);
    }
    if (patientKey && !itemAt(items, patientKey)) {
      throw new UnprocessableError('No such patient', [
        { field: 'body.patientId', message: 'No such patient' },
      ]);
    }
    const now = nowMs();
    if (startMs <= now)
      throw new UnprocessableError('The time is in the past', [
        { field: 'body.start', message: 'Must be in the future' },
      ]);
    const schedule = toSchedule(scheduleItem, request.providerId);
    const onGrid = gridSlots(workingBlocks(schedule, candidateDates(startMs, startMs + 1)), type).filter(
      (s) => s.start === startMs,
    );
    const slot: SlotCandidate | undefined = onGrid.find(
      (s) => !request.locationId || s.locationId === request.locationId,
    );
    if (!slot) {
      throw new UnprocessableError(
        onGrid.length > 0
          ? 'The provider does not work at this location then'
          : 'Outside working hours or off the grid',
        [
          onGrid.length > 0
            ? { field: 'body.locationId', message: 'The provider is at another location then' }
            : { field: 'body.start', message: 'Outside working hours or not on the appointment type’s grid' },
        ],
      );
    }

    const calendar = new Calendar();
    for (const key of [...providerDayKeys, ...patientDayKeys]) calendar.load(key, items);
    const replacingId = options.replacing?.id;
    // The caller's own live hold (named in the request) does not block it; anyone else's does.
    const blockers = calendar
      .intervals(providerDayKeys)
      .filter((i) => i.id !== replacingId && isActive(i, now))
      .filter((i) => !(i.kind === 'hold' && i.id === options.holdId && i.holder === ctx.principal.sub));
    const wanted = { start: slot.start, end: slot.busyUntil };
    if (
      blockers.some((i) => overlaps(wanted, { start: Date.parse(i.start), end: Date.parse(i.busyUntil) }))
    ) {
      throw new ConflictError('The provider is not free then', [
        { field: 'body.start', message: 'The time is taken' },
      ]);
    }
    if (request.patientId) {
      const visit = { start: slot.start, end: slot.end };
      const clash = calendar
        .intervals(patientDayKeys)
        .some(
          (i) =>
            i.id !== replacingId &&
            isActive(i, now) &&
            overlaps(visit, { start: Date.parse(i.start), end: Date.parse(i.end) }),
        );
      if (clash) {
        throw new ConflictError('The patient has another appointment then', [
          { field: 'body.patientId', message: 'Already booked at an overlapping time' },
        ]);
      }
    }
    const template = schedule.templates.find((t) => t.locationId === slot.locationId);
    const localDate = localParts(slot.start, template?.timeZone ?? 'UTC').date;
    return { slot, type, calendar, items, localDate, now };
  }

  async hold(ctx: SchedulingContext, body: CreateHoldBody, roles: readonly Role[]): Promise<HttpResult> {
    if (body.patientId && authorize(ctx.principal, roles, { patientId: body.patientId }) !== 'allow') {
      throw new ConcealedDenialError('No such patient');
    }
    return withRetries(async () => {
      const { slot, calendar, now } = await this.takeTime(ctx, body, {});
      const holdId = newId();
      const expiresAtMs = now + HOLD_SECONDS * 1000;
      const interval: Interval = {
        id: holdId,
        kind: 'hold',
        start: new Date(slot.start).toISOString(),
        end: new Date(slot.end).toISOString(),
        busyUntil: new Date(slot.busyUntil).toISOString(),
        locationId: slot.locationId,
        appointmentTypeId: body.appointmentTypeId,
        holder: ctx.principal.sub,
        expiresAtMs,
        ...(body.patientId ? { patientId: body.patientId } : {}),
      };
      calendar.add(
        interval,
        utcHoursOf(slot.start, slot.busyUntil).map((d) => providerKeys.calendar(body.providerId, d)),
      );
      const result = {
        status: 201,
        headers: {},
        body: {
          holdId,
          expiresAt: new Date(expiresAtMs).toISOString(),
          start: interval.start,
          end: interval.end,
          providerId: body.providerId,
          locationId: slot.locationId,
        },
      };
      await commit(ctx, {
        ops: calendar.ops(now, () => new CalendarChanged()),
        audit: body.patientId ? [audited(ctx, 'Slot', 'appointment.hold', holdId, body.patientId)] : [],
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
      const { slot, calendar, localDate, now } = await this.takeTime(ctx, body, { holdId: body.holdId });
      // Booking releases the caller's own hold; nobody can release someone else's by naming it.
      if (body.holdId)
        calendar.remove(body.holdId, (i) => i.kind === 'hold' && i.holder === ctx.principal.sub);
      const appointment: Appointment = {
        ...base(ctx),
        status: 'booked',
        patientId: body.patientId,
        providerId: body.providerId,
        locationId: slot.locationId,
        appointmentTypeId: body.appointmentTypeId,
        start: new Date(slot.start).toISOString(),
        end: new Date(slot.end).toISOString(),
        busyUntil: new Date(slot.busyUntil).toISOString(),
        ...(body.reason ? { reason: body.reason } : {}),
      };
      this.place(calendar, appointment);
      const result = {
        status: 201,
        body: appointment,
        headers: { ETag: etag(1), Location: `/v1/appointments/${appointment.id}` },
      };
      await commit(ctx, {
        ops: [
          ...calendar.ops(now, () => new CalendarChanged()),
          {
            item: {
              Put: {
                TableName: tableName(),
                Item: appointmentItem(appointment, localDate),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          },
        ],
        audit: [audited(ctx, 'Appointment', 'appointment.create', appointment.id, appointment.patientId)],
        response: result,
      });
      return result;
    });
  }

  /** Puts an appointment's interval on the provider's and the patient's days. */
  private place(calendar: Calendar, a: Appointment): void {
    const interval: Interval = {
      id: a.id,
      kind: 'appointment',
      start: a.start,
      end: a.end,
      busyUntil: a.busyUntil,
      locationId: a.locationId,
      appointmentTypeId: a.appointmentTypeId,
      patientId: a.patientId,
      status: a.status,
      version: a.version,
    };
    const startMs = Date.parse(a.start);
    calendar.add(
      interval,
      utcHoursOf(startMs, Date.parse(a.busyUntil)).map((d) => providerKeys.calendar(a.providerId, d)),
    );
    calendar.add(
      interval,
      utcHoursOf(startMs, Date.parse(a.end)).map((d) => appointmentKeys.patientCalendar(a.patientId, d)),
    );
  }

  // ── The appointment's life ───────────────────────────────────────────────────────────────────────────────
  private async load(
    ctx: SchedulingContext,
    appointmentId: string,
    roles: readonly Role[],
    expectedVersion?: number,
  ) {
    const item = await getItem(appointmentKeys.item(appointmentId));
    if (!item) throw new NotFoundError('No such appointment');
    const appointment = recordOf<Appointment>(item);
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
    return { appointment, item };
  }

  async get(ctx: SchedulingContext, appointmentId: string, roles: readonly Role[]): Promise<HttpResult> {
    const { appointment } = await this.load(ctx, appointmentId, roles);
    await recordAudit(
      [audited(ctx, 'Appointment', 'appointment.read', appointment.id, appointment.patientId)],
      actorOf(ctx.principal, ctx.requestId),
    );
    return { status: 200, body: appointment, headers: { ETag: etag(appointment.version) } };
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
      const { appointment: before } = await this.load(ctx, appointmentId, roles, expectedVersion);
      if (before.status !== 'booked') throw statusConflict(before.status, 'rescheduled');
      const { slot, calendar, localDate, now } = await this.takeTime(
        ctx,
        { ...before, start: body.start, locationId: body.locationId },
        { holdId: body.holdId, replacing: before },
      );
      calendar.remove(before.id);
      // Booking releases the caller's own hold; nobody can release someone else's by naming it.
      if (body.holdId)
        calendar.remove(body.holdId, (i) => i.kind === 'hold' && i.holder === ctx.principal.sub);
      const after: Appointment = {
        ...before,
        locationId: slot.locationId,
        start: new Date(slot.start).toISOString(),
        end: new Date(slot.end).toISOString(),
        busyUntil: new Date(slot.busyUntil).toISOString(),
        version: before.version + 1,
        updatedAt: nowIso(),
        updatedBy: ctx.principal.sub,
      };
      this.place(calendar, after);
      return this.saveAppointment(
        ctx,
        before,
        appointmentItem(after, localDate),
        calendar,
        now,
        'appointment.reschedule',
      );
    });
  }

  async cancel(
    ctx: SchedulingContext,
    appointmentId: string,
    reason: string,
    roles: readonly Role[],
    expectedVersion: number,
  ): Promise<HttpResult> {
    return withRetries(async () => {
      const { appointment: before, item } = await this.load(ctx, appointmentId, roles, expectedVersion);
      if (before.status !== 'booked') throw statusConflict(before.status, 'cancelled', 'cancelled');
      const calendar = await this.calendarOf(before);
      calendar.remove(before.id);
      const after: Appointment = {
        ...before,
        status: 'cancelled',
        cancellationReason: reason,
        version: before.version + 1,
        updatedAt: nowIso(),
        updatedBy: ctx.principal.sub,
      };
      return this.saveAppointment(
        ctx,
        before,
        { ...item, ...after },
        calendar,
        nowMs(),
        'appointment.cancel',
      );
    });
  }

  async transition(
    ctx: SchedulingContext,
    appointmentId: string,
    name: Transition,
    roles: readonly Role[],
    expectedVersion: number,
  ) {
    const rule = TRANSITIONS[name] as (typeof TRANSITIONS)[string];
    return withRetries(async () => {
      const { appointment: before, item } = await this.load(ctx, appointmentId, roles, expectedVersion);
      if (!rule.from.includes(before.status)) throw statusConflict(before.status, rule.done, rule.to);
      const opensVisit = rule.to === 'arrived';
      const visitKeys = [
        providerKeys.profile(before.providerId),
        locationKeys.item(before.locationId),
        appointmentTypeKeys.item(before.appointmentTypeId),
      ];
      const { calendar, items } = await this.calendarWith(before, opensVisit ? visitKeys : []);
      calendar.update(before.id, { status: rule.to, version: before.version + 1 });
      const now = nowIso();
      // Check-in opens the visit's encounter in the same transaction, linked to the appointment.
      const visit = opensVisit ? openEncounter(ctx, this.encounterFor(before, items, now)) : undefined;
      const encounter = visit?.encounter;
      const after: Appointment = {
        ...before,
        status: rule.to,
        ...(opensVisit ? { checkedInAt: now } : {}),
        ...(encounter ? { encounterId: encounter.id } : {}),
        version: before.version + 1,
        updatedAt: now,
        updatedBy: ctx.principal.sub,
      };
      return this.saveAppointment(ctx, before, { ...item, ...after }, calendar, nowMs(), rule.action, visit);
    });
  }

  /** What the encounter a check-in opens is about: the appointment's provider, location and reason. */
  private encounterFor(
    a: Appointment,
    items: Map<string, Record<string, unknown>>,
    now: string,
  ): EncounterOpening {
    const provider = itemAt(items, providerKeys.profile(a.providerId)) as Provider | undefined;
    const location = itemAt(items, locationKeys.item(a.locationId)) as Location | undefined;
    const type = itemAt(items, appointmentTypeKeys.item(a.appointmentTypeId)) as AppointmentType | undefined;
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

  /** The appointment's calendar buckets, and any `extra` items, in one BatchGetItem. */
  private async calendarOf(a: Appointment, extra: Key[] = []): Promise<Calendar> {
    return (await this.calendarWith(a, extra)).calendar;
  }

  private async calendarWith(a: Appointment, extra: Key[]) {
    const providerDays = utcHoursOf(Date.parse(a.start), Date.parse(a.busyUntil)).map((d) =>
      providerKeys.calendar(a.providerId, d),
    );
    const patientDays = utcHoursOf(Date.parse(a.start), Date.parse(a.end)).map((d) =>
      appointmentKeys.patientCalendar(a.patientId, d),
    );
    const items = await getItems([...providerDays, ...patientDays, ...extra]);
    const calendar = new Calendar();
    for (const key of [...providerDays, ...patientDays]) calendar.load(key, items);
    return { calendar, items };
  }

  /** The appointment item (with its index attributes), conditional on the version read, plus its days. */
  private async saveAppointment(
    ctx: SchedulingContext,
    before: Appointment,
    item: Record<string, unknown>,
    calendar: Calendar,
    now: number,
    action: string,
    visit?: { ops: WriteOp[]; audit: AuditEvent[] },
  ): Promise<HttpResult> {
    const after = recordOf<Appointment>(item);
    const result = { status: 200, body: after, headers: { ETag: etag(after.version) } };
    await commit(ctx, {
      ops: [
        ...calendar.ops(now, () => new CalendarChanged()),
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: item,
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': before.version },
            },
          },
          onConditionFailed: () => new CalendarChanged(),
        },
        ...(visit?.ops ?? []),
      ],
      audit: [audited(ctx, 'Appointment', action, after.id, after.patientId), ...(visit?.audit ?? [])],
      response: result,
    });
    return result;
  }

  // ── Views ────────────────────────────────────────────────────────────────────────────────────────────────
  /** The provider's day or week: one Query over the provider's day items. */
  async providerAppointments(
    ctx: SchedulingContext,
    providerId: string,
    query: { from: string; to: string },
  ) {
    const { fromMs, toMs } = checkRange(query.from, query.to);
    const days = await providerDays(
      providerId,
      new Date(fromMs).toISOString().slice(0, 10),
      new Date(toMs - 1).toISOString().slice(0, 10),
    );
    const items = uniqueById(days.flatMap((d) => (d.intervals as Interval[] | undefined) ?? []))
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
    await this.auditDisclosure(
      ctx,
      items.map((i) => ({ id: i.id, patientId: i.patientId as string })),
    );
    return { status: 200, body: { items } };
  }

  /** The front desk's day at one location across providers: one Query on gsi1. */
  async locationAppointments(ctx: SchedulingContext, locationId: string, date: string) {
    const items = await queryAppointments('gsi1', appointmentKeys.byLocationDay.pk(locationId, date));
    await this.auditDisclosure(ctx, items);
    return { status: 200, body: { items } };
  }

  /** A patient's appointments, upcoming (soonest first) and past (latest first): one Query on gsi2. */
  async patientAppointments(ctx: SchedulingContext, patientId: string) {
    const all = await queryAppointments('gsi2', appointmentKeys.byPatient.pk(patientId));
    // An appointment proves the patient; no appointment proves nothing. A patient that does not exist is 404, as a
    // read is: one GetItem of the profile, only when the list is empty.
    if (
      all.length === 0 &&
      !(await getItem({ pk: patientKeys.partition(patientId), sk: patientKeys.profile }))
    ) {
      throw new NotFoundError('No such patient');
    }
    const now = nowMs();
    await recordAudit(
      [audited(ctx, 'Appointment', 'appointment.list', patientId, patientId)],
      actorOf(ctx.principal, ctx.requestId),
    );
    return {
      status: 200,
      body: {
        upcoming: all.filter((a) => Date.parse(a.end) > now),
        past: all.filter((a) => Date.parse(a.end) <= now).reverse(),
      },
    };
  }

  private async auditDisclosure(ctx: SchedulingContext, items: { id: string; patientId: string }[]) {
    const events = items.map((i) => audited(ctx, 'Appointment', 'appointment.list', i.id, i.patientId));
    await recordAudit(
      events.length > 0
        ? events
        : [{ action: 'appointment.list', resourceType: 'Appointment', outcome: 'success' }],
      actorOf(ctx.principal, ctx.requestId),
    );
  }
}
