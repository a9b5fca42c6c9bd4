// The practice's catalog use cases: locations, providers (each with a unique NPI and an empty schedule) and
// appointment types; add one, read one, list them by name.
import { succeeded } from '#shared/audit.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import { NotFoundError } from '#shared/errors.ts';
import { type HttpResult, recordResult } from '#shared/http/result.ts';
import { newRecord, type RecordStamp } from '#shared/records.ts';
import type { SchedulingContext } from './context.ts';
import type { AppointmentType, Location, Provider } from './schemas.ts';
import {
  type CatalogEntry,
  type CatalogKind,
  DynamoSchedulingStore,
  type Reference,
  type SchedulingStore,
} from './store.ts';

/** How each catalog is named to people, in the audit trail and in URLs. */
const CATALOG_NAMES = {
  location: { noun: 'location', resourceType: 'Location', path: '/v1/locations' },
  provider: { noun: 'provider', resourceType: 'Provider', path: '/v1/providers' },
  'appointment-type': {
    noun: 'appointment type',
    resourceType: 'AppointmentType',
    path: '/v1/appointment-types',
  },
} as const satisfies Record<CatalogKind, { noun: string; resourceType: string; path: string }>;

type New<T> = Omit<T, keyof RecordStamp>;

export class CatalogService {
  private readonly store: SchedulingStore;

  constructor(store: SchedulingStore = new DynamoSchedulingStore()) {
    this.store = store;
  }

  /** `id` is for the demo seed only (fixed ids the README and sample events name); requests get a new one. */
  async createLocation(ctx: SchedulingContext, body: New<Location>, id?: string): Promise<HttpResult> {
    return this.add(ctx, { kind: 'location', record: newRecord(ctx, body, id) });
  }

  /** Each location must exist: checked in the creating transaction, not by a read before it. */
  async createProvider(ctx: SchedulingContext, body: New<Provider>, id?: string): Promise<HttpResult> {
    const references = body.locationIds.map(
      (locationId, i): Reference => ({ kind: 'location', id: locationId, field: `body.locationIds.${i}` }),
    );
    return this.add(ctx, { kind: 'provider', record: newRecord(ctx, body, id) }, references);
  }

  async createAppointmentType(
    ctx: SchedulingContext,
    body: {
      name: string;
      durationMinutes: number;
      bufferAfterMinutes: number;
      slotIntervalMinutes?: number | undefined;
    },
    id?: string,
  ): Promise<HttpResult> {
    const type: AppointmentType = newRecord(
      ctx,
      { ...body, slotIntervalMinutes: body.slotIntervalMinutes ?? body.durationMinutes },
      id,
    );
    return this.add(ctx, { kind: 'appointment-type', record: type });
  }

  async get(kind: CatalogKind, id: string): Promise<HttpResult> {
    const record = await this.store.catalogEntry(kind, id);
    if (!record) throw new NotFoundError(`No such ${CATALOG_NAMES[kind].noun}`);
    return recordResult(200, record);
  }

  async list(
    ctx: SchedulingContext,
    kind: CatalogKind,
    query: { limit: number; cursor?: string | undefined },
  ): Promise<HttpResult> {
    // A cursor continues only the list, page size and user it was made for.
    const binding = JSON.stringify({ catalog: kind, limit: query.limit, sub: ctx.principal.sub });
    const page = await this.store.catalogPage(kind, {
      limit: query.limit,
      after: query.cursor ? await openCursor(query.cursor, binding) : undefined,
    });
    return {
      status: 200,
      body: {
        items: page.items,
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  private async add(
    ctx: SchedulingContext,
    entry: CatalogEntry,
    references: Reference[] = [],
  ): Promise<HttpResult> {
    const { resourceType, path } = CATALOG_NAMES[entry.kind];
    const result = recordResult(201, entry.record, `${path}/${entry.record.id}`);
    await this.store.addToCatalog(ctx, entry, {
      audit: [succeeded(`${entry.kind}.create`, resourceType, entry.record.id)],
      response: result,
      references,
    });
    return result;
  }
}
