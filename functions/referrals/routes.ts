// The referrals context's endpoints: the directory of external organisations and practitioners, outbound
// referrals with their packet and lifecycle, the worklist and the metrics. Gathered into functions/routes.ts.
import type { Role } from '#shared/auth/roles.ts';
import { defineRoute } from '#shared/http/route.ts';
import {
  CancelBody,
  CreateDirectoryEntryBody,
  CreateReferralBody,
  DirectoryEntry,
  DirectoryPage,
  DirectoryParams,
  EmptyBody,
  Metrics,
  MetricsQuery,
  PacketQuery,
  PatientParams,
  Referral,
  ReferralParams,
  SearchDirectoryQuery,
  UpdateDirectoryEntryBody,
  WorklistPage,
  WorklistQuery,
} from './schemas.ts';

const tag = 'Referrals';
const h = (name: string) => `functions/referrals/handlers/${name}.ts`;
const problem = (description: string) => ({ description });

const DIRECTORY_KEEPERS: Role[] = ['admin', 'front-desk'];
const DIRECTORY_READERS: Role[] = ['admin', 'front-desk', 'clinician', 'nurse'];
/** A referral is an order: a clinician writes and sends it. */
const REFERRERS: Role[] = ['clinician'];
/** The referral coordinator (front desk) and the care team follow referrals up. */
const COORDINATORS: Role[] = ['front-desk', 'clinician', 'nurse'];
/** The packet is chart content: only those who read the whole chart. */
const PACKET_READERS: Role[] = ['clinician', 'nurse'];
const IDEMPOTENCY = { 'Idempotency-Key': '5f0c6d1e-2a7b-4c39-9e52-8d1f3a7b6c20' };

const EX = {
  patientId: '01KAXDEM0PAT1ENT0000000001',
  encounterId: '01KAXDEM0000000000000000E1',
  referralId: '01KAXDEM0000000000000000F1',
  practitionerId: '01KAXDEM000000000000000RD1',
  organizationId: '01KAXDEM000000000000000RG1',
};
const referralAudit = (action: string) => ({ resourceType: 'Referral', action });
const directoryAudit = (action: string) => ({ resourceType: 'DirectoryEntry', action });

const DIRECTORY_EXAMPLE = {
  kind: 'practitioner',
  name: 'Dr. Lena Okafor',
  practitionerName: { given: ['Lena'], family: 'Okafor', prefix: 'Dr.' },
  npi: '1234567893',
  specialty: { code: '207RC0000X', display: 'Cardiovascular Disease Physician' },
  organizationId: EX.organizationId,
  phone: '+1 518 555 0100',
  fax: '+1 518 555 0101',
  directAddress: 'okafor@direct.hudsonheart.example',
  fhirEndpoint: 'https://fhir.hudsonheart.example/r4',
  acceptedInsurances: ['Aetna', 'Medicare'],
};

// ── Directory ────────────────────────────────────────────────────────────────────────────────────────────────
export const createDirectoryEntry = defineRoute({
  operationId: 'createDirectoryEntry',
  method: 'POST',
  path: '/v1/directory',
  handler: h('create-directory-entry'),
  summary: 'Add an external organisation or practitioner to the referral directory',
  description:
    'Adds an organisation or practitioner that referrals can be sent to: name, NPI (check digit verified; one entry per NPI), specialty as a NUCC taxonomy code, contact points (phone, fax, Direct address, FHIR endpoint) and the insurances it accepts. A practitioner names the organisation it works for (`organizationId`), which owns the referrals sent to it.',
  tag,
  auth: 'cognito',
  roles: DIRECTORY_KEEPERS,
  tableAccess: 'write',
  idempotent: true,
  audit: directoryAudit('directory.create'),
  request: { body: CreateDirectoryEntryBody },
  example: { body: DIRECTORY_EXAMPLE, headers: IDEMPOTENCY },
  responses: {
    201: { description: 'The entry; `ETag` and `Location` are set', schema: DirectoryEntry },
    409: problem('Another entry has this NPI'),
    422: problem('The organisation named is not an organisation of the directory'),
  },
});

