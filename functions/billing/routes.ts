// The billing context's endpoints: set-up data, charge capture, claims and claim batches. Gathered into
// functions/routes.ts. Billing and admin manage billing; clinicians and nurses record an encounter's charges; the
// front desk keeps coverage; a patient user reaches none of these (their ledger is its own set of routes).
import type * as z from 'zod';
import type { Role } from '#shared/auth/roles.ts';
import { defineRoute, type RouteResponse } from '#shared/http/route.ts';
import {
  BatchParams,
  BillingProfile,
  BillingProfileBody,
  ChargesBody,
  ChargesParams,
  Claim,
  ClaimBatch,
  ClaimNoteBody,
  ClaimPage,
  ClaimParams,
  Coverage,
  CoverageList,
  CoverageParams,
  CreateBatchBody,
  CreateClaimBody,
  CreateCoverageBody,
  CreatePayerBody,
  EncounterCharges,
  EndCoverageBody,
  FeeBody,
  FeeEntry,
  FeeList,
  FeeParams,
  ListClaimsQuery,
  PatientParams,
  Payer,
  PayerList,
  PayerParams,
  ScrubResult,
  UpdateClaimBody,
  UpdateCoverageBody,
  UpdatePayerBody,
  WriteOffBody,
} from './schemas.ts';

const tag = 'Billing';
const h = (name: string) => `functions/billing/handlers/${name}.ts`;
const problem = (description: string) => ({ description });

const MANAGERS: Role[] = ['admin', 'billing'];
const PAYER_READERS: Role[] = ['admin', 'billing', 'front-desk'];
const COVERAGE_KEEPERS: Role[] = ['admin', 'billing', 'front-desk'];
const CHARGE_CAPTURE: Role[] = ['admin', 'billing', 'clinician', 'nurse'];

/** Example ids: the demo patient and the seeded payers exist on every local install. */
const EX = {
  patientId: '01KAXDEM0PAT1ENT0000000001',
  encounterId: '01KAXDEM0000000000000000E1',
  medicarePayerId: '01KAXDEM00000000000000PAY1',
  commercialPayerId: '01KAXDEM00000000000000PAY2',
  coverageId: '01KAXDEM00000000000000C0V1',
  claimId: '01KAXDEM00000000000000C1A1',
  batchId: '01KAXDEM000000000000BATCH1',
};
const IF_MATCH = { 'If-Match': '"1"' };
const CREATE_MATCH = { 'If-Match': '"0"' };
const IDEMPOTENCY = { 'Idempotency-Key': '5d0c3c9e-2f7e-4c1b-9a59-0d5d3a6b7e21' };

const created = (what: string, schema: z.ZodType): RouteResponse => ({
  description: `The ${what}; \`ETag\` and \`Location\` headers are set`,
  schema,
});
const changed = (what: string, schema: z.ZodType): RouteResponse => ({
  description: `The ${what} after the change; \`ETag\` carries the new version`,
  schema,
});
const CHANGE_ERRORS = {
  412: problem(
    'It changed since you read it (or `"0"` was sent for a record that exists); the current `ETag` is in the response',
  ),
  428: problem('If-Match is missing'),
};
const CLAIM_CHANGE_ERRORS = {
  404: problem('No such claim'),
  409: problem('The claim is not in a status this step applies to'),
  ...CHANGE_ERRORS,
};
const PUT_OR_CREATE =
  'Send `If-Match: "0"` to create it, or the `ETag` you read to replace that version (412 when it moved on).';

// ── Billing profile ──────────────────────────────────────────────────────────────────────────────────────────
const PROFILE_EXAMPLE = {
  name: 'Main Street Family Medicine',
  npi: '1234567893',
  taxId: '12-3456789',
  taxonomy: '207Q00000X',
  address: { line: ['1 Main Street'], city: 'Springfield', state: 'IL', postalCode: '62701-1234' },
  submitter: {
    id: 'MAINST01',
    name: 'Main Street Family Medicine',
    contactName: 'Billing Office',
    phone: '217-555-0100',
  },
  receiver: { id: 'LOCALCH', name: 'Local Clearinghouse' },
};

