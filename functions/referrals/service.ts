// Referral use cases: the directory, sending a referral with its frozen packet, its lifecycle, the worklist and the
// metrics. Handlers call exactly one of these; the exchange poller (exchange.ts) applies recipients' changes through
// apply(). Rules live here and in the pure modules; the store holds keys and requests.
import {
  canSeeResource,
  type PacketChart,
  readPacketChart,
  visibilityOf,
} from '#functions/charting/index.ts';
import { auditRead, succeeded, touchesPatient } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { config, practiceSource } from '#shared/config.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
} from '#shared/errors.ts';
import { etag, type HttpResult, recordResult } from '#shared/http/result.ts';
import { replayIfSeen } from '#shared/idempotency.ts';
import { newId } from '#shared/ids.ts';
import { newRecord, nextVersion } from '#shared/records.ts';
import type { WriteContext } from '#shared/write.ts';
import { consultNoteWrites } from './consult-note-document.ts';
import { grantWrites, revokeWrites } from './grants.ts';
import type { ReferralEvent } from './lifecycle.ts';
import { referralMetrics } from './metrics.ts';
import { defaultPacket, type PacketSelection, unsendable } from './packet.ts';
import { buildPacket, packetCandidates, referralFhirIds } from './packet-document.ts';
import { defaultDueDate, isOverdue, type WorklistEntry, worklistOrder } from './schedule.ts';
import type {
  CreateDirectoryEntryBody,
  CreateReferralBody,
  DirectoryEntry,
  MetricsQuery,
  Referral,
  SearchDirectoryQuery,
  WorklistQuery,
} from './schemas.ts';
import { type ConsultNote, DynamoReferralStore, type PacketDocuments, type ReferralStore } from './store.ts';
import { type Change, transitioned } from './transitions.ts';

export interface ReferralContext extends WriteContext {
  principal: Principal;
}

const today = () => nowIso().slice(0, 10);
/** The base the packet's entries are addressed under: the exchange's FHIR store. */
const fhirBase = () => config().FHIR_BASE_URL ?? 'urn:continuum:fhir';

const actorOf = (principal: Principal): Referral['referrer'] => ({
  sub: principal.sub,
  name: principal.username,
  ...(principal.practitionerId ? { practitionerId: principal.practitionerId } : {}),
});

function worklistEntry(r: Referral): WorklistEntry {
  return {
    id: r.id,
    urgency: r.urgency,
    ...(r.sentAt ? { sentOn: r.sentAt.slice(0, 10) } : {}),
    dueDate: r.dueDate,
    answered: r.acceptedAt !== undefined || r.declinedAt !== undefined,
  };
}

/** The events whose commit also grants or revokes the external provider's access (grants.ts). */
function grantOps(before: Referral, after: Referral) {
  if (after.status === 'sent' && before.status !== 'sent') return grantWrites(after);
  if (after.status === 'cancelled' || after.status === 'closed') return revokeWrites(after);
  return [];
}

export class ReferralService {
  private readonly store: ReferralStore;
  private readonly chartOf: (patientId: string) => Promise<PacketChart>;

  constructor(
    store: ReferralStore = new DynamoReferralStore(),
    chartOf: (patientId: string) => Promise<PacketChart> = readPacketChart,
  ) {
    this.store = store;
    this.chartOf = chartOf;
  }

  // ── Directory ──────────────────────────────────────────────────────────────────────────────────────────────
  /** A practitioner's organisation must be an organisation of the directory; its name and NPI ride along. */
  private async organizationOf(body: CreateDirectoryEntryBody): Promise<DirectoryEntry['organization']> {
    if (!body.organizationId) return undefined;
    const org = await this.store.directoryEntry(body.organizationId);
    if (org?.kind !== 'organization')
      throw new UnprocessableError('No such organization in the directory', [
        { field: 'body.organizationId', message: 'Not an organization of the directory' },
      ]);
    return { id: org.id, name: org.name, npi: org.npi };
  }

  /** `id` is for seeding fixed demo entries; requests always get a new one. */
  async createDirectoryEntry(
    ctx: ReferralContext,
    body: CreateDirectoryEntryBody,
    id: string = newId(),
  ): Promise<HttpResult> {
    const organization = await this.organizationOf(body);
    const entry: DirectoryEntry = newRecord(ctx, { ...body, ...(organization ? { organization } : {}) }, id);
    const result = recordResult(201, entry, `/v1/directory/${entry.id}`);
    await this.store.createDirectoryEntry(ctx, entry, {
      audit: [succeeded('directory.create', 'DirectoryEntry', entry.id)],
      response: { status: 201, headers: result.headers ?? {}, body: entry },
    });
    return result;
  }