export const searchDirectory = defineRoute({
  operationId: 'searchDirectory',
  method: 'GET',
  path: '/v1/directory',
  handler: h('search-directory'),
  summary: 'Find recipients by specialty and name',
  description:
    'Lists directory entries by name; with `specialty` (a NUCC taxonomy code) only that specialty’s. `name` is a prefix, accents and case ignored. One index read per page.',
  tag,
  auth: 'cognito',
  roles: DIRECTORY_READERS,
  tableAccess: 'read',
  request: { query: SearchDirectoryQuery },
  example: { query: { specialty: '207RC0000X', name: 'oka' } },
  responses: { 200: { description: 'A page of entries, by name', schema: DirectoryPage } },
});

export const getDirectoryEntry = defineRoute({
  operationId: 'getDirectoryEntry',
  method: 'GET',
  path: '/v1/directory/{entryId}',
  handler: h('get-directory-entry'),
  summary: 'Read a directory entry',
  description: 'Reads one organisation or practitioner of the referral directory, with its `ETag`.',
  tag,
  auth: 'cognito',
  roles: DIRECTORY_READERS,
  tableAccess: 'read',
  request: { params: DirectoryParams },
  example: { params: { entryId: EX.practitionerId } },
  responses: { 200: { description: 'The entry', schema: DirectoryEntry }, 404: problem('No such entry') },
});

export const updateDirectoryEntry = defineRoute({
  operationId: 'updateDirectoryEntry',
  method: 'PUT',
  path: '/v1/directory/{entryId}',
  handler: h('update-directory-entry'),
  summary: 'Replace a directory entry',
  description:
    'Replaces an entry with the version you read (`If-Match`). `active: false` retires it: referrals already sent keep naming it, no new one can.',
  tag,
  auth: 'cognito',
  roles: DIRECTORY_KEEPERS,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: directoryAudit('directory.update'),
  request: { params: DirectoryParams, body: UpdateDirectoryEntryBody },
  example: {
    params: { entryId: EX.practitionerId },
    body: DIRECTORY_EXAMPLE,
    headers: { 'If-Match': '"1"' },
  },
  responses: {
    200: { description: 'The entry after the change', schema: DirectoryEntry },
    404: problem('No such entry'),
    409: problem('Another entry has this NPI'),
    412: problem('The entry changed since you read it'),
    422: problem('The kind changed, or the organisation named is not one'),
  },
});

// ── Referrals ────────────────────────────────────────────────────────────────────────────────────────────────
export const createReferral = defineRoute({
  operationId: 'createReferral',
  method: 'POST',
  path: '/v1/patients/{patientId}/referrals',
  handler: h('create-referral'),
  summary: 'Refer the patient: send a referral with its clinical packet',
  description:
    'Sends a referral from an encounter to a directory entry: reason (ICD-10-CM and text), urgency, clinical question, due date (routine 30 days, urgent 7, stat 1 when not given), coverage and prior-authorization number. The packet is built from the chart now and frozen (a FHIR document Bundle and a C-CDA Referral Note, with their SHA-256): any `packet` list left out takes its default (active problems, active medications, allergies, the last vitals, results of the last 90 days, the encounter’s signed note); drafts and preliminary results are refused (422 naming the list). Within a minute the exchange puts a ServiceRequest and a Task for the recipient into the FHIR store. `draft: true` keeps it as a draft to send later.',
  tag,
  auth: 'cognito',
  roles: REFERRERS,
  tableAccess: 'write',
  idempotent: true,
  audit: { resourceType: 'Referral', action: 'referral.create', patientIdParam: 'patientId' },
  request: { params: PatientParams, body: CreateReferralBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      encounterId: EX.encounterId,
      recipientId: EX.practitionerId,
      reason: { code: 'I48.91', text: 'New atrial fibrillation' },
      urgency: 'urgent',
      clinicalQuestion: 'Rate or rhythm control? Is anticoagulation indicated?',
      coverage: { payer: 'Aetna', memberId: 'W123456789' },
      priorAuthorization: 'PA-2026-0042',
    },
    headers: IDEMPOTENCY,
  },
  responses: {
    201: { description: 'The referral, sent (or a draft); `ETag` and `Location` are set', schema: Referral },
    403: problem('The packet holds chart content your role may not read'),
    404: problem('No such patient'),
    422: problem('No such recipient or encounter, or a chosen record cannot be sent'),
  },
});