export const getBillingProfile = defineRoute({
  operationId: 'getBillingProfile',
  method: 'GET',
  path: '/v1/billing/profile',
  handler: h('get-billing-profile'),
  summary: "Read the practice's billing profile",
  description:
    'The billing provider as claims name it: name, NPI, EIN, taxonomy, address with ZIP+4, pay-to address, and the submitter and receiver ids the clearinghouse assigned.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'read',
  audit: { resourceType: 'BillingProfile', action: 'billing-profile.read' },
  request: {},
  example: {},
  responses: {
    200: { description: 'The profile; `ETag` carries the version', schema: BillingProfile },
    404: problem('No profile yet'),
  },
});

export const putBillingProfile = defineRoute({
  operationId: 'putBillingProfile',
  method: 'PUT',
  path: '/v1/billing/profile',
  handler: h('put-billing-profile'),
  summary: "Set the practice's billing profile",
  description: `Creates or replaces the billing profile. ${PUT_OR_CREATE} The NPI must pass its check digit, the EIN be nine digits, the address carry a 9-digit ZIP+4, the taxonomy be a NUCC code; each failure is 400 naming the field.`,
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: { resourceType: 'BillingProfile', action: 'billing-profile.update' },
  request: { body: BillingProfileBody },
  example: { body: PROFILE_EXAMPLE, headers: IF_MATCH },
  responses: {
    200: changed('billing profile', BillingProfile),
    201: created('billing profile', BillingProfile),
    400: problem('Invalid body (NPI check digit, EIN, ZIP+4, taxonomy)'),
    ...CHANGE_ERRORS,
  },
});

// ── Payers ───────────────────────────────────────────────────────────────────────────────────────────────────
const PAYER_EXAMPLE = {
  name: 'Medicare Part B (Illinois)',
  payerId: '06102',
  filingIndicator: 'MB',
  timelyFilingDays: 365,
};

export const createPayer = defineRoute({
  operationId: 'createPayer',
  method: 'POST',
  path: '/v1/payers',
  handler: h('create-payer'),
  summary: 'Add a payer',
  description:
    'Adds a payer: its name, the payer id the clearinghouse knows it by, the claim filing indicator (MB Medicare Part B, MC Medicaid, CI commercial, BL Blue Cross, …) and its timely-filing limit in days from the date of service (Medicare: 365). Honours `Idempotency-Key`.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'write',
  idempotent: true,
  audit: { resourceType: 'Payer', action: 'payer.create' },
  request: { body: CreatePayerBody },
  example: { body: PAYER_EXAMPLE, headers: IDEMPOTENCY },
  responses: { 201: created('payer', Payer), 400: problem('Invalid body') },
});

export const listPayers = defineRoute({
  operationId: 'listPayers',
  method: 'GET',
  path: '/v1/payers',
  handler: h('list-payers'),
  summary: 'List payers',
  description: "The practice's payers by name: what coverage and claims refer to.",
  tag,
  auth: 'cognito',
  roles: PAYER_READERS,
  tableAccess: 'read',
  audit: { resourceType: 'Payer', action: 'payer.list' },
  request: {},
  example: {},
  responses: { 200: { description: 'Every payer', schema: PayerList } },
});

export const getPayer = defineRoute({
  operationId: 'getPayer',
  method: 'GET',
  path: '/v1/payers/{payerId}',
  handler: h('get-payer'),
  summary: 'Read a payer',
  description: 'One payer, with the `ETag` a change must send.',
  tag,
  auth: 'cognito',
  roles: PAYER_READERS,
  tableAccess: 'read',
  audit: { resourceType: 'Payer', action: 'payer.read' },
  request: { params: PayerParams },
  example: { params: { payerId: EX.medicarePayerId } },
  responses: { 200: { description: 'The payer', schema: Payer }, 404: problem('No such payer') },
});