  async getDirectoryEntry(_ctx: ReferralContext, id: string): Promise<HttpResult> {
    const entry = await this.store.directoryEntry(id);
    if (!entry) throw new NotFoundError('No such directory entry');
    return recordResult(200, entry);
  }

  async updateDirectoryEntry(
    ctx: ReferralContext,
    id: string,
    expectedVersion: number,
    body: CreateDirectoryEntryBody,
  ): Promise<HttpResult> {
    const before = await this.store.directoryEntry(id);
    if (!before) throw new NotFoundError('No such directory entry');
    if (before.version !== expectedVersion)
      throw new PreconditionFailedError('The directory entry changed since you read it; read it again', [], {
        ETag: etag(before.version),
      });
    if (body.kind !== before.kind)
      throw new UnprocessableError('An entry cannot change kind', [
        { field: 'body.kind', message: `Must stay ${before.kind}` },
      ]);
    const organization = await this.organizationOf(body);
    const { organization: _old, ...kept } = before;
    const after = nextVersion(ctx, before, { ...kept, ...body, ...(organization ? { organization } : {}) });
    const result = recordResult(200, after);
    await this.store.replaceDirectoryEntry(ctx, before, after, {
      audit: [succeeded('directory.update', 'DirectoryEntry', after.id)],
      response: { status: 200, headers: result.headers ?? {}, body: after },
    });
    return result;
  }

