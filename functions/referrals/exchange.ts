// The referral exchange with the FHIR store (HealthLake in AWS, the local FHIR server locally): it tells each open
// referral to the recipient as a ServiceRequest + Task (focus = the ServiceRequest, owner = the recipient's
// Organization, input = the packet's DocumentReference), and reads back what the recipient did to the Task
// (accepted, rejected, in progress with an appointment, completed with the consult note in Task.output) into the
// referral's status. Run once a minute by a scheduled Lambda in AWS and by the local runtime's poller.
// https://hl7.org/fhir/R4/task.html · https://hl7.org/fhir/us/bser/ (BSeR's referral Task)
import type { DocumentReference, Task } from '@medplum/fhirtypes';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { practiceSource } from '#shared/config.ts';
import type { FhirClient, FhirResource } from '#shared/fhir-client.ts';
import { logger } from '#shared/logger.ts';
import { directoryFhirId, toFhirOrganization, toFhirPractitioner } from './directory-fhir.ts';
import { isOpenOnShelf } from './exchange-state.ts';
import { eventFromTask, TASK_STATUS } from './lifecycle.ts';
import { referralFhirIds } from './packet-document.ts';
import type { Referral } from './schemas.ts';
import type { ReferralService } from './service.ts';
import type { ConsultNote, ReferralStore } from './store.ts';
import { eventsFromTask } from './transitions.ts';

const LOINC = 'http://loinc.org';

/** Who the exchange acts as: not a user, so it holds no role and its records say `via: fhir`. */
export const EXCHANGE_PRINCIPAL: Principal = {
  sub: 'system:referral-exchange',
  username: 'referral-exchange',
  roles: [],
};

export interface ExchangeRun {
  checked: number;
  pushed: number;
  applied: number;
  failed: number;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const patientRef = (r: Referral) => ({ reference: `Patient/${r.patientId.toLowerCase()}` });
const STATUS_SYSTEM = (source: string) => `${source}:referral-status`;

/** The packet as a US Core DocumentReference: the FHIR document and the C-CDA as two renditions. */
function packetDocument(r: Referral, bundle: string, ccda: string, source: string): DocumentReference {
  const ids = referralFhirIds(r.id);
  return {
    resourceType: 'DocumentReference',
    id: ids.documentReference,
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference'], source },
    identifier: [{ system: `${source}:referral-packet`, value: r.id }],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: LOINC, code: '57133-1', display: 'Referral note' }] },
    category: [
      {
        coding: [
          {
            system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
            code: 'clinical-note',
            display: 'Clinical Note',
          },
        ],
      },
    ],
    subject: patientRef(r),
    date: r.packet?.builtAt ?? nowIso(),
    author: [
      r.referrer.practitionerId
        ? { reference: `Practitioner/${r.referrer.practitionerId.toLowerCase()}` }
        : { display: r.referrer.name ?? 'Referring clinician' },
    ],
    description: `Referral packet (SHA-256 ${r.packet?.bundleSha256 ?? ''})`,
    content: [
      {
        attachment: {
          contentType: 'application/fhir+json',
          data: b64(bundle),
          title: 'Referral packet (FHIR document)',
        },
        format: {
          system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
          code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
        },
      },
      {
        attachment: { contentType: 'application/xml', data: b64(ccda), title: 'Referral Note (C-CDA)' },
        format: {
          system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
          code: 'urn:hl7-org:sdwg:ccda-structuredBody:2.1',
        },
      },
    ],
    context: { related: [{ reference: `ServiceRequest/${ids.serviceRequest}` }] },
  };
}

/** The Task as the practice says it is; on top of the recipient's Task when there is one (their fields kept). */
function taskOf(r: Referral, source: string, current?: Task): Task {
  const ids = referralFhirIds(r.id);
  const cancelled = r.status === 'cancelled';
  return {
    ...(current ?? {}),
    resourceType: 'Task',
    id: ids.task,
    meta: { source },
    identifier: [{ system: `${source}:referral`, value: r.id }],
    basedOn: [{ reference: `ServiceRequest/${ids.serviceRequest}` }],
    status: TASK_STATUS[r.status],
    businessStatus: { coding: [{ system: STATUS_SYSTEM(source), code: r.status }], text: r.status },
    ...(cancelled && r.cancelReason ? { statusReason: { text: r.cancelReason } } : {}),
    intent: 'order',
    priority: r.urgency === 'stat' ? 'stat' : r.urgency,
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: `ServiceRequest/${ids.serviceRequest}` },
    for: patientRef(r),
    ...(r.sentAt ? { authoredOn: r.sentAt } : {}),
    lastModified: r.updatedAt,
    requester: r.referrer.practitionerId
      ? { reference: `Practitioner/${r.referrer.practitionerId.toLowerCase()}` }
      : { display: r.referrer.name ?? 'Referring clinician' },
    owner: {
      reference: `Organization/${directoryFhirId(r.recipient.organizationId)}`,
      display: r.recipient.organizationName,
    },
    restriction: {
      period: { end: r.dueDate },
      ...(r.recipient.kind === 'practitioner'
        ? {
            recipient: [
              { reference: `Practitioner/${directoryFhirId(r.recipient.id)}`, display: r.recipient.name },
            ],
          }
        : {}),
    },
    input: [
      {
        type: {
          coding: [{ system: LOINC, code: '57133-1', display: 'Referral note' }],
          text: 'Referral packet',
        },
        valueReference: { reference: `DocumentReference/${ids.documentReference}` },
      },
    ],
  };
}