export const updatePayer = defineRoute({
  operationId: 'updatePayer',
  method: 'PATCH',
  path: '/v1/payers/{payerId}',
  handler: h('update-payer'),
  summary: 'Change a payer',
  description: 'Changes the fields sent (`null` clears the address). Send `If-Match` with the ETag you read.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: { resourceType: 'Payer', action: 'payer.update' },
  request: { params: PayerParams, body: UpdatePayerBody },
  example: { params: { payerId: EX.medicarePayerId }, body: { timelyFilingDays: 365 }, headers: IF_MATCH },
  responses: { 200: changed('payer', Payer), 404: problem('No such payer'), ...CHANGE_ERRORS },
});

// ── Fee schedule ─────────────────────────────────────────────────────────────────────────────────────────────
export const listFeeSchedule = defineRoute({
  operationId: 'listFeeSchedule',
  method: 'GET',
  path: '/v1/fee-schedule',
  handler: h('list-fee-schedule'),
  summary: 'List the fee schedule',
  description:
    "The practice's charge per CPT/HCPCS code (and modifier), with what each payer allows. Codes only: no CPT descriptions are stored (they are AMA-licensed).",
  tag,
  auth: 'cognito',
  roles: CHARGE_CAPTURE,
  tableAccess: 'read',
  audit: { resourceType: 'FeeScheduleEntry', action: 'fee-schedule.list' },
  request: {},
  example: {},
  responses: { 200: { description: 'Every entry', schema: FeeList } },
});

export const putFeeScheduleEntry = defineRoute({
  operationId: 'putFeeScheduleEntry',
  method: 'PUT',
  path: '/v1/fee-schedule/{entry}',
  handler: h('put-fee-schedule-entry'),
  summary: 'Set the charge for a code',
  description: `Sets the charge (cents) for a code or code-modifier (\`99213\`, \`99213-25\`), and optionally what each payer allows (by payer id). ${PUT_OR_CREATE} An allowed amount for an unknown payer is 422.`,
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: { resourceType: 'FeeScheduleEntry', action: 'fee-schedule.update' },
  request: { params: FeeParams, body: FeeBody },
  example: {
    params: { entry: '99213' },
    body: { charge: 12500, allowed: { [EX.medicarePayerId]: 9200 } },
    headers: CREATE_MATCH,
  },
  responses: {
    200: changed('entry', FeeEntry),
    201: created('entry', FeeEntry),
    400: problem('Invalid code or charge'),
    422: problem('An allowed amount names an unknown payer'),
    ...CHANGE_ERRORS,
  },
});

// ── Coverage ─────────────────────────────────────────────────────────────────────────────────────────────────
const coverageAudit = (action: string) => ({ resourceType: 'Coverage', action, patientIdParam: 'patientId' });

export const createCoverage = defineRoute({
  operationId: 'createCoverage',
  method: 'POST',
  path: '/v1/patients/{patientId}/coverages',
  handler: h('create-coverage'),
  summary: "Record a patient's insurance",
  description:
    'Records a coverage: the payer, its order (primary, secondary, tertiary), member id, group number, the subscriber when it is not the patient (name, birth date, sex, address) and relationship, and the effective and end dates. Honours `Idempotency-Key`.',
  tag,
  auth: 'cognito',
  roles: COVERAGE_KEEPERS,
  tableAccess: 'write',
  idempotent: true,
  audit: coverageAudit('coverage.create'),
  request: { params: PatientParams, body: CreateCoverageBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      payerId: EX.commercialPayerId,
      order: 'primary',
      memberId: 'XGH123456789',
      groupNumber: 'G-4410',
      relationship: 'self',
      start: '2026-01-01',
    },
    headers: IDEMPOTENCY,
  },
  responses: {
    201: created('coverage', Coverage),
    400: problem('Invalid body (a subscriber is required unless the relationship is self)'),
    404: problem('No such patient'),
    422: problem('No such payer'),
  },
});

export const listCoverages = defineRoute({
  operationId: 'listCoverages',
  method: 'GET',
  path: '/v1/patients/{patientId}/coverages',
  handler: h('list-coverages'),
  summary: "List a patient's coverages",
  description: "The patient's coverages, primary first, ended ones included (their `end` says so).",
  tag,
  auth: 'cognito',
  roles: COVERAGE_KEEPERS,
  tableAccess: 'read',
  audit: coverageAudit('coverage.list'),
  request: { params: PatientParams },
  example: { params: { patientId: EX.patientId } },
  responses: { 200: { description: 'The coverages', schema: CoverageList }, 404: problem('No such patient') },
});

