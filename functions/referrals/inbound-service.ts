// Inbound referrals' use cases: take one in (a posted C-CDA, or a Task in the FHIR store owned by our Organization),
// list and read them, offer the patients who may be the person, accept (match or register, import the packet as a
// received document, offer booking, answer the sender's Task) or decline.
import {
  CreatePatientBody,
  mrnSystem,
  type Patient,
  patientById,
  patientCandidates,
  registerPatient,
} from '#functions/patients/index.ts';
import { matchPatients } from '#functions/sharing/index.ts';
import { type AuditEvent, auditRead, succeeded, touchesPatient } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { config, practiceSource } from '#shared/config.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, UnprocessableError } from '#shared/errors.ts';
import { FhirClient, type FhirResource } from '#shared/fhir-client.ts';
import { etag, type HttpResult } from '#shared/http/result.ts';
import { logger } from '#shared/logger.ts';
import { newRecord } from '#shared/records.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import { documentContent } from './consult-note-document.ts';
import type { ReceivedDocument } from './external-schemas.ts';
import {
  DynamoExternalStore,
  type ExternalStore,
  inboundCreateWrites,
  inboundReplace,
  receivedDocumentPut,
} from './external-store.ts';
import {
  type Candidate,
  ccdaToBundle,
  demographicsOf,
  matchDecision,
  ourMrn,
  readPacket,
} from './inbound.ts';
import type {
  AcceptInboundBody,
  InboundReferral,
  InboundWorklistQuery,
  ReceiveCcdaBody,
} from './inbound-schemas.ts';

export interface InboundContext extends WriteContext {
  principal: Principal;
}

/** LOINC 57133-1 Referral note. */
const REFERRAL_NOTE_LOINC = '57133-1';

/**
 * Our Organization in the FHIR store: senders address referrals to us by making it the Task's owner
 * (docs/referrals.md, Inbound).
 */
export function practiceOrganization(): string {
  return `Organization/continuum-${config().PRACTICE_ID}`;
}

function fhir(): FhirClient {
  const { FHIR_BASE_URL, FHIR_AUTH, AWS_REGION } = config();
  if (!FHIR_BASE_URL) throw new Error('FHIR_BASE_URL is not configured');
  return new FhirClient({ baseUrl: FHIR_BASE_URL, auth: FHIR_AUTH, region: AWS_REGION });
}

const inboundEvent = (action: string, r: InboundReferral): AuditEvent =>
  succeeded(action, 'InboundReferral', r.id, r.patientId);

function candidatesFor(r: InboundReferral): Promise<{ byMrn?: Patient; candidates: Candidate<Patient>[] }> {
  const mrn = ourMrn(r.person, mrnSystem(practiceSource()));
  return patientCandidates({
    ...(mrn ? { mrn } : {}),
    family: r.person.family,
    ...(r.person.birthDate ? { birthDate: r.person.birthDate } : {}),
  }).then(({ byMrn, byDemographics }) => {
    const theirs = demographicsOf(r.person);
    const candidates = byDemographics.flatMap((p): Candidate<Patient>[] => {
      const result = matchPatients(
        {
          identifiers: [{ system: mrnSystem(practiceSource()), value: p.mrn }],
          family: p.name.family,
          given: p.name.given,
          birthDate: p.birthDate,
          gender: p.gender,
          addresses: p.contact?.address ? [p.contact.address] : [],
          phones: p.contact?.phone ? [p.contact.phone] : [],
        },
        theirs,
      );
      return result.grade === 'no-match' ? [] : [{ patient: p, grade: result.grade, basis: result.basis }];
    });
    return { ...(byMrn ? { byMrn } : {}), candidates };
  });
}

export class InboundReferralService {
  private readonly store: ExternalStore;

  constructor(store: ExternalStore = new DynamoExternalStore()) {
    this.store = store;
  }

