// Inbound referrals: referrals other organisations addressed to this practice, on a worklist until a person accepts
// (matching or registering the patient) or declines them. Gathered into functions/routes.ts.
import { defineRoute } from '#shared/http/route.ts';
import {
  AcceptedInbound,
  AcceptInboundBody,
  DeclineInboundBody,
  InboundReferral,
  InboundReferralPage,
  InboundReferralParams,
  InboundWorklistQuery,
  MatchAnswer,
  ReceiveCcdaBody,
} from './inbound-schemas.ts';

const tag = 'Inbound referrals';
const h = (name: string) => `functions/referrals/handlers/${name}.ts`;
const problem = (description: string) => ({ description });
const EX = { inboundReferralId: '01KAXDEM0000000000000000N1' };
const INTAKE = ['admin', 'front-desk', 'clinician'] as const;
const READERS = ['front-desk', 'clinician', 'nurse'] as const;
const DECIDERS = ['front-desk', 'clinician'] as const;
const audit = (action: string) => ({ resourceType: 'InboundReferral', action });

const SAMPLE_CCDA =
  '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole><patient><name><given>Jon</given><family>Rivera</family></name><administrativeGenderCode code="M"/><birthTime value="19700101"/></patient></patientRole></recordTarget></ClinicalDocument>';

export const receiveInboundReferral = defineRoute({
  operationId: 'receiveInboundReferral',
  method: 'POST',
  path: '/v1/inbound-referrals',
  handler: h('receive-inbound-referral'),
  summary: 'Take in a referral sent as a C-CDA',
  description:
    'Puts a C-CDA referral (XML text, at most 200 000 characters) that reached the practice outside the FHIR store on the inbound worklist: the person, the sender and what the packet holds are read from it (`convertCcdaToFhir`). Referrals addressed to the practice as Tasks in the FHIR store arrive on their own. Honours `Idempotency-Key`.',
  tag,
  auth: 'cognito',
  roles: INTAKE,
  tableAccess: 'write',
  idempotent: true,
  audit: audit('inbound-referral.create'),
  request: { body: ReceiveCcdaBody },
  example: {
    body: { ccda: SAMPLE_CCDA, sender: 'Riverside Family Practice', urgency: 'routine' },
    headers: { 'Idempotency-Key': 'inbound-0001-2026-12-01' },
  },
  responses: {
    201: { description: 'On the inbound worklist', schema: InboundReferral },
    400: problem('Invalid body'),
    422: problem('Not a C-CDA naming a patient'),
  },
});

export const listInboundReferrals = defineRoute({
  operationId: 'listInboundReferrals',
  method: 'GET',
  path: '/v1/inbound-referrals',
  handler: h('list-inbound-referrals'),
  summary: 'The inbound worklist',
  description:
    '`status=open`: referrals waiting for an answer, newest first; `status=answered`: accepted and declined ones.',
  tag,
  auth: 'cognito',
  roles: READERS,
  tableAccess: 'read',
  audit: audit('inbound-referral.list'),
  request: { query: InboundWorklistQuery },
  example: { query: { status: 'open', limit: '20' } },
  responses: { 200: { description: 'A page of inbound referrals', schema: InboundReferralPage } },
});

export const getInboundReferral = defineRoute({
  operationId: 'getInboundReferral',
  method: 'GET',
  path: '/v1/inbound-referrals/{inboundReferralId}',
  handler: h('get-inbound-referral'),
  summary: 'Read an inbound referral',
  description: 'The inbound referral, with the `ETag` an answer must send as `If-Match`.',
  tag,
  auth: 'cognito',
  roles: READERS,
  tableAccess: 'read',
  audit: audit('inbound-referral.read'),
  request: { params: InboundReferralParams },
  example: { params: EX },
  responses: {
    200: { description: 'The inbound referral', schema: InboundReferral },
    404: problem('No such inbound referral'),
  },
});

export const matchInboundReferral = defineRoute({
  operationId: 'matchInboundReferral',
  method: 'GET',
  path: '/v1/inbound-referrals/{inboundReferralId}/matches',
  handler: h('match-inbound-referral'),
  summary: 'Patients who may be the referred person',
  description:
    'Our patient with the MRN the sender gave (identifier first), else patients with the same family name and birth date graded by the exchange’s matcher: `match` (exact demographics) or `possible`. `decision` says whether accepting would take the one certain match (`match`), needs a person to choose (`choose`) or would register a new patient (`none`).',
  tag,
  auth: 'cognito',
  roles: DECIDERS,
  tableAccess: 'read',
  audit: { resourceType: 'Patient', action: 'inbound-referral.match' },
  request: { params: InboundReferralParams },
  example: { params: EX },
  responses: {
    200: { description: 'The candidates and the decision', schema: MatchAnswer },
    404: problem('No such inbound referral'),
  },
});

export const acceptInboundReferral = defineRoute({
  operationId: 'acceptInboundReferral',
  method: 'POST',
  path: '/v1/inbound-referrals/{inboundReferralId}/accept',
  handler: h('accept-inbound-referral'),
  summary: 'Accept an inbound referral',
  description:
    'Files the referral under a patient: `patientId` (one a person chose), else the one certain match, else — when nobody could be the person, or with `register: true` — a new patient registered from what the sender said. Never merges silently: when several patients may be the person it answers 409 and changes nothing. The packet becomes a received document in the chart, the sender’s Task is updated to accepted, and `booking` gives scheduling’s find-a-time with the dates to search.',
  tag,
  auth: 'cognito',
  roles: DECIDERS,
  tableAccess: 'write',
  fhirAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: audit('inbound-referral.accept'),
  request: { params: InboundReferralParams, body: AcceptInboundBody },
  example: { params: EX, body: {}, headers: { 'If-Match': '"1"' } },
  responses: {
    200: { description: 'Accepted, filed and how to book', schema: AcceptedInbound },
    404: problem('No such inbound referral'),
    409: problem('Already answered, or more than one patient may be the person (choose one)'),
    412: problem('The inbound referral changed since you read it'),
    422: problem('No such patient, or not enough to register one'),
    428: problem('If-Match is missing'),
  },
});

export const declineInboundReferral = defineRoute({
  operationId: 'declineInboundReferral',
  method: 'POST',
  path: '/v1/inbound-referrals/{inboundReferralId}/decline',
  handler: h('decline-inbound-referral'),
  summary: 'Decline an inbound referral, with a reason',
  description: 'Declines the referral; the sender’s Task is updated to rejected with the reason.',
  tag,
  auth: 'cognito',
  roles: DECIDERS,
  tableAccess: 'write',
  fhirAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: audit('inbound-referral.decline'),
  request: { params: InboundReferralParams, body: DeclineInboundBody },
  example: { params: EX, body: { reason: 'Outside our scope of practice' }, headers: { 'If-Match': '"1"' } },
  responses: {
    200: { description: 'Declined', schema: InboundReferral },
    404: problem('No such inbound referral'),
    409: problem('Already answered'),
    412: problem('The inbound referral changed since you read it'),
    428: problem('If-Match is missing'),
  },
});

export const routes = [
  receiveInboundReferral,
  listInboundReferrals,
  getInboundReferral,
  matchInboundReferral,
  acceptInboundReferral,
  declineInboundReferral,
];