export const getCoverage = defineRoute({
  operationId: 'getCoverage',
  method: 'GET',
  path: '/v1/patients/{patientId}/coverages/{coverageId}',
  handler: h('get-coverage'),
  summary: 'Read a coverage',
  description: 'One coverage, with the `ETag` a change must send.',
  tag,
  auth: 'cognito',
  roles: COVERAGE_KEEPERS,
  tableAccess: 'read',
  audit: coverageAudit('coverage.read'),
  request: { params: CoverageParams },
  example: { params: { patientId: EX.patientId, coverageId: EX.coverageId } },
  responses: { 200: { description: 'The coverage', schema: Coverage }, 404: problem('No such coverage') },
});

export const updateCoverage = defineRoute({
  operationId: 'updateCoverage',
  method: 'PATCH',
  path: '/v1/patients/{patientId}/coverages/{coverageId}',
  handler: h('update-coverage'),
  summary: 'Change a coverage',
  description:
    'Changes the fields sent (`null` clears an optional one). Send `If-Match` with the ETag you read.',
  tag,
  auth: 'cognito',
  roles: COVERAGE_KEEPERS,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: coverageAudit('coverage.update'),
  request: { params: CoverageParams, body: UpdateCoverageBody },
  example: {
    params: { patientId: EX.patientId, coverageId: EX.coverageId },
    body: { groupNumber: 'G-4411' },
    headers: IF_MATCH,
  },
  responses: {
    200: changed('coverage', Coverage),
    404: problem('No such coverage'),
    422: problem('No such payer, or the subscriber does not fit the relationship'),
    ...CHANGE_ERRORS,
  },
});

export const endCoverage = defineRoute({
  operationId: 'endCoverage',
  method: 'POST',
  path: '/v1/patients/{patientId}/coverages/{coverageId}/end',
  handler: h('end-coverage'),
  summary: 'End a coverage',
  description:
    'Sets the last day the coverage is active (the patient changed plans). Claims for later dates of service fail the scrubber. Send `If-Match`; honours `Idempotency-Key`.',
  tag,
  auth: 'cognito',
  roles: COVERAGE_KEEPERS,
  tableAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: coverageAudit('coverage.end'),
  request: { params: CoverageParams, body: EndCoverageBody },
  example: {
    params: { patientId: EX.patientId, coverageId: EX.coverageId },
    body: { end: '2026-12-31' },
    headers: { ...IF_MATCH, ...IDEMPOTENCY },
  },
  responses: {
    200: changed('coverage', Coverage),
    404: problem('No such coverage'),
    422: problem('The end is before the start'),
    ...CHANGE_ERRORS,
  },
});

// ── Charges ──────────────────────────────────────────────────────────────────────────────────────────────────
const chargesAudit = (action: string) => ({
  resourceType: 'EncounterCharges',
  action,
  patientIdParam: 'patientId',
});

export const getEncounterCharges = defineRoute({
  operationId: 'getEncounterCharges',
  method: 'GET',
  path: '/v1/patients/{patientId}/encounters/{encounterId}/charges',
  handler: h('get-encounter-charges'),
  summary: "Read an encounter's charges",
  description:
    "The encounter's claim diagnoses and service lines, its rendering and referring providers, and the documentation prompts still open (lines without a diagnosis, diagnoses no line points to).",
  tag,
  auth: 'cognito',
  roles: CHARGE_CAPTURE,
  tableAccess: 'read',
  audit: chargesAudit('charges.read'),
  request: { params: ChargesParams },
  example: { params: { patientId: EX.patientId, encounterId: EX.encounterId } },
  responses: {
    200: { description: 'The charges; `ETag` carries the version', schema: EncounterCharges },
    404: problem('No charges recorded for this encounter'),
  },
});

