// A provider's working hours: weekly templates per location (in the location's time zone) and dated exceptions
// (time off, blocked time, extra hours). Availability is computed from these; nothing is pre-generated.
import { succeeded } from '#shared/audit.ts';
import { nowIso, nowMs } from '#shared/clock.ts';
import { NotFoundError, PreconditionFailedError, UnprocessableError } from '#shared/errors.ts';
import { etag, type HttpResult, recordResult } from '#shared/http/result.ts';
import { replayIfSeen } from '#shared/idempotency.ts';
import { newId } from '#shared/ids.ts';
import { type SchedulingContext, withRetries } from './context.ts';
import type { CreateExceptionBody, PutScheduleBody, Schedule } from './schemas.ts';
import { DynamoSchedulingStore, type SchedulingStore, StaleRead } from './store.ts';

const DAY = 86_400_000;

const changedSinceRead = (version: number) =>
  new PreconditionFailedError('The schedule changed since you read it', [], { ETag: etag(version) });

export class ScheduleService {
  private readonly store: SchedulingStore;

  constructor(store: SchedulingStore = new DynamoSchedulingStore()) {
    this.store = store;
  }

  async getSchedule(providerId: string): Promise<HttpResult> {
    const schedule = await this.store.schedule(providerId);
    if (!schedule) throw new NotFoundError('No such provider');
    return recordResult(200, schedule);
  }

  /** Replaces the provider's template for one location (and effective date), read and written in one go each. */
  async putSchedule(
    ctx: SchedulingContext,
    providerId: string,
    expectedVersion: number,
    body: PutScheduleBody,
  ): Promise<HttpResult> {
    const found = await this.store.read({
      provider: providerId,
      schedule: providerId,
      location: body.locationId,
    });
    const { provider, location } = found;
    if (!provider) throw new NotFoundError('No such provider');
    if (!location || !provider.locationIds.includes(body.locationId)) {
      throw new UnprocessableError('The provider does not work at this location', [
        { field: 'body.locationId', message: 'Not one of the provider’s locations' },
      ]);
    }
    const current = found.schedule ?? {
      providerId,
      version: 0,
      updatedAt: nowIso(),
      templates: [],
      exceptions: [],
    };
    if (current.version !== expectedVersion) throw changedSinceRead(current.version);
    const template = { ...body, timeZone: location.timeZone };
    const templates = [
      ...current.templates.filter(
        (t) => !(t.locationId === body.locationId && (t.effectiveFrom ?? '') === (body.effectiveFrom ?? '')),
      ),
      template,
    ];
    try {
      return await this.save(ctx, current, { ...current, templates }, 'schedule.update', 200);
    } catch (error) {
      // Changed between our read and our write: the caller's version is stale too.
      if (error instanceof StaleRead)
        throw new PreconditionFailedError('The schedule changed since you read it');
      throw error;
    }
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
      const current = await this.store.schedule(providerId);
      if (!current) throw new NotFoundError('No such provider');
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        await replayIfSeen(ctx.idempotency);
        throw changedSinceRead(current.version);
      }
      if (body.locationId && !current.templates.some((t) => t.locationId === body.locationId)) {
        throw new UnprocessableError('The provider has no schedule at this location', [
          { field: 'body.locationId', message: 'No schedule at this location' },
        ]);
      }
      // Exceptions more than a week old cannot change availability any more.
      const keepFrom = new Date(nowMs() - 7 * DAY).toISOString().slice(0, 10);
      const exceptions = [...current.exceptions.filter((e) => e.date >= keepFrom), { id: newId(), ...body }];
      return this.save(ctx, current, { ...current, exceptions }, 'schedule.exception', 201);
    });
  }

  private async save(
    ctx: SchedulingContext,
    before: Schedule,
    changed: Schedule,
    action: string,
    status: number,
  ): Promise<HttpResult> {
    const after: Schedule = { ...changed, version: before.version + 1, updatedAt: nowIso() };
    const result = recordResult(status, after);
    await this.store.replaceSchedule(ctx, before, after, {
      audit: [succeeded(action, 'Schedule', before.providerId)],
      response: result,
    });
    return result;
  }
}
