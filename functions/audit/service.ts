// Reading the audit log (admin). Reading it is itself audited.
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowMs } from '#shared/clock.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import { ValidationError } from '#shared/errors.ts';
import type { HttpResult } from '#shared/http/result.ts';
import type { AuditQuery } from './schemas.ts';
import { type AuditStore, DynamoAuditStore } from './store.ts';

const DAY_MS = 86_400_000;
const MAX_PRACTICE_RANGE_DAYS = 31;

function bound(value: string | undefined, endOfDay: boolean): string | undefined {
  if (value === undefined) return undefined;
  const iso = value.length === 10 ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : value;
  return new Date(iso).toISOString();
}

export class AuditService {
  private readonly store: AuditStore;

  constructor(store: AuditStore = new DynamoAuditStore()) {
    this.store = store;
  }

  async list(ctx: { principal: Principal; requestId: string }, query: AuditQuery): Promise<HttpResult> {
    const to = bound(query.to, true) ?? new Date(nowMs()).toISOString();
    const from =
      bound(query.from, false) ??
      (query.patientId ? '0000-01-01T00:00:00.000Z' : new Date(Date.parse(to) - DAY_MS).toISOString());
    if (from > to) throw new ValidationError([{ field: 'query.from', message: 'Must not be after `to`' }]);
    const binding = JSON.stringify({ ...query, cursor: undefined, sub: ctx.principal.sub });
    const position = query.cursor ? await openCursor(query.cursor, binding) : {};

    let items: Record<string, unknown>[];
    let next: Record<string, unknown> | undefined;
    if (query.patientId) {
      const after = position.after as Record<string, unknown> | undefined;
      const page = await this.store.forPatient(query.patientId, {
        from,
        to,
        limit: query.limit,
        ...(after ? { after } : {}),
      });
      items = page.items;
      next = page.after ? { after: page.after } : undefined;
    } else {
      if (Date.parse(to) - Date.parse(from) > MAX_PRACTICE_RANGE_DAYS * DAY_MS) {
        throw new ValidationError([
          {
            field: 'query.from',
            message: `Without patientId the range is at most ${MAX_PRACTICE_RANGE_DAYS} days`,
          },
        ]);
      }
      // Walk day partitions from `to` back to `from`, one Query per page.
      const day = (position.day as string | undefined) ?? to.slice(0, 10);
      const after = position.after as Record<string, unknown> | undefined;
      const page = await this.store.forDay(day, {
        from,
        to,
        limit: query.limit,
        ...(after ? { after } : {}),
      });
      items = page.items;
      const previousDay = new Date(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10);
      if (page.after) next = { day, after: page.after };
      else if (previousDay >= from.slice(0, 10)) next = { day: previousDay };
    }
    await auditRead(ctx, [succeeded('audit.read', 'AuditRecord', undefined, query.patientId)]);
    return { status: 200, body: { items, ...(next ? { nextCursor: await sealCursor(next, binding) } : {}) } };
  }
}