  /** A C-CDA referral posted by a person (a Direct message's attachment, a portal upload). */
  async receiveCcda(ctx: InboundContext, body: ReceiveCcdaBody): Promise<HttpResult> {
    const bundle = ccdaToBundle(body.ccda);
    const read = bundle ? readPacket(bundle) : undefined;
    if (!read)
      throw new UnprocessableError('The document is not a C-CDA naming a patient', [
        { field: 'body.ccda', message: 'Must be a C-CDA ClinicalDocument with a recordTarget patient' },
      ]);
    const at = nowIso();
    const referral: InboundReferral = newRecord(ctx, {
      status: 'received' as const,
      receivedAt: at,
      source: { via: 'ccda' as const, sender: { name: body.sender } },
      person: read.person,
      ...(body.reason ? { reason: body.reason } : {}),
      ...(body.urgency ? { urgency: body.urgency } : {}),
      contents: read.contents,
      documentIds: [],
    });
    const headers = { ETag: etag(1), Location: `/v1/inbound-referrals/${referral.id}` };
    await commit(ctx, {
      ops: inboundCreateWrites(referral, body.ccda),
      audit: [inboundEvent('inbound-referral.create', referral)],
      response: { status: 201, headers, body: referral },
    });
    return { status: 201, body: referral, headers };
  }

  /**
   * Takes in every Task of the FHIR store addressed to us that is not in yet (guarded per Task, so a second poll or
   * a second poller changes nothing). Run by the runtime's loop locally, on a schedule in AWS.
   */
  async pollTasks(ctx: InboundContext, client: FhirClient = fhir()): Promise<number> {
    const tasks = await client.search('Task', { owner: practiceOrganization(), status: 'requested' });
    let taken = 0;
    for (const task of tasks) {
      if (!task.id || (await this.store.hasInboundTask(task.id))) continue;
      try {
        if (await this.takeTask(ctx, client, task)) taken += 1;
      } catch (error) {
        if (error instanceof ConflictError) continue; // another poller took it in first
        logger.warn('inbound task not taken in', { errorName: (error as Error).name });
      }
    }
    return taken;
  }