export const listReferrals = defineRoute({
  operationId: 'listReferrals',
  method: 'GET',
  path: '/v1/referrals',
  handler: h('list-referrals'),
  summary: 'The referral worklist, overdue first',
  description:
    'Open referrals (not closed or cancelled), overdue first (past the due date, or unanswered after 5 business days routine / 1 urgent or stat), then by urgency and due date; `overdue=true` only those. `status=closed` or `cancelled` lists those instead, newest first. `referrer=me` keeps the caller’s own. One index read per page.',
  tag,
  auth: 'cognito',
  roles: COORDINATORS,
  tableAccess: 'read',
  audit: referralAudit('referral.list'),
  request: { query: WorklistQuery },
  example: { query: { direction: 'outbound', overdue: 'true' } },
  responses: { 200: { description: 'A page of the worklist', schema: WorklistPage } },
});

export const getReferralMetrics = defineRoute({
  operationId: 'getReferralMetrics',
  method: 'GET',
  path: '/v1/referrals/metrics',
  handler: h('get-referral-metrics'),
  summary: 'Referral turnaround, loop closure and declined reasons',
  description:
    'For referrals sent from `from` to `to` (default: the last 365 days), by recipient and by specialty: median days from sent to accepted, to scheduled and to the consult note; loop closure, the share of referrals sent at least 90 days ago whose consult note came back within 90 days (what CMS50 measures); and declined reasons. Counts only, no patient data.',
  tag,
  auth: 'cognito',
  roles: ['admin', 'front-desk', 'clinician'],
  tableAccess: 'read',
  audit: referralAudit('referral.metrics'),
  request: { query: MetricsQuery },
  example: { query: { from: '2026-01-01', to: '2026-12-31' } },
  responses: {
    200: { description: 'The metrics', schema: Metrics },
    422: problem('`from` is after `to`'),
  },
});

export const getReferral = defineRoute({
  operationId: 'getReferral',
  method: 'GET',
  path: '/v1/referrals/{referralId}',
  handler: h('get-referral'),
  summary: 'Read a referral',
  description:
    'Reads a referral: its status and every change with who made it and when (through the API or the recipient’s Task in the FHIR store), the packet’s hashes and what it held.',
  tag,
  auth: 'cognito',
  roles: COORDINATORS,
  tableAccess: 'read',
  audit: referralAudit('referral.read'),
  request: { params: ReferralParams },
  example: { params: { referralId: EX.referralId } },
  responses: { 200: { description: 'The referral', schema: Referral }, 404: problem('No such referral') },
});

export const getReferralPacket = defineRoute({
  operationId: 'getReferralPacket',
  method: 'GET',
  path: '/v1/referrals/{referralId}/packet',
  handler: h('get-referral-packet'),
  summary: 'Download the packet exactly as it was sent',
  description:
    'The frozen packet: `format=fhir` the FHIR document Bundle (application/fhir+json), `format=ccda` the C-CDA Referral Note (application/xml). The bytes are those whose SHA-256 the referral keeps (`packet.bundleSha256`, `packet.ccdaSha256`; also the `ETag`).',
  tag,
  auth: 'cognito',
  roles: PACKET_READERS,
  tableAccess: 'read',
  audit: referralAudit('referral.packet.read'),
  request: { params: ReferralParams, query: PacketQuery },
  example: { params: { referralId: EX.referralId }, query: { format: 'ccda' } },
  responses: {
    200: { description: 'The packet document', contentType: 'application/fhir+json' },
    404: problem('No such referral, or not sent yet'),
  },
});