export const putEncounterCharges = defineRoute({
  operationId: 'putEncounterCharges',
  method: 'PUT',
  path: '/v1/patients/{patientId}/encounters/{encounterId}/charges',
  handler: h('put-encounter-charges'),
  summary: "Record an encounter's service lines",
  description: `Records the charges of a finished encounter: up to 12 ICD-10-CM diagnoses and up to 50 service lines (CPT/HCPCS code, up to 4 modifiers, units, charge in cents defaulted from the fee schedule, date of service defaulted to the encounter's, place of service default 11, up to 4 pointers into the diagnoses), the rendering provider, the referring provider and prior-authorization number where a referral supplies them. ${PUT_OR_CREATE} An encounter that is not finished is 422; the answer lists the documentation prompts still open.`,
  tag,
  auth: 'cognito',
  roles: CHARGE_CAPTURE,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: chargesAudit('charges.update'),
  request: { params: ChargesParams, body: ChargesBody },
  example: {
    params: { patientId: EX.patientId, encounterId: EX.encounterId },
    body: {
      diagnoses: ['E11.9', 'I10'],
      lines: [
        {
          code: '99214',
          modifiers: [],
          units: 1,
          charge: 16000,
          serviceDate: '2026-12-07',
          placeOfService: '11',
          diagnosisPointers: [1, 2],
        },
      ],
      renderingProvider: { name: { family: 'Hopper', given: ['Grace'] }, npi: '1234567893' },
    },
    headers: CREATE_MATCH,
  },
  responses: {
    200: changed('charges', EncounterCharges),
    201: created('charges', EncounterCharges),
    400: problem('Invalid body (codes, modifiers, units, pointers, NPI)'),
    404: problem('No such encounter'),
    422: problem(
      'The encounter is not finished, a pointer is past the diagnoses, or a code has no fee and no charge',
    ),
    ...CHANGE_ERRORS,
  },
});

// ── Claims ───────────────────────────────────────────────────────────────────────────────────────────────────
const claimAudit = (action: string) => ({ resourceType: 'Claim', action });

export const createClaim = defineRoute({
  operationId: 'createClaim',
  method: 'POST',
  path: '/v1/claims',
  handler: h('create-claim'),
  summary: 'Create a claim from an encounter',
  description:
    "Creates a draft claim from an encounter's charges for the primary coverage active on the date of service (or the coverage named). The encounter's note must be signed (422 naming `body.encounterId` otherwise), and one claim per encounter and payer is open at a time (409). Budget: 1 Query + 1 TransactWriteItems. Honours `Idempotency-Key`.",
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'write',
  idempotent: true,
  audit: claimAudit('claim.create'),
  request: { body: CreateClaimBody },
  example: { body: { patientId: EX.patientId, encounterId: EX.encounterId }, headers: IDEMPOTENCY },
  responses: {
    201: created('claim', Claim),
    400: problem('Invalid body'),
    409: problem('A claim for this encounter and payer is already open'),
    422: problem(
      "No charges, the encounter's note is unsigned, or no coverage is active on the date of service",
    ),
  },
});

export const listClaims = defineRoute({
  operationId: 'listClaims',
  method: 'GET',
  path: '/v1/claims',
  handler: h('list-claims'),
  summary: 'List claims',
  description:
    'Claims in a status (oldest first: a work queue), or of a patient; `payerId` narrows either. A page can hold fewer than `limit` items when a filter applies: follow `nextCursor` until it is absent.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'read',
  audit: claimAudit('claim.list'),
  request: { query: ListClaimsQuery },
  example: { query: { status: 'ready', limit: '20' } },
  responses: { 200: { description: 'A page of claims', schema: ClaimPage }, 400: problem('Invalid query') },
});

export const getClaim = defineRoute({
  operationId: 'getClaim',
  method: 'GET',
  path: '/v1/claims/{claimId}',
  handler: h('get-claim'),
  summary: 'Read a claim',
  description:
    'The claim, its history and the lifecycle steps allowed now, with the `ETag` a change must send.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'read',
  audit: claimAudit('claim.read'),
  request: { params: ClaimParams },
  example: { params: { claimId: EX.claimId } },
  responses: { 200: { description: 'The claim', schema: Claim }, 404: problem('No such claim') },
});

