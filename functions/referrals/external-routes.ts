// The external provider's endpoints (a specialist outside the practice acting on the referrals sent to them) and
// the practice's view of what came back (received documents). Gathered into functions/routes.ts.
import type * as z from 'zod';
import { defineRoute } from '#shared/http/route.ts';
import {
  ConsultNoteBody,
  DeclineBody,
  EmptyBody,
  ExternalPatient,
  ExternalReferral,
  ExternalReferralPage,
  ExternalReferralParams,
  ListQuery,
  PacketQuery,
  PatientParams,
  ReceivedDocument,
  ReceivedDocumentPage,
  ReceivedDocumentParams,
  ScheduleBody,
} from './external-schemas.ts';

const tag = 'External providers';
const h = (name: string) => `functions/referrals/handlers/${name}.ts`;
const problem = (description: string) => ({ description });
/** Example ids (a fresh install has none of these; the demo patient exists). */
const EX = { referralId: '01KAXDEM0000000000000000R1', documentId: '01KAXDEM0000000000000000D9' };
const DEMO_PATIENT = '01KAXDEM0PAT1ENT0000000001';
const GRANT_RULE =
  'an `external-provider` user: only referrals sent to the directory practitioner its account is bound to, while the grant holds (90 days from sending, until the referral is cancelled or closed); any other referral is answered 404';
const audit = (action: string) => ({ resourceType: 'Referral', action });

export const listExternalReferrals = defineRoute({
  operationId: 'listExternalReferrals',
  method: 'GET',
  path: '/v1/external/referrals',
  handler: h('list-external-referrals'),
  summary: 'An external provider’s referrals',
  description:
    'The referrals sent to the practitioner the caller is bound to whose grants hold, newest first, each with the date its access lapses. Every referral listed is audited as read, with the caller’s organisation.',
  access: GRANT_RULE,
  tag,
  auth: 'cognito',
  roles: ['external-provider'],
  tableAccess: 'read',
  audit: audit('referral.list'),
  request: {},
  example: {},
  responses: {
    200: { description: 'The referrals this provider may see', schema: ExternalReferralPage },
    403: problem('The account is bound to no practitioner'),
  },
});

export const getExternalReferral = defineRoute({
  operationId: 'getExternalReferral',
  method: 'GET',
  path: '/v1/external/referrals/{referralId}',
  handler: h('get-external-referral'),
  summary: 'Read a referral sent to you',
  description:
    'The referral as its recipient sees it: reason, urgency, clinical question, due date, coverage and prior authorization, the packet’s hashes, and its status. `ETag` carries the version an answer must send as `If-Match`.',
  access: GRANT_RULE,
  tag,
  auth: 'cognito',
  roles: ['external-provider'],
  tableAccess: 'read',
  audit: audit('referral.read'),
  request: { params: ExternalReferralParams },
  example: { params: EX },
  responses: {
    200: { description: 'The referral', schema: ExternalReferral },
    403: problem('The account is bound to no practitioner'),
    404: problem('No such referral, or not granted to you (any more)'),
  },
});

export const getExternalReferralPacket = defineRoute({
  operationId: 'getExternalReferralPacket',
  method: 'GET',
  path: '/v1/external/referrals/{referralId}/packet',
  handler: h('get-external-referral-packet'),
  summary: 'Download the referral’s clinical packet',
  description:
    'The packet exactly as it was sent (its SHA-256 is on the referral): `format=fhir` the FHIR document Bundle (`application/fhir+json`), `format=ccda` the C-CDA Referral Note (`application/xml`).',
  access: GRANT_RULE,
  tag,
  auth: 'cognito',
  roles: ['external-provider'],
  tableAccess: 'read',
  audit: audit('referral.packet.read'),
  request: { params: ExternalReferralParams, query: PacketQuery },
  example: { params: EX, query: { format: 'fhir' }, response: { resourceType: 'Bundle', type: 'document' } },
  responses: {
    200: { description: 'The packet document', contentType: 'application/fhir+json' },
    403: problem('The account is bound to no practitioner'),
    404: problem('No such referral, or not granted to you'),
  },
});

export const getExternalReferralPatient = defineRoute({
  operationId: 'getExternalReferralPatient',
  method: 'GET',
  path: '/v1/external/referrals/{referralId}/patient',
  handler: h('get-external-referral-patient'),
  summary: 'The referred patient’s demographics',
  description:
    'Name, birth date, sex, phone, preferred language and MRN of the referral’s patient: what a booking needs, and nothing of the chart.',
  access: GRANT_RULE,
  tag,
  auth: 'cognito',
  roles: ['external-provider'],
  tableAccess: 'read',
  audit: { resourceType: 'Patient', action: 'patient.read' },
  request: { params: ExternalReferralParams },
  example: { params: EX },
  responses: {
    200: { description: 'The patient (restricted view)', schema: ExternalPatient },
    403: problem('The account is bound to no practitioner'),
    404: problem('No such referral, or not granted to you'),
  },
});

