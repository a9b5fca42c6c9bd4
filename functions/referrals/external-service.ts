// An external provider's use cases: its referrals, one referral, its packet, the patient's demographics, and the
// answers it gives (accept, decline, the appointment date, the consult note). Every call goes through the one
// policy function with the grant the referral gave (shared/auth/policy.ts); every access is audited with the
// provider's organisation.
import { gunzipSync } from 'node:zlib';
import { convertXmlToCcda } from '@medplum/ccda';
import { patientById } from '#functions/patients/index.ts';
import { type AuditEvent, auditRead, touchesPatient } from '#shared/audit.ts';
import { authorize } from '#shared/auth/policy.ts';
import type { Principal } from '#shared/auth/principal.ts';
import type { Role } from '#shared/auth/roles.ts';
import { nowIso, nowMs } from '#shared/clock.ts';
import { itemAt } from '#shared/dynamodb.ts';
import {
  ConcealedDenialError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
} from '#shared/errors.ts';
import { etag, type HttpResult } from '#shared/http/result.ts';
import { nextVersion } from '#shared/records.ts';
import { recordOf } from '#shared/table.ts';
import type { WriteContext } from '#shared/write.ts';
import { consultNoteDocument, documentContent } from './consult-note-document.ts';
import type {
  ConsultNoteBody,
  DeclineBody,
  DocumentContent,
  ExternalPatient,
  ExternalReferral,
  ReferralGrant,
  ScheduleBody,
} from './external-schemas.ts';
import { DynamoExternalStore, type ExternalStore, receivedDocumentPut } from './external-store.ts';
import { referralKeys } from './keys.ts';
import type { ReferralEvent } from './lifecycle.ts';
import type { Referral } from './schemas.ts';
import { DynamoReferralStore, type ReferralStore } from './store.ts';
import { type Change, transitioned } from './transitions.ts';

export interface ExternalContext extends WriteContext {
  principal: Principal;
}

/** The only role these use cases serve; the policy function decides the rest from the grant. */
const EXTERNAL: readonly Role[] = ['external-provider'];

export function externalView(r: Referral, grant: ReferralGrant): ExternalReferral {
  return {
    id: r.id,
    version: r.version,
    status: r.status,
    patientId: r.patientId,
    referrer: { ...(r.referrer.name ? { name: r.referrer.name } : {}) },
    recipient: { id: r.recipient.id, name: r.recipient.name, organizationName: r.recipient.organizationName },
    specialty: r.specialty,
    reason: r.reason,
    urgency: r.urgency,
    clinicalQuestion: r.clinicalQuestion,
    dueDate: r.dueDate,
    ...(r.sentAt ? { sentAt: r.sentAt } : {}),
    ...(r.acceptedAt ? { acceptedAt: r.acceptedAt } : {}),
    ...(r.declinedAt ? { declinedAt: r.declinedAt } : {}),
    ...(r.declineReason ? { declineReason: r.declineReason } : {}),
    ...(r.appointmentDate ? { appointmentDate: r.appointmentDate } : {}),
    ...(r.consultNoteAt ? { consultNoteAt: r.consultNoteAt } : {}),
    ...(r.coverage ? { coverage: r.coverage } : {}),
    ...(r.priorAuthorization ? { priorAuthorization: r.priorAuthorization } : {}),
    ...(r.packet
      ? {
          packet: {
            bundleSha256: r.packet.bundleSha256,
            ccdaSha256: r.packet.ccdaSha256,
            builtAt: r.packet.builtAt,
          },
        }
      : {}),
    accessExpiresAt: new Date(grant.expiresAt * 1000).toISOString(),
  };
}

/** An audit event of an external provider: always names the organisation it acted for. */
function externalEvent(
  action: string,
  resourceType: string,
  resourceId: string,
  patientId: string,
  grant: ReferralGrant,
): AuditEvent {
  return {
    action,
    resourceType,
    resourceId,
    patientId,
    outcome: 'success',
    organization: grant.organization,
  };
}