  private async takeTask(ctx: InboundContext, client: FhirClient, task: FhirResource): Promise<boolean> {
    const t = task as FhirResource & {
      focus?: { reference?: string };
      requester?: { reference?: string; display?: string };
      input?: { valueReference?: { reference?: string }; valueAttachment?: Attachment }[];
      description?: string;
      priority?: string;
    };
    let packet: string | undefined;
    let contentType = 'application/fhir+json';
    for (const input of t.input ?? []) {
      let attachment = input.valueAttachment;
      if (!attachment && input.valueReference?.reference?.startsWith('DocumentReference/')) {
        const doc = await client.request('GET', input.valueReference.reference);
        attachment = (doc.body as { content?: { attachment?: Attachment }[] } | undefined)?.content?.[0]
          ?.attachment;
      }
      if (attachment?.data) {
        packet = Buffer.from(attachment.data, 'base64').toString('utf8');
        contentType = attachment.contentType ?? contentType;
        break;
      }
    }
    if (!packet) return false;
    const bundle = /xml/.test(contentType) ? ccdaToBundle(packet) : (JSON.parse(packet) as object);
    const read = bundle ? readPacket(bundle) : undefined;
    if (!read) return false;
    const at = nowIso();
    const urgency = ['routine', 'urgent', 'stat'].find((u) => u === t.priority);
    const referral: InboundReferral = newRecord(ctx, {
      status: 'received' as const,
      receivedAt: at,
      source: {
        via: 'fhir' as const,
        taskId: task.id as string,
        ...(t.focus?.reference
          ? { serviceRequestId: t.focus.reference.replace(/^ServiceRequest\//, '') }
          : {}),
        sender: {
          ...(t.requester?.reference ? { reference: t.requester.reference } : {}),
          name: t.requester?.display ?? t.requester?.reference ?? 'Unknown sender',
        },
      },
      person: read.person,
      ...(t.description ? { reason: t.description } : {}),
      ...(urgency ? { urgency } : {}),
      contents: read.contents,
      documentIds: [],
    });
    await commit(ctx, {
      ops: inboundCreateWrites(referral, packet),
      audit: [inboundEvent('inbound-referral.create', referral)],
    });
    return true;
  }

  /** The inbound worklist: one Query page, newest first. */
  async list(ctx: InboundContext, query: InboundWorklistQuery): Promise<HttpResult> {
    const binding = JSON.stringify({ status: query.status, limit: query.limit, sub: ctx.principal.sub });
    const after = query.cursor ? await openCursor(query.cursor, binding) : undefined;
    const page = await this.store.inboundWorklist(query.status === 'open' ? 'OPEN' : 'DONE', {
      limit: query.limit,
      ...(after ? { after } : {}),
    });
    await auditRead(
      ctx,
      page.items.map((r) => inboundEvent('inbound-referral.list', r)),
      succeeded('inbound-referral.list', 'InboundReferral'),
    );
    return {
      status: 200,
      body: {
        items: page.items,
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  private async load(id: string): Promise<InboundReferral> {
    const r = await this.store.inboundReferral(id);
    if (!r) throw new NotFoundError('No such inbound referral');
    touchesPatient(r.patientId);
    return r;
  }

  async read(ctx: InboundContext, id: string): Promise<HttpResult> {
    const r = await this.load(id);
    await auditRead(ctx, [inboundEvent('inbound-referral.read', r)]);
    return { status: 200, body: r, headers: { ETag: etag(r.version) } };
  }

  /** The patients who may be this person, graded, for a person to choose from. */
  async matches(ctx: InboundContext, id: string): Promise<HttpResult> {
    const r = await this.load(id);
    const { byMrn, candidates } = await candidatesFor(r);
    const decided = matchDecision(byMrn, candidates);
    const listed: Candidate<Patient>[] = byMrn
      ? [{ patient: byMrn, grade: 'match', basis: 'identifier' }]
      : candidates;
    await auditRead(
      ctx,
      listed.map((c) => succeeded('inbound-referral.match', 'Patient', c.patient.id, c.patient.id)),
      inboundEvent('inbound-referral.match', r),
    );
    return {
      status: 200,
      body: {
        decision: decided.decision,
        candidates: listed.map((c) => ({
          patientId: c.patient.id,
          mrn: c.patient.mrn,
          name: { given: c.patient.name.given, family: c.patient.name.family },
          birthDate: c.patient.birthDate,
          gender: c.patient.gender,
          grade: c.grade,
          basis: c.basis,
        })),
      },
    };
  }

  /**
   * Accepts: the patient is the one a person chose, the one certain match, or a new registration (only when nobody
   * could be the person, or when asked); the packet becomes a received document in their chart; all in one
   * transaction. Then the sender's Task is updated, and the answer says how to book.
   */
  async accept(
    ctx: InboundContext,
    id: string,
    expectedVersion: number,
    body: AcceptInboundBody,
  ): Promise<HttpResult> {
    const before = await this.load(id);
    this.guard(before, expectedVersion);
    const ops: WriteOp[] = [];
    const audit: AuditEvent[] = [];
    let patientId: string;
    let match: InboundReferral['match'];
    if (body.patientId) {
      if (!(await patientById(body.patientId)))
        throw new UnprocessableError('No such patient', [
          { field: 'body.patientId', message: 'No such patient' },
        ]);
      patientId = body.patientId;
      match = 'chosen';
    } else {
      const found = body.register ? undefined : await candidatesFor(before);
      const decided = found ? matchDecision(found.byMrn, found.candidates) : ({ decision: 'none' } as const);
      if (decided.decision === 'choose')
        throw new ConflictError(
          'More than one patient may be this person: choose one, or register a new one',
          [{ field: 'body.patientId', message: `See GET /v1/inbound-referrals/${id}/matches` }],
        );
      if (decided.decision === 'match') {
        patientId = decided.patient.id;
        match = decided.basis;
      } else {
        const registration = registerPatient(ctx, this.registrationOf(before));
        ops.push(...registration.ops);
        audit.push(...registration.audit);
        patientId = registration.patient.id;
        match = 'registered';
      }
    }
    touchesPatient(patientId);
    const at = nowIso();
    const packet = await this.store.inboundPacket(id);
    const document: ReceivedDocument = newRecord(ctx, {
      patientId,
      kind: 'referral-packet' as const,
      typeCode: REFERRAL_NOTE_LOINC,
      title: before.contents.title,
      receivedAt: before.receivedAt,
      from: {
        ...(before.source.sender.reference ? { organizationId: before.source.sender.reference } : {}),
        organizationName: before.source.sender.name,
      },
      inboundReferralId: id,
      contents: packet
        ? [
            documentContent(
              before.source.via === 'ccda' || packet.trimStart().startsWith('<')
                ? 'application/cda+xml'
                : 'application/fhir+json',
              Buffer.from(packet, 'utf8'),
            ),
          ]
        : [],
    });
    const after: InboundReferral = {
      ...before,
      status: 'accepted',
      patientId,
      ...(match ? { match } : {}),
      acceptedAt: at,
      documentIds: [document.id],
      version: before.version + 1,
      updatedAt: at,
      updatedBy: ctx.principal.sub,
    };
    const answer = {
      inboundReferral: after,
      patientId,
      documentIds: after.documentIds,
      booking: this.booking(after),
    };
    const headers = { ETag: etag(after.version) };
    await commit(ctx, {
      ops: [inboundReplace(before, after), ...ops, receivedDocumentPut(document)],
      audit: [
        ...audit,
        inboundEvent('inbound-referral.accept', after),
        succeeded('received-document.create', 'DocumentReference', document.id, patientId),
      ],
      response: { status: 200, headers, body: answer },
    });
    await this.answerSender(after, 'accepted');
    return { status: 200, body: answer, headers };
  }

  async decline(
    ctx: InboundContext,
    id: string,
    expectedVersion: number,
    reason: string,
  ): Promise<HttpResult> {
    const before = await this.load(id);
    this.guard(before, expectedVersion);
    const at = nowIso();
    const after: InboundReferral = {
      ...before,
      status: 'declined',
      declinedAt: at,
      declineReason: reason,
      version: before.version + 1,
      updatedAt: at,
      updatedBy: ctx.principal.sub,
    };
    const headers = { ETag: etag(after.version) };
    await commit(ctx, {
      ops: [inboundReplace(before, after)],
      audit: [inboundEvent('inbound-referral.decline', after)],
      response: { status: 200, headers, body: after },
    });
    await this.answerSender(after, 'rejected', reason);
    return { status: 200, body: after, headers };
  }

  private guard(r: InboundReferral, expectedVersion: number): void {
    if (r.version !== expectedVersion)
      throw new PreconditionFailedError('The inbound referral changed since you read it; read it again', [], {
        ETag: etag(r.version),
      });
    if (r.status !== 'received') throw new ConflictError(`This inbound referral is already ${r.status}`);
  }

  /** A new patient from what the sender said; what registration needs and the sender left out is named. */
  private registrationOf(r: InboundReferral): CreatePatientBody {
    const parsed = CreatePatientBody.safeParse({
      name: { given: r.person.given, family: r.person.family },
      birthDate: r.person.birthDate,
      gender: r.person.gender ?? 'unknown',
      ...(r.person.phones[0] ? { contact: { phone: r.person.phones[0] } } : {}),
    });
    if (!parsed.success)
      throw new UnprocessableError(
        'The referral does not say enough to register the patient; choose one instead',
        [...parsed.error.issues.map((i) => ({ field: `person.${i.path.join('.')}`, message: i.message }))],
      );
    return parsed.data;
  }

  /** Scheduling's find-a-time, from today to the urgency's horizon; add the provider and appointment type. */
  private booking(r: InboundReferral): { href: string; params: Record<string, string> } {
    const days = r.urgency === 'stat' ? 1 : r.urgency === 'urgent' ? 7 : 30;
    const from = nowIso().slice(0, 10);
    const to = new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    return { href: '/v1/availability', params: { from, to, patientId: r.patientId ?? '' } };
  }

  /**
   * Tells the sender through their Task (status accepted or rejected, BSeR business status); a C-CDA has no Task.
   * After the commit: a failure here leaves `answeredAt` unset and is logged; the acceptance stands.
   */
  private async answerSender(
    r: InboundReferral,
    status: 'accepted' | 'rejected',
    reason?: string,
  ): Promise<void> {
    if (!r.source.taskId) return;
    try {
      const client = fhir();
      const read = await client.request('GET', `Task/${r.source.taskId}`);
      if (read.status !== 200 || !read.body) throw new Error(`Task read ${read.status}`);
      const task = {
        ...read.body,
        status,
        businessStatus: { text: status === 'accepted' ? 'Accepted' : 'Declined' },
        ...(reason ? { statusReason: { text: reason } } : {}),
        lastModified: nowIso(),
      };
      const put = await client.request('PUT', `Task/${r.source.taskId}`, task);
      if (put.status !== 200 && put.status !== 201) throw new Error(`Task update ${put.status}`);
      await this.store.markAnswered(r.id, nowIso());
    } catch (error) {
      logger.warn('inbound referral: the sender was not told', { errorName: (error as Error).name });
    }
  }
}

interface Attachment {
  contentType?: string;
  data?: string;
}

/** One poll of the FHIR store for Tasks addressed to us, as the system (the runtime's loop; a schedule in AWS). */
export function pollInboundReferrals(): Promise<number> {
  return new InboundReferralService().pollTasks({
    principal: { sub: 'system:inbound-poller', username: 'inbound-poller', roles: [] },
    requestId: `inbound-poll-${crypto.randomUUID()}`,
  });
}