function answer<B extends z.ZodType>(
  name: string,
  operationId: string,
  summary: string,
  description: string,
  body: B,
  exampleBody: unknown,
) {
  return defineRoute({
    operationId,
    method: 'POST',
    path: `/v1/external/referrals/{referralId}/${name}`,
    handler: h(`${name}-external-referral`),
    summary,
    description,
    access: GRANT_RULE,
    tag,
    auth: 'cognito',
    roles: ['external-provider'],
    tableAccess: 'write',
    idempotent: true,
    requiresIfMatch: true,
    audit: audit(`referral.${name}`),
    request: { params: ExternalReferralParams, body },
    example: { params: EX, body: exampleBody, headers: { 'If-Match': '"2"' } },
    responses: {
      200: { description: 'The referral after the answer', schema: ExternalReferral },
      403: problem('The account is bound to no practitioner'),
      404: problem('No such referral, or not granted to you'),
      409: problem('The referral’s status does not take this answer'),
      412: problem('The referral changed since you read it'),
      428: problem('If-Match is missing'),
    },
  });
}

export const acceptExternalReferral = answer(
  'accept',
  'acceptExternalReferral',
  'Accept the referral',
  'The recipient takes the patient on. The referring practice sees it on its worklist (and in the FHIR store’s Task).',
  EmptyBody,
  {},
);
export const declineExternalReferral = answer(
  'decline',
  'declineExternalReferral',
  'Decline the referral, with a reason',
  'The recipient will not see the patient; the reason goes back to the referring clinician and into the declined-reasons metric.',
  DeclineBody,
  { reason: 'Not accepting new patients with this insurance' },
);
export const scheduleExternalReferral = answer(
  'schedule',
  'scheduleExternalReferral',
  'Record the appointment date',
  'Records (or moves) the date the patient is to be seen; an accepted or scheduled referral becomes scheduled.',
  ScheduleBody,
  { appointmentDate: '2026-12-15' },
);
export const returnConsultNote = answer(
  'consult-note',
  'returnConsultNote',
  'Return the consult note',
  `Sends the consult note back as text, a PDF or a C-CDA (base64, at most 150 000 bytes), or text with one attachment. It lands in the referring practice's chart as a received document, readable by the patient's clinicians, and the referral becomes consult-note-received.`,
  ConsultNoteBody,
  {
    title: 'Cardiology consult',
    text: 'Seen for palpitations. Holter ordered. Continue current medications.',
  },
);

// ── The practice's side: documents received from outside ─────────────────────────────────────────────────────
export const listReceivedDocuments = defineRoute({
  operationId: 'listReceivedDocuments',
  method: 'GET',
  path: '/v1/patients/{patientId}/received-documents',
  handler: h('list-received-documents'),
  summary: 'Documents received from outside',
  description:
    'Consult notes returned by specialists and packets of accepted inbound referrals, newest first, without their contents (read one to get them).',
  tag: 'Referrals',
  auth: 'cognito',
  roles: ['clinician', 'nurse'],
  tableAccess: 'read',
  audit: { resourceType: 'DocumentReference', action: 'received-document.list', patientIdParam: 'patientId' },
  request: { params: PatientParams, query: ListQuery },
  example: { params: { patientId: DEMO_PATIENT }, query: { limit: '20' } },
  responses: {
    200: { description: 'A page of received documents', schema: ReceivedDocumentPage },
    404: problem('No such patient'),
  },
});

export const getReceivedDocument = defineRoute({
  operationId: 'getReceivedDocument',
  method: 'GET',
  path: '/v1/patients/{patientId}/received-documents/{documentId}',
  handler: h('get-received-document'),
  summary: 'Read a received document',
  description:
    'One received document with its contents (base64, with each content’s SHA-256), as a FHIR DocumentReference carries them.',
  tag: 'Referrals',
  auth: 'cognito',
  roles: ['clinician', 'nurse'],
  tableAccess: 'read',
  audit: { resourceType: 'DocumentReference', action: 'received-document.read', patientIdParam: 'patientId' },
  request: { params: ReceivedDocumentParams },
  example: { params: { patientId: DEMO_PATIENT, documentId: EX.documentId } },
  responses: {
    200: { description: 'The document', schema: ReceivedDocument },
    404: problem('No such document'),
  },
});

export const routes = [
  listExternalReferrals,
  getExternalReferral,
  getExternalReferralPacket,
  getExternalReferralPatient,
  acceptExternalReferral,
  declineExternalReferral,
  scheduleExternalReferral,
  returnConsultNote,
  listReceivedDocuments,
  getReceivedDocument,
];