/** The appointment date a recipient put on the Task (executionPeriod.start, BSeR's place for it). */
const scheduledFor = (task: Task) => task.executionPeriod?.start?.slice(0, 10);

export class ReferralExchange {
  private readonly fhir: FhirClient;
  private readonly store: ReferralStore;
  private readonly service: ReferralService;

  constructor(fhir: FhirClient, store: ReferralStore, service: ReferralService) {
    this.fhir = fhir;
    this.store = store;
    this.service = service;
  }

  /** One pass over the open referrals: tell what changed here, read back what changed there. */
  async run(requestId = `referral-exchange-${Date.now()}`): Promise<ExchangeRun> {
    const run: ExchangeRun = { checked: 0, pushed: 0, applied: 0, failed: 0 };
    const open = await this.store.worklist('outbound', 'OPEN');
    for (const referral of open.items) {
      if (referral.status === 'draft' || !referral.exchange) continue;
      run.checked++;
      try {
        const outcome = await this.sync(referral, requestId);
        if (outcome === 'pushed') run.pushed++;
        if (outcome === 'applied') run.applied++;
      } catch (error) {
        // One referral's trouble (a 412 from a concurrent change, the store briefly away) waits for the next pass.
        run.failed++;
        logger.warn('referral exchange: a referral was not synchronised', {
          referralId: referral.id,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
    return run;
  }

  private async sync(r: Referral, requestId: string): Promise<'pushed' | 'applied' | 'unchanged'> {
    const exchange = r.exchange as NonNullable<Referral['exchange']>;
    const got = await this.fhir.request('GET', `Task/${exchange.taskId}`);
    if (got.status !== 200 && got.status !== 404 && got.status !== 410)
      throw new Error(`GET Task: ${got.status}`);
    const task = got.status === 200 ? (got.body as unknown as Task) : undefined;
    const versionId = task?.meta?.versionId;
    if (task && versionId !== exchange.taskVersionSeen) {
      const applied = await this.readBack(r, task, versionId as string, requestId);
      if (applied) return 'applied';
    }
    if (!task || exchange.pushedVersion !== r.version) {
      await this.push(r, task);
      return 'pushed';
    }
    return 'unchanged';
  }

  /** Applies what the recipient did; false when their change means nothing new (it is then noted as seen). */
  private async readBack(r: Referral, task: Task, versionId: string, requestId: string): Promise<boolean> {
    const appointmentDate = scheduledFor(task);
    const hasOutput = (task.output ?? []).some((o) => o.valueReference?.reference || o.valueAttachment);
    let events = eventsFromTask(
      r.status,
      { status: task.status, hasOutput, ...(appointmentDate ? { scheduledFor: appointmentDate } : {}) },
      eventFromTask,
    );
    // The same appointment date again is no reschedule.
    if (r.status === 'scheduled' && appointmentDate === r.appointmentDate)
      events = events.filter((e) => e !== 'schedule');
    // The consult note closes the loop: the referral is closed with it (both steps in its history).
    if (events.at(-1) === 'return-consult-note') events = [...events, 'close'];
    const exchange = r.exchange as NonNullable<Referral['exchange']>;
    if (events.length === 0) {
      await this.store.noteExchange(r, { ...exchange, taskVersionSeen: versionId }, 'OPEN');
      return false;
    }
    const ctx = { principal: EXCHANGE_PRINCIPAL, requestId };
    const by = {
      sub: EXCHANGE_PRINCIPAL.sub,
      name: task.owner?.display ?? r.recipient.organizationName,
      organization: r.recipient.organizationId,
    };
    let current = r;
    for (const event of events) {
      const consultNote =
        event === 'return-consult-note' ? await this.consultNoteOf(current, task) : undefined;
      current = await this.service.apply(
        ctx,
        current,
        event,
        {
          by,
          via: 'fhir',
          ...(event === 'decline'
            ? { reason: task.statusReason?.text ?? task.businessStatus?.text ?? 'Declined by the recipient' }
            : {}),
          ...(event === 'schedule' && appointmentDate ? { appointmentDate } : {}),
        },
        {
          // The Task already says this: nothing to tell back.
          exchange: { ...exchange, taskVersionSeen: versionId, pushedVersion: current.version + 1 },
          ...(consultNote ? { consultNote } : {}),
        },
      );
    }
    return true;
  }

  /** The consult note the recipient put in Task.output: a DocumentReference (by reference) or an attachment. */
  private async consultNoteOf(r: Referral, task: Task): Promise<ConsultNote> {
    const output = (task.output ?? []).find((o) => o.valueReference?.reference || o.valueAttachment);
    let attachment = output?.valueAttachment;
    let title = 'Consult note';
    let author: string | undefined;
    if (!attachment && output?.valueReference?.reference) {
      const res = await this.fhir.request('GET', output.valueReference.reference);
      if (res.status !== 200) throw new Error(`GET consult note: ${res.status}`);
      const doc = res.body as unknown as DocumentReference;
      attachment = doc.content?.[0]?.attachment;
      title = doc.description ?? doc.type?.text ?? title;
      author = doc.author?.[0]?.display;
    }
    if (!attachment) throw new Error('The consult note has no content');
    let data = attachment.data;
    if (!data && attachment.url) {
      const binary = await this.fhir.request('GET', attachment.url.replace(/^.*\/(Binary\/[^/]+)$/, '$1'));
      data = (binary.body as { data?: string } | undefined)?.data;
    }
    if (!data) throw new Error('The consult note has no content');
    return {
      referralId: r.id,
      patientId: r.patientId,
      receivedAt: nowIso(),
      via: 'fhir',
      title: attachment.title ?? title,
      contentType: attachment.contentType ?? 'text/plain',
      data,
      ...(author ? { author } : {}),
    };
  }

  /** Tells the referral as it is now: the first time everything the Task points at, afterwards the Task alone. */
  private async push(r: Referral, current: Task | undefined): Promise<void> {
    const source = practiceSource();
    if (!current) {
      const [bundle, ccda, recipient, organization] = await Promise.all([
        this.store.packet(r.id, 'fhir'),
        this.store.packet(r.id, 'ccda'),
        this.store.directoryEntry(r.recipient.id),
        r.recipient.organizationId === r.recipient.id
          ? undefined
          : this.store.directoryEntry(r.recipient.organizationId),
      ]);
      if (!bundle || !ccda) throw new Error('A sent referral without its packet');
      const serviceRequest = (JSON.parse(bundle) as { entry?: { resource?: FhirResource }[] }).entry
        ?.map((e) => e.resource)
        .find((x) => x?.resourceType === 'ServiceRequest');
      // The Task's owner and restriction.recipient (directory data, no PHI), then what the Task points at.
      const resources: FhirResource[] = [];
      for (const entry of [organization, recipient]) {
        if (!entry) continue;
        resources.push(
          (entry.kind === 'practitioner'
            ? toFhirPractitioner(entry, source)
            : toFhirOrganization(entry, source)) as unknown as FhirResource,
        );
      }
      if (serviceRequest) resources.push(serviceRequest);
      resources.push(packetDocument(r, bundle, ccda, source) as unknown as FhirResource);
      for (const resource of resources) {
        const res = await this.fhir.request('PUT', `${resource.resourceType}/${resource.id}`, resource);
        if (res.status !== 200 && res.status !== 201)
          throw new Error(`PUT ${resource.resourceType}: ${res.status}`);
      }
    }
    const task = taskOf(r, source, current);
    const res = await this.fhir.request(
      'PUT',
      `Task/${task.id}`,
      { ...task, meta: { source } },
      current?.meta?.versionId ? { 'If-Match': `W/"${current.meta.versionId}"` } : {},
    );
    if (res.status !== 200 && res.status !== 201) throw new Error(`PUT Task: ${res.status}`);
    const exchange = {
      ...(r.exchange as NonNullable<Referral['exchange']>),
      taskVersionSeen: String(
        (res.body as { meta?: { versionId?: string } } | undefined)?.meta?.versionId ?? '',
      ),
      pushedVersion: r.version,
    };
    await this.store.noteExchange(r, exchange, isOpenOnShelf({ ...r, exchange }) ? 'OPEN' : 'DONE');
  }
}