  async searchDirectory(ctx: ReferralContext, query: SearchDirectoryQuery): Promise<HttpResult> {
    const { limit, cursor, ...filters } = query;
    const binding = JSON.stringify({ ...filters, limit, sub: ctx.principal.sub });
    const page = await this.store.searchDirectory({
      ...filters,
      limit,
      ...(cursor ? { after: await openCursor(cursor, binding) } : {}),
    });
    return {
      status: 200,
      body: {
        items: page.items,
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  // ── Sending ────────────────────────────────────────────────────────────────────────────────────────────────
  /** The recipient: an active directory entry (one GetItem; a practitioner carries its organisation). */
  private async recipientOf(recipientId: string) {
    const recipient = await this.store.directoryEntry(recipientId);
    if (!recipient?.active)
      throw new UnprocessableError('No such recipient in the directory', [
        { field: 'body.recipientId', message: 'Not an active directory entry' },
      ]);
    const organization: DirectoryEntry =
      recipient.kind === 'organization'
        ? recipient
        : recipient.organization
          ? {
              ...recipient,
              ...recipient.organization,
              kind: 'organization',
              acceptedInsurances: [],
              active: true,
            }
          : recipient;
    return { recipient, organization };
  }

  /**
   * Builds the packet from the chart as it is now (one Query), checks the chosen records may leave, and freezes it:
   * the Bundle and C-CDA, their hashes, and what was chosen.
   */
  private async freezePacket(
    ctx: ReferralContext,
    referral: Referral,
    chosen: Partial<PacketSelection>,
    to: { recipient: DirectoryEntry; organization: DirectoryEntry },
  ) {
    const chart = await this.chartOf(referral.patientId);
    if (!chart.patient) throw new NotFoundError('No such patient');
    if (referral.encounterId && !chart.encounters.some((e) => e.id === referral.encounterId))
      throw new UnprocessableError('No such encounter for this patient', [
        { field: 'body.encounterId', message: 'Not an encounter of this patient' },
      ]);
    if (!chart.complete)
      throw new UnprocessableError('The chart is too large to build a packet from in one read', [
        { field: 'body.packet', message: 'Choose the records to send explicitly' },
      ]);
    const candidates = packetCandidates(chart);
    const defaults = defaultPacket(candidates, referral.encounterId ?? '', today());
    const selection: PacketSelection = { ...defaults, ...chosen };
    const refused = unsendable(candidates, selection);
    if (refused.length > 0)
      throw new UnprocessableError('Some chosen records cannot be sent', [
        ...refused.map((r) => ({
          field: `body.${r.field}`,
          message: `${r.id} is not in the chart, or is a draft or preliminary`,
        })),
      ]);
    const { recipient, organization } = to;
    const built = buildPacket({
      referral,
      chart,
      selection,
      recipient,
      organization,
      practice: { source: practiceSource() },
      fhirBase: fhirBase(),
      at: nowIso(),
    });
    // Nothing leaves that the sender could not see in the chart (charting's own policy).
    const sees = visibilityOf(ctx.principal);
    const hidden = (built.bundle.entry ?? []).filter(
      (e) => e.resource && !canSeeResource(sees, e.resource as { resourceType: string }),
    );
    if (hidden.length > 0) throw new ForbiddenError('The packet holds chart content your role may not read');
    const ids = referralFhirIds(referral.id);
    const packet: NonNullable<Referral['packet']> = {
      selection,
      builtAt: built.bundle.timestamp ?? nowIso(),
      bundleSha256: built.bundleSha256,
      ccdaSha256: built.ccdaSha256,
      bundleId: ids.bundle,
      documentReferenceId: ids.documentReference,
      entries: built.bundle.entry?.length ?? 0,
    };
    return { packet, documents: { bundle: built.bundleJson, ccda: built.ccda } satisfies PacketDocuments };
  }

  /** POST /v1/patients/{patientId}/referrals: a referral from an encounter, sent now (or kept as a draft). */
  async create(ctx: ReferralContext, patientId: string, body: CreateReferralBody): Promise<HttpResult> {
    const to = await this.recipientOf(body.recipientId);
    const recipientEntry = to.recipient;
    const at = nowIso();
    const id = newId();
    const by = actorOf(ctx.principal);
    const organization = recipientEntry.organization ?? { id: recipientEntry.id, name: recipientEntry.name };
    const draft: Referral = newRecord(
      ctx,
      {
        direction: 'outbound' as const,
        status: 'draft' as const,
        patientId,
        encounterId: body.encounterId,
        recipient: {
          id: recipientEntry.id,
          kind: recipientEntry.kind,
          name: recipientEntry.name,
          npi: recipientEntry.npi,
          organizationId: organization.id,
          organizationName: organization.name,
        },
        specialty: body.specialty ?? recipientEntry.specialty,
        reason: body.reason,
        urgency: body.urgency,
        clinicalQuestion: body.clinicalQuestion,
        dueDate: body.dueDate ?? defaultDueDate(at.slice(0, 10), body.urgency),
        ...(body.coverage ? { coverage: body.coverage } : {}),
        ...(body.priorAuthorization ? { priorAuthorization: body.priorAuthorization } : {}),
        referrer: by,
        history: [{ status: 'draft' as const, at, by, via: 'api' as const }],
        ...(body.packet ? { packetRequest: body.packet } : {}),
      },
      id,
    );
    if (body.draft) {
      // A draft is checked against the chart when it is sent, not now: nothing is read but the recipient.
      const result = recordResult(201, draft, `/v1/referrals/${id}`);
      await this.store.createReferral(ctx, draft, undefined, {
        audit: [succeeded('referral.create', 'Referral', id, patientId)],
        response: { status: 201, headers: result.headers ?? {}, body: draft },
      });
      return result;
    }
    const { packet, documents } = await this.freezePacket(ctx, draft, body.packet ?? {}, to);
    const { packetRequest: _request, ...withoutRequest } = draft;
    const sent = transitioned({ ...withoutRequest, packet }, 'send', { at, by, via: 'api' });
    const referral: Referral = {
      ...sent,
      exchange: { serviceRequestId: referralFhirIds(id).serviceRequest, taskId: referralFhirIds(id).task },
    };
    const result = recordResult(201, referral, `/v1/referrals/${id}`);
    await this.store.createReferral(ctx, referral, documents, {
      audit: [
        succeeded('referral.create', 'Referral', id, patientId),
        succeeded('referral.send', 'Referral', id, patientId),
      ],
      response: { status: 201, headers: result.headers ?? {}, body: referral },
      ops: grantWrites(referral),
    });
    return result;
  }

  // ── Reading ────────────────────────────────────────────────────────────────────────────────────────────────
  /** The referral, its patient noted for the audit trail before anything else can fail. */
  private async load(ctx: ReferralContext, id: string, expectedVersion?: number): Promise<Referral> {
    const referral = await this.store.referral(id);
    if (!referral) throw new NotFoundError('No such referral');
    touchesPatient(referral.patientId);
    if (expectedVersion !== undefined && referral.version !== expectedVersion) {
      // A retry of a change that went through finds the referral moved on: it gets the first answer again.
      await replayIfSeen(ctx.idempotency);
      throw new PreconditionFailedError('The referral changed since you read it; read it again', [], {
        ETag: etag(referral.version),
      });
    }
    return referral;
  }

  async get(ctx: ReferralContext, id: string): Promise<HttpResult> {
    const referral = await this.load(ctx, id);
    await auditRead(ctx, [succeeded('referral.read', 'Referral', id, referral.patientId)]);
    return recordResult(200, referral);
  }

  /** The packet exactly as it was sent (the bytes its hash is of), as FHIR JSON or C-CDA XML. */
  async packet(ctx: ReferralContext, id: string, format: 'fhir' | 'ccda'): Promise<HttpResult> {
    const referral = await this.load(ctx, id);
    const text = referral.packet ? await this.store.packet(id, format) : undefined;
    if (!referral.packet || text === undefined)
      throw new NotFoundError('This referral has not been sent: no packet yet');
    await auditRead(ctx, [succeeded('referral.packet.read', 'Referral', id, referral.patientId)]);
    return {
      status: 200,
      raw: text,
      contentType: format === 'fhir' ? 'application/fhir+json' : 'application/xml',
      headers: {
        ETag: `"${format === 'fhir' ? referral.packet.bundleSha256 : referral.packet.ccdaSha256}"`,
        'Content-Disposition': `attachment; filename="referral-${id}.${format === 'fhir' ? 'json' : 'xml'}"`,
      },
    };
  }

  async consultNote(ctx: ReferralContext, id: string): Promise<HttpResult> {
    const referral = await this.load(ctx, id);
    const note = await this.store.consultNote(id);
    if (!note) throw new NotFoundError('No consult note has come back for this referral');
    await auditRead(ctx, [succeeded('referral.consult-note.read', 'Referral', id, referral.patientId)]);
    return {
      status: 200,
      raw: Buffer.from(note.data, 'base64').toString(
        note.contentType.startsWith('text/') || note.contentType.includes('xml') ? 'utf8' : 'latin1',
      ),
      contentType: note.contentType,
      headers: { 'Content-Disposition': `attachment; filename="consult-note-${id}"` },
    };
  }

  // ── Lifecycle ──────────────────────────────────────────────────────────────────────────────────────────────
  /**
   * Commits `event` on `before` (already loaded and version-checked): the referral at its next version, the grant
   * writes that go with it, the consult note when one came back, and the audit record, in one TransactWriteItems.
   * ref-ext's external-provider actions and the exchange poller come through here too.
   */
  async apply(
    ctx: ReferralContext,
    before: Referral,
    event: ReferralEvent,
    change: Omit<Change, 'at'> & { at?: string },
    extra: { consultNote?: ConsultNote; exchange?: Referral['exchange']; auditAction?: string } = {},
  ): Promise<Referral> {
    const stepped = transitioned(before, event, { ...change, at: change.at ?? nowIso() });
    const after: Referral = nextVersion(ctx, before, {
      ...stepped,
      ...(extra.exchange ? { exchange: extra.exchange } : {}),
    });
    const result = recordResult(200, after);
    await this.store.replaceReferral(ctx, before, after, {
      audit: [succeeded(extra.auditAction ?? `referral.${event}`, 'Referral', after.id, after.patientId)],
      response: { status: 200, headers: result.headers ?? {}, body: after },
      ops: [
        ...grantOps(before, after),
        // A consult note that came back through the FHIR store lands in the chart as the API's does.
        ...(extra.consultNote ? consultNoteWrites(ctx, after, extra.consultNote) : []),
      ],
      ...(extra.consultNote ? { consultNote: extra.consultNote } : {}),
    });
    return after;
  }

  /** Sends a draft: the packet is built and frozen now (GetItem + the chart's Query + one TransactWriteItems). */
  async send(ctx: ReferralContext, id: string, expectedVersion: number): Promise<HttpResult> {
    const before = await this.load(ctx, id, expectedVersion);
    if (before.status !== 'draft')
      throw new ConflictError(`A ${before.status} referral cannot be sent again`);
    const { packet, documents } = await this.freezePacket(
      ctx,
      before,
      before.packetRequest ?? {},
      await this.recipientOf(before.recipient.id),
    );
    const { packetRequest: _request, ...rest } = before;
    const ids = referralFhirIds(id);
    const withPacket: Referral = {
      ...rest,
      packet,
      exchange: { serviceRequestId: ids.serviceRequest, taskId: ids.task },
    };
    const stepped = transitioned(withPacket, 'send', {
      at: nowIso(),
      by: actorOf(ctx.principal),
      via: 'api',
    });
    const after = nextVersion(ctx, before, stepped);
    const result = recordResult(200, after);
    await this.store.replaceReferral(ctx, before, after, {
      audit: [succeeded('referral.send', 'Referral', id, after.patientId)],
      response: { status: 200, headers: result.headers ?? {}, body: after },
      ops: grantWrites(after),
      packet: documents,
    });
    return result;
  }

  /** Cancel (any time before closed, with a reason) or close (after the consult note, or a decline). */
  async act(
    ctx: ReferralContext,
    id: string,
    expectedVersion: number,
    event: Extract<ReferralEvent, 'cancel' | 'close'>,
    reason?: string,
  ): Promise<HttpResult> {
    const before = await this.load(ctx, id, expectedVersion);
    const after = await this.apply(ctx, before, event, {
      by: actorOf(ctx.principal),
      via: 'api',
      ...(reason ? { reason } : {}),
    });
    return recordResult(200, after);
  }

  // ── Worklist and metrics ───────────────────────────────────────────────────────────────────────────────────
  /**
   * Open referrals, overdue first (one Query of the open shelf, ordered in memory because overdue depends on
   * today); closed and cancelled ones page newest first from their own shelf.
   */
  async worklist(ctx: ReferralContext, query: WorklistQuery): Promise<HttpResult> {
    const { limit, cursor, ...filters } = query;
    const binding = JSON.stringify({ ...filters, limit, sub: ctx.principal.sub });
    const done = filters.status === 'closed' || filters.status === 'cancelled';
    const now = today();
    const keep = (r: Referral) =>
      (filters.status ? r.status === filters.status : r.status !== 'closed' && r.status !== 'cancelled') &&
      (!filters.referrer ||
        r.referrer.sub === (filters.referrer === 'me' ? ctx.principal.sub : filters.referrer)) &&
      (filters.overdue === undefined || isOverdue(worklistEntry(r), now) === (filters.overdue === 'true'));
    let items: Referral[];
    let nextCursor: string | undefined;
    let complete = true;
    if (done) {
      const position = cursor ? await openCursor(cursor, binding) : undefined;
      const page = await this.store.worklist(filters.direction, 'DONE', {
        limit,
        ...(position ? { after: position } : {}),
      });
      items = page.items.filter(keep);
      if (page.after) nextCursor = await sealCursor(page.after, binding);
    } else {
      const offset = cursor ? Number((await openCursor(cursor, binding)).offset ?? 0) : 0;
      const shelf = await this.store.worklist(filters.direction, 'OPEN');
      complete = shelf.complete;
      const byId = new Map(shelf.items.filter(keep).map((r) => [r.id, r]));
      const ordered = worklistOrder([...byId.values()].map(worklistEntry), now).map(
        (e) => byId.get(e.id) as Referral,
      );
      items = ordered.slice(offset, offset + limit);
      if (offset + limit < ordered.length) nextCursor = await sealCursor({ offset: offset + limit }, binding);
    }
    await auditRead(
      ctx,
      items.map((r) => succeeded('referral.list', 'Referral', r.id, r.patientId)),
      succeeded('referral.list', 'Referral'),
    );
    return {
      status: 200,
      body: {
        items: items.map(({ history: _history, ...r }, i) => ({
          ...r,
          overdue: isOverdue(worklistEntry(items[i] as Referral), now),
        })),
        ...(nextCursor ? { nextCursor } : {}),
        complete,
      },
    };
  }

  /** Turnaround, loop closure and declined reasons by recipient and by specialty (aggregates only: no PHI). */
  async metrics(ctx: ReferralContext, query: MetricsQuery): Promise<HttpResult> {
    const to = query.to ?? today();
    const from =
      query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
    if (from > to)
      throw new UnprocessableError('from is after to', [
        { field: 'query.from', message: 'Must not be after to' },
      ]);
    const sent = await this.store.sentBetween('outbound', from, to);
    const history = sent.map((r) => ({
      recipient: r.recipient.name,
      specialty: r.specialty.display ?? r.specialty.code,
      ...(r.sentAt ? { sentAt: r.sentAt } : {}),
      ...(r.acceptedAt ? { acceptedAt: r.acceptedAt } : {}),
      ...(r.scheduledAt ? { scheduledAt: r.scheduledAt } : {}),
      ...(r.consultNoteAt ? { consultNoteAt: r.consultNoteAt } : {}),
      ...(r.declineReason ? { declinedReason: r.declineReason } : {}),
    }));
    const now = nowIso();
    await auditRead(ctx, [], succeeded('referral.metrics', 'Referral'));
    return {
      status: 200,
      body: {
        from,
        to,
        sent: history.length,
        byRecipient: referralMetrics(history, 'recipient', now),
        bySpecialty: referralMetrics(history, 'specialty', now),
      },
    };
  }
}