export const getReferralConsultNote = defineRoute({
  operationId: 'getReferralConsultNote',
  method: 'GET',
  path: '/v1/referrals/{referralId}/consult-note',
  handler: h('get-referral-consult-note'),
  summary: 'Download the consult note the recipient returned',
  description:
    'The consult note that closed the loop, in the form the recipient sent it (text, PDF or C-CDA).',
  tag,
  auth: 'cognito',
  roles: PACKET_READERS,
  tableAccess: 'read',
  audit: referralAudit('referral.consult-note.read'),
  request: { params: ReferralParams },
  example: { params: { referralId: EX.referralId } },
  responses: {
    200: { description: 'The consult note', contentType: 'application/octet-stream' },
    404: problem('No such referral, or no consult note yet'),
  },
});

const lifecycleResponses = {
  200: { description: 'The referral after the change; `ETag` carries the new version', schema: Referral },
  404: problem('No such referral'),
  409: problem('The referral’s status does not allow this'),
  412: problem('The referral changed since you read it'),
};

export const sendReferral = defineRoute({
  operationId: 'sendReferral',
  method: 'POST',
  path: '/v1/referrals/{referralId}/send',
  handler: h('send-referral'),
  summary: 'Send a draft referral',
  description:
    'Sends a draft: the packet is built from the chart now and frozen, as when a referral is sent at once.',
  tag,
  auth: 'cognito',
  roles: REFERRERS,
  tableAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: referralAudit('referral.send'),
  request: { params: ReferralParams, body: EmptyBody },
  example: { params: { referralId: EX.referralId }, body: {}, headers: { 'If-Match': '"1"' } },
  responses: { ...lifecycleResponses, 422: problem('A chosen record cannot be sent any more') },
});

export const cancelReferral = defineRoute({
  operationId: 'cancelReferral',
  method: 'POST',
  path: '/v1/referrals/{referralId}/cancel',
  handler: h('cancel-referral'),
  summary: 'Cancel a referral',
  description:
    'Cancels a referral at any point before it is closed, with a reason; the recipient’s Task is cancelled in the FHIR store within a minute and the external provider’s access ends.',
  tag,
  auth: 'cognito',
  roles: ['front-desk', 'clinician'],
  tableAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: referralAudit('referral.cancel'),
  request: { params: ReferralParams, body: CancelBody },
  example: {
    params: { referralId: EX.referralId },
    body: { reason: 'Patient chose another cardiologist' },
    headers: { 'If-Match': '"2"' },
  },
  responses: lifecycleResponses,
});

export const closeReferral = defineRoute({
  operationId: 'closeReferral',
  method: 'POST',
  path: '/v1/referrals/{referralId}/close',
  handler: h('close-referral'),
  summary: 'Close the loop',
  description:
    'Closes a referral whose consult note came back (or that was declined): it leaves the worklist and the external provider’s access ends.',
  tag,
  auth: 'cognito',
  roles: ['front-desk', 'clinician'],
  tableAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: referralAudit('referral.close'),
  request: { params: ReferralParams, body: EmptyBody },
  example: { params: { referralId: EX.referralId }, body: {}, headers: { 'If-Match': '"5"' } },
  responses: lifecycleResponses,
});

/** Static paths before `{referralId}`: the local gateway takes the first route whose path matches. */
export const routes = [
  createDirectoryEntry,
  searchDirectory,
  getDirectoryEntry,
  updateDirectoryEntry,
  createReferral,
  listReferrals,
  getReferralMetrics,
  getReferral,
  getReferralPacket,
  getReferralConsultNote,
  sendReferral,
  cancelReferral,
  closeReferral,
];