export const updateClaim = defineRoute({
  operationId: 'updateClaim',
  method: 'PATCH',
  path: '/v1/claims/{claimId}',
  handler: h('update-claim'),
  summary: 'Change a draft claim',
  description:
    'Changes a draft claim (diagnoses, lines, providers, prior authorization, the original claim number of a replacement). A ready or rejected claim goes back to draft first (its `edit`). Send `If-Match`.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: claimAudit('claim.update'),
  request: { params: ClaimParams, body: UpdateClaimBody },
  example: { params: { claimId: EX.claimId }, body: { priorAuthorization: 'PA-55012' }, headers: IF_MATCH },
  responses: { 200: changed('claim', Claim), 400: problem('Invalid body'), ...CLAIM_CHANGE_ERRORS },
});

export const checkClaim = defineRoute({
  operationId: 'checkClaim',
  method: 'POST',
  path: '/v1/claims/{claimId}/check',
  handler: h('check-claim'),
  summary: 'Scrub a claim',
  description:
    'Runs every scrubber rule on the claim as it would be sent now (billing profile, payer, coverage, patient). 200 when it passes; 422 problem+json listing every failing rule with its field (`errors[].rule`, `errors[].field`). Changes nothing.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'read',
  idempotent: true,
  audit: claimAudit('claim.check'),
  request: { params: ClaimParams },
  example: { params: { claimId: EX.claimId }, headers: IDEMPOTENCY },
  responses: {
    200: { description: 'Every rule passed', schema: ScrubResult },
    404: problem('No such claim'),
    422: problem('The failing rules, each with its field'),
  },
});

const transition = <B extends z.ZodType>(
  operationId: string,
  step: string,
  summary: string,
  description: string,
  body: B,
  bodyExample?: unknown,
) =>
  defineRoute({
    operationId,
    method: 'POST',
    path: `/v1/claims/{claimId}/${step}`,
    handler: h(`${step}-claim`),
    summary,
    description: `${description} Send \`If-Match\` with the claim's ETag; honours \`Idempotency-Key\`. Audited.`,
    tag,
    auth: 'cognito',
    roles: MANAGERS,
    tableAccess: 'write',
    idempotent: true,
    requiresIfMatch: true,
    audit: claimAudit(`claim.${step}`),
    request: { params: ClaimParams, body },
    example: {
      params: { claimId: EX.claimId },
      body: bodyExample ?? { note: 'Checked against the visit note' },
      headers: { ...IF_MATCH, ...IDEMPOTENCY },
    },
    responses: {
      200: changed('claim', Claim),
      201: created('claim this step created (a replacement or a void)', Claim),
      422: problem('The scrubber found problems (each rule with its field)'),
      ...CLAIM_CHANGE_ERRORS,
    },
  });

export const readyClaim = transition(
  'readyClaim',
  'ready',
  'Mark a draft claim ready to send',
  'Runs the scrubber and moves a draft claim to `ready` when every rule passes (422 listing every failing rule otherwise).',
  ClaimNoteBody,
);
export const correctClaim = transition(
  'correctClaim',
  'correct',
  'Correct an adjudicated claim (replacement, frequency 7)',
  "Creates a replacement claim (frequency 7) citing the payer's original claim number, as a draft to edit and send; the original becomes `corrected`. Answers 201 with the replacement.",
  ClaimNoteBody,
);
export const voidClaim = transition(
  'voidClaim',
  'void',
  'Void a claim (frequency 8 when the payer has it)',
  "A claim the payer never adjudicated is simply voided. One the payer has is voided with them: a void claim (frequency 8) citing the payer's claim number is created ready to send (201 with it). The encounter may then be billed again.",
  ClaimNoteBody,
);
export const appealClaim = transition(
  'appealClaim',
  'appeal',
  'Record an appeal of a denial',
  'Moves a denied or partially paid claim to `appealed`, keeping the note (what was sent, to whom) in its history; the next remittance settles it.',
  ClaimNoteBody,
  { note: 'Sent records and letter of medical necessity' },
);
export const closeClaim = transition(
  'closeClaim',
  'close',
  'Close a claim',
  'Closes a claim with nothing left to collect.',
  ClaimNoteBody,
);
export const writeOffClaim = transition(
  'writeOffClaim',
  'write-off',
  'Write off what is left of a claim',
  'Records the amount (cents) and reason the practice writes off, and closes the claim.',
  WriteOffBody,
  { amount: 4500, reason: 'Past timely filing' },
);