/** The note's contents, each checked to be what it says it is (a PDF starts %PDF-, a C-CDA parses). */
export function consultNoteContents(body: ConsultNoteBody): DocumentContent[] {
  const contents: DocumentContent[] = [];
  if (body.text !== undefined) contents.push(documentContent('text/plain', Buffer.from(body.text, 'utf8')));
  if (body.attachment) {
    const data = Buffer.from(body.attachment.data, 'base64');
    const field = 'body.attachment.data';
    if (
      body.attachment.contentType === 'application/pdf' &&
      !data.subarray(0, 5).equals(Buffer.from('%PDF-'))
    )
      throw new UnprocessableError('The attachment is not a PDF', [
        { field, message: 'Must be a PDF (%PDF-)' },
      ]);
    if (body.attachment.contentType === 'application/cda+xml') {
      let parsed: unknown;
      try {
        parsed = convertXmlToCcda(data.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      if (!(parsed as { recordTarget?: unknown } | undefined)?.recordTarget)
        throw new UnprocessableError('The attachment is not a C-CDA document', [
          { field, message: 'Must be a C-CDA ClinicalDocument' },
        ]);
    }
    contents.push(documentContent(body.attachment.contentType, data));
  }
  return contents;
}

export class ExternalReferralService {
  private readonly store: ExternalStore;
  private readonly referrals: ReferralStore;

  constructor(
    store: ExternalStore = new DynamoExternalStore(),
    referrals: ReferralStore = new DynamoReferralStore(),
  ) {
    this.store = store;
    this.referrals = referrals;
  }

  /** The practitioner the caller acts for; an account bound to none may do nothing here. */
  private practitionerOf(ctx: ExternalContext): string {
    const id = ctx.principal.practitionerId;
    if (!id) throw new ForbiddenError('This account is not bound to a practitioner of the directory');
    return id;
  }

  /**
   * The grant and the referral (plus any other items of the referral the call needs), in one BatchGetItem, and
   * the policy's answer: anything the grant does not cover is answered as not found.
   */
  private async granted(
    ctx: ExternalContext,
    referralId: string,
    others: { pk: string; sk: string }[] = [],
  ): Promise<{ grant: ReferralGrant; referral: Referral; items: Map<string, Record<string, unknown>> }> {
    const practitionerId = this.practitionerOf(ctx);
    const { grant, items } = await this.store.grantWith(practitionerId, referralId, [
      referralKeys.item(referralId),
      ...others,
    ]);
    const item = itemAt(items, referralKeys.item(referralId));
    const referral = item ? recordOf<Referral>(item) : undefined;
    // File a denial under the patient whose referral it is, so their access history shows the attempt.
    touchesPatient(referral?.patientId);
    const decision = authorize(
      ctx.principal,
      EXTERNAL,
      { referralId, ...(referral ? { patientId: referral.patientId } : {}), ...(grant ? { grant } : {}) },
      nowMs(),
    );
    if (decision === 'deny') throw new ForbiddenError('Your role may not do this');
    if (decision !== 'allow' || !grant || !referral) throw new ConcealedDenialError('No such referral');
    return { grant, referral, items };
  }

  /** The caller's referrals whose grants hold: one Query of its grants, one BatchGetItem of the referrals. */
  async list(ctx: ExternalContext): Promise<HttpResult> {
    const practitionerId = this.practitionerOf(ctx);
    const now = nowMs();
    const grants = (await this.store.grantsOf(practitionerId)).filter(
      (g) =>
        authorize(
          ctx.principal,
          EXTERNAL,
          { referralId: g.referralId, patientId: g.patientId, grant: g },
          now,
        ) === 'allow',
    );
    const referrals = new Map(
      (await this.store.referrals(grants.map((g) => g.referralId))).map((r) => [r.id, r]),
    );
    const items: ExternalReferral[] = [];
    const events: AuditEvent[] = [];
    for (const grant of grants) {
      const referral = referrals.get(grant.referralId);
      if (!referral) continue;
      items.push(externalView(referral, grant));
      events.push(externalEvent('referral.read', 'Referral', referral.id, referral.patientId, grant));
    }
    items.sort((a, b) => (b.sentAt ?? '').localeCompare(a.sentAt ?? ''));
    await auditRead(ctx, events, { action: 'referral.list', resourceType: 'Referral', outcome: 'success' });
    return { status: 200, body: { items } };
  }

  async read(ctx: ExternalContext, referralId: string): Promise<HttpResult> {
    const { grant, referral } = await this.granted(ctx, referralId);
    await auditRead(ctx, [
      externalEvent('referral.read', 'Referral', referral.id, referral.patientId, grant),
    ]);
    return { status: 200, body: externalView(referral, grant), headers: { ETag: etag(referral.version) } };
  }

  /** The frozen packet exactly as it was sent (its SHA-256 is on the referral). One BatchGetItem. */
  async packet(ctx: ExternalContext, referralId: string, format: 'fhir' | 'ccda'): Promise<HttpResult> {
    const key =
      format === 'fhir' ? referralKeys.packetBundle(referralId) : referralKeys.packetCcda(referralId);
    const { grant, referral, items } = await this.granted(ctx, referralId, [key]);
    const data = itemAt(items, key)?.data as Uint8Array | undefined;
    if (!data) throw new NotFoundError('This referral has no packet');
    await auditRead(ctx, [
      externalEvent('referral.packet.read', 'Referral', referral.id, referral.patientId, grant),
    ]);
    return {
      status: 200,
      raw: gunzipSync(data).toString('utf8'),
      contentType: format === 'fhir' ? 'application/fhir+json' : 'application/xml',
    };
  }

  /** The referred patient as a booking needs them: name, birth date, sex, phone, language, MRN. Nothing else. */
  async patient(ctx: ExternalContext, referralId: string): Promise<HttpResult> {
    const { grant, referral } = await this.granted(ctx, referralId);
    const patient = await patientById(referral.patientId);
    if (!patient) throw new NotFoundError('No such patient');
    const view: ExternalPatient = {
      id: patient.id,
      mrn: patient.mrn,
      name: { given: patient.name.given, family: patient.name.family },
      birthDate: patient.birthDate,
      gender: patient.gender,
      ...(patient.contact?.phone ? { phone: patient.contact.phone } : {}),
      ...(patient.preferredLanguage ? { preferredLanguage: patient.preferredLanguage } : {}),
    };
    await auditRead(ctx, [externalEvent('patient.read', 'Patient', patient.id, patient.id, grant)]);
    return { status: 200, body: view };
  }

  accept(ctx: ExternalContext, referralId: string, expectedVersion: number): Promise<HttpResult> {
    return this.answer(ctx, referralId, expectedVersion, 'accept', {});
  }

  decline(
    ctx: ExternalContext,
    referralId: string,
    expectedVersion: number,
    body: DeclineBody,
  ): Promise<HttpResult> {
    return this.answer(ctx, referralId, expectedVersion, 'decline', { reason: body.reason });
  }

  schedule(
    ctx: ExternalContext,
    referralId: string,
    expectedVersion: number,
    body: ScheduleBody,
  ): Promise<HttpResult> {
    return this.answer(ctx, referralId, expectedVersion, 'schedule', {
      appointmentDate: body.appointmentDate,
    });
  }

  /**
   * The consult note: it lands in the referring practice's chart as a received document (readable by the patient's
   * clinicians) and moves the referral to consult-note-received, in one transaction.
   */
  async returnConsultNote(
    ctx: ExternalContext,
    referralId: string,
    expectedVersion: number,
    body: ConsultNoteBody,
  ): Promise<HttpResult> {
    const contents = consultNoteContents(body);
    return this.answer(ctx, referralId, expectedVersion, 'return-consult-note', {}, (after, grant, at) => {
      const author = body.author ?? after.recipient.name;
      const doc = consultNoteDocument(ctx, after, { title: body.title, author, receivedAt: at, contents });
      const primary = contents[contents.length - 1] as DocumentContent;
      return {
        ops: [receivedDocumentPut(doc)],
        audit: [externalEvent('received-document.create', 'DocumentReference', doc.id, doc.patientId, grant)],
        consultNote: {
          referralId: after.id,
          patientId: after.patientId,
          receivedAt: at,
          via: 'api' as const,
          title: body.title,
          contentType: primary.contentType,
          data: primary.data,
          author,
        },
      };
    });
  }

  /**
   * One transition the recipient makes, guarded by the grant, the lifecycle (transitions.ts, as for every other
   * change of a referral) and the version the caller read; committed with its extra writes in one transaction.
   */
  private async answer(
    ctx: ExternalContext,
    referralId: string,
    expectedVersion: number,
    event: ReferralEvent,
    details: Pick<Change, 'reason' | 'appointmentDate'>,
    extra?: (
      after: Referral,
      grant: ReferralGrant,
      at: string,
    ) => Pick<Parameters<ReferralStore['replaceReferral']>[3], 'ops' | 'audit' | 'consultNote'>,
  ): Promise<HttpResult> {
    const { grant, referral: before } = await this.granted(ctx, referralId);
    if (before.version !== expectedVersion)
      throw new PreconditionFailedError('The referral changed since you read it; read it again', [], {
        ETag: etag(before.version),
      });
    const at = nowIso();
    const stepped = transitioned(before, event, {
      at,
      by: { sub: ctx.principal.sub, name: ctx.principal.username, organization: grant.organization.name },
      via: 'api',
      ...details,
    });
    const after = nextVersion(ctx, before, stepped);
    const more = extra?.(after, grant, at);
    const view = externalView(after, grant);
    const headers = { ETag: etag(after.version) };
    await this.referrals.replaceReferral(ctx, before, after, {
      ops: more?.ops ?? [],
      audit: [
        externalEvent(`referral.${event}`, 'Referral', after.id, after.patientId, grant),
        ...(more?.audit ?? []),
      ],
      ...(more?.consultNote ? { consultNote: more.consultNote } : {}),
      ...(ctx.idempotency ? { response: { status: 200, headers, body: view } } : {}),
    });
    return { status: 200, body: view, headers };
  }
}