// ── Batches ──────────────────────────────────────────────────────────────────────────────────────────────────
export const createClaimBatch = defineRoute({
  operationId: 'createClaimBatch',
  method: 'POST',
  path: '/v1/claim-batches',
  handler: h('create-claim-batch'),
  summary: 'Send ready claims as one 837P',
  description:
    'Turns ready claims (those named, or the oldest ready ones) into one X12 837P interchange with persisted, never reused ISA/GS control numbers, moves them to `submitted` and hands the file to the clearinghouse. Each claim is scrubbed again first (422 listing every failing rule of every claim, nothing sent). At most 40 claims per batch. Honours `Idempotency-Key`.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'write',
  ediOutbound: true,
  idempotent: true,
  audit: { resourceType: 'ClaimBatch', action: 'claim-batch.create' },
  request: { body: CreateBatchBody },
  example: { body: {}, headers: IDEMPOTENCY },
  responses: {
    201: created('batch', ClaimBatch),
    409: problem('A named claim is not ready'),
    422: problem('No ready claims, or the scrubber found problems'),
  },
});

export const getClaimBatch = defineRoute({
  operationId: 'getClaimBatch',
  method: 'GET',
  path: '/v1/claim-batches/{batchId}',
  handler: h('get-claim-batch'),
  summary: 'Read a claim batch',
  description:
    'The batch: its claims, total, control numbers, file name and whether it was handed to the clearinghouse.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'read',
  audit: { resourceType: 'ClaimBatch', action: 'claim-batch.read' },
  request: { params: BatchParams },
  example: { params: { batchId: EX.batchId } },
  responses: { 200: { description: 'The batch', schema: ClaimBatch }, 404: problem('No such batch') },
});

export const getClaimBatchFile = defineRoute({
  operationId: 'getClaimBatchFile',
  method: 'GET',
  path: '/v1/claim-batches/{batchId}/x12',
  handler: h('get-claim-batch-file'),
  summary: "Download a batch's 837P file",
  description: 'The X12 837P interchange as sent (`application/edi-x12`). Audited under each patient on it.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'read',
  audit: { resourceType: 'ClaimBatch', action: 'claim-batch.download' },
  request: { params: BatchParams },
  example: { params: { batchId: EX.batchId } },
  responses: {
    200: { description: 'The X12 file', contentType: 'application/edi-x12' },
    404: problem('No such batch'),
  },
});

export const sendClaimBatch = defineRoute({
  operationId: 'sendClaimBatch',
  method: 'POST',
  path: '/v1/claim-batches/{batchId}/send',
  handler: h('send-claim-batch'),
  summary: "Hand a batch's file to the clearinghouse again",
  description:
    'Sends the stored file again, unchanged (same control numbers): for a batch whose hand-over failed, or a clearinghouse that lost it. Honours `Idempotency-Key`.',
  tag,
  auth: 'cognito',
  roles: MANAGERS,
  tableAccess: 'write',
  ediOutbound: true,
  idempotent: true,
  audit: { resourceType: 'ClaimBatch', action: 'claim-batch.send' },
  request: { params: BatchParams },
  example: { params: { batchId: EX.batchId }, headers: IDEMPOTENCY },
  responses: { 200: { description: 'The batch, sent', schema: ClaimBatch }, 404: problem('No such batch') },
});

export const routes = [
  getBillingProfile,
  putBillingProfile,
  createPayer,
  listPayers,
  getPayer,
  updatePayer,
  listFeeSchedule,
  putFeeScheduleEntry,
  createCoverage,
  listCoverages,
  getCoverage,
  updateCoverage,
  endCoverage,
  getEncounterCharges,
  putEncounterCharges,
  createClaim,
  listClaims,
  getClaim,
  updateClaim,
  checkClaim,
  readyClaim,
  correctClaim,
  voidClaim,
  appealClaim,
  closeClaim,
  writeOffClaim,
  createClaimBatch,
  getClaimBatch,
  getClaimBatchFile,
  sendClaimBatch,
];
