// The charting context's endpoints. Gathered into functions/routes.ts. Role lists are the coarse gate; what each
// role sees inside a chart (drafts, preliminary results) is filtered in visibility.ts.
import type * as z from 'zod';
import type { Role } from '#shared/auth/roles.ts';
import { defineRoute, type RouteResponse } from '#shared/http/route.ts';
import { TimelinePage, TimelineQuery } from './kind-schemas.ts';
import { CHART_KINDS, type Kind } from './kinds.ts';
import {
  Addendum,
  Allergy,
  AllergyPage,
  AllergyParams,
  Chart,
  CreateAddendumBody,
  CreateAllergyBody,
  CreateEncounterBody,
  CreateLabResultBody,
  CreateMedicationBody,
  CreateNoteBody,
  CreateNoteTemplateBody,
  CreateProblemBody,
  CreateVitalsBody,
  Encounter,
  EncounterPage,
  EncounterParams,
  InboxQuery,
  LabResult,
  LabResultPage,
  LabResultParams,
  ListQuery,
  Medication,
  MedicationPage,
  MedicationParams,
  Note,
  NotePage,
  NoteParams,
  NoteTemplate,
  NoteTemplateList,
  PatientParams,
  Problem,
  ProblemPage,
  ProblemParams,
  ReviewBody,
  SignedNote,
  UpdateAllergyBody,
  UpdateEncounterBody,
  UpdateLabResultBody,
  UpdateMedicationBody,
  UpdateNoteBody,
  UpdateProblemBody,
  UpdateVitalsBody,
  VitalSigns,
  VitalsPage,
  VitalsParams,
} from './schemas.ts';
import { CHART_READERS } from './visibility.ts';

const tag = 'Charting';
const h = (name: string) => `functions/charting/handlers/${name}.ts`;
const problem = (description: string) => ({ description });

const CARE_TEAM: Role[] = ['clinician', 'nurse'];
const SIGNERS: Role[] = ['clinician'];
const ENCOUNTER_WRITERS: Role[] = ['clinician', 'nurse', 'front-desk'];
const ENCOUNTER_READERS: Role[] = ['clinician', 'nurse', 'front-desk', 'billing'];
const NOTE_READERS: Role[] = ['clinician', 'nurse', 'billing', 'patient'];
/** Problems, medications, allergies, vital signs, lab results: the care team, and the patient (released only). */
const RECORD_READERS: Role[] = [...CHART_READERS];
const TIMELINE_READERS: Role[] = ['clinician', 'nurse', 'front-desk', 'billing', 'patient'];

/** Example ids of the sample events: the demo patient exists on every local install; the others are examples. */
const EX = {
  patientId: '01KAXDEM0PAT1ENT0000000001',
  providerId: '01KAXDEM0000000000000000P1',
  encounterId: '01KAXDEM0000000000000000E1',
  noteId: '01KAXDEM0000000000000000N1',
  problemId: '01KAXDEM0000000000000000C1',
  medicationId: '01KAXDEM0000000000000000M1',
  allergyId: '01KAXDEM0000000000000000A1',
  vitalsId: '01KAXDEM0000000000000000V1',
  labResultId: '01KAXDEM0000000000000000R1',
};
const IF_MATCH = { 'If-Match': '"1"' };
const IDEMPOTENCY = { 'Idempotency-Key': '7c9e6679-7425-40de-944b-e07fc1f90ae7' };
const audit = (resourceType: string, action: string) => ({
  resourceType,
  action,
  patientIdParam: 'patientId',
});
/** `<kind>.<verb>` on a chart record, under its kind's audit resource type (kinds.ts). */
const kindAudit = (kind: Kind, verb: string) => audit(CHART_KINDS[kind].auditResourceType, `${kind}.${verb}`);

const created = (what: string, schema: z.ZodType): RouteResponse => ({
  description: `The ${what}; \`ETag\` and \`Location\` headers are set`,
  schema,
});
const changed = (what: string, schema: z.ZodType): RouteResponse => ({
  description: `The ${what} after the change; \`ETag\` carries the new version`,
  schema,
});
const CHANGE_ERRORS = {
  412: problem('It changed since you read it; the current `ETag` is in the response'),
  428: problem('If-Match is missing'),
};
const WRITE_ERRORS = {
  404: problem('No such patient or record'),
  422: problem(
    'A charting rule: a bad code check digit or format, an impossible value, an unknown encounter',
  ),
};

// ── Encounters ─────────────────────────────────────────────────────────────────────────────────────────────
export const createEncounter = defineRoute({
  operationId: 'createEncounter',
  method: 'POST',
  path: '/v1/patients/{patientId}/encounters',
  handler: h('create-encounter'),
  summary: 'Open an encounter (check the patient in for a visit)',
  description:
    'Opens an ambulatory or virtual visit `in-progress`, linked to its appointment when there is one. `reasonCode` is ICD-10-CM, `serviceCode` CPT; a bad code is 422 naming the field.',
  tag,
  auth: 'cognito',
  roles: ENCOUNTER_WRITERS,
  tableAccess: 'write',
  idempotent: true,
  audit: kindAudit('encounter', 'create'),
  request: { params: PatientParams, body: CreateEncounterBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      class: 'ambulatory',
      provider: { id: EX.providerId, name: 'Dr. Grace Hopper' },
      location: { name: 'Main Street Clinic, room 2' },
      reason: 'Follow-up of type 2 diabetes',
      reasonCode: 'E11.9',
      serviceCode: '99213',
    },
    headers: IDEMPOTENCY,
  },
  responses: { 201: created('encounter', Encounter), ...WRITE_ERRORS },
});

export const listEncounters = defineRoute({
  operationId: 'listEncounters',
  method: 'GET',
  path: '/v1/patients/{patientId}/encounters',
  handler: h('list-encounters'),
  summary: 'List a patient’s encounters, newest first',
  description:
    "Lists the patient's encounters, newest first. A page can hold fewer than `limit` items: follow `nextCursor` until it is absent.",
  tag,
  auth: 'cognito',
  roles: ENCOUNTER_READERS,
  tableAccess: 'read',
  audit: kindAudit('encounter', 'list'),
  request: { params: PatientParams, query: ListQuery },
  example: { params: { patientId: EX.patientId }, query: { limit: '20' } },
  responses: {
    200: { description: 'A page of encounters', schema: EncounterPage },
    404: problem('No such patient'),
  },
});

export const getEncounter = defineRoute({
  operationId: 'getEncounter',
  method: 'GET',
  path: '/v1/patients/{patientId}/encounters/{encounterId}',
  handler: h('get-encounter'),
  summary: 'Read an encounter',
  description: 'Returns one encounter with the `ETag` a change must send.',
  tag,
  auth: 'cognito',
  roles: ENCOUNTER_READERS,
  tableAccess: 'read',
  audit: kindAudit('encounter', 'read'),
  request: { params: EncounterParams },
  example: { params: { patientId: EX.patientId, encounterId: EX.encounterId } },
  responses: {
    200: { description: 'The encounter; `ETag` carries the version', schema: Encounter },
    404: problem('No such encounter'),
  },
});

export const updateEncounter = defineRoute({
  operationId: 'updateEncounter',
  method: 'PATCH',
  path: '/v1/patients/{patientId}/encounters/{encounterId}',
  handler: h('update-encounter'),
  summary: 'Change an encounter',
  description:
    'Changes an encounter (reason, codes, provider, …). Send `If-Match`. Top-level fields you send replace the stored ones; `null` clears an optional one.',
  tag,
  auth: 'cognito',
  roles: ENCOUNTER_WRITERS,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: kindAudit('encounter', 'update'),
  request: { params: EncounterParams, body: UpdateEncounterBody },
  example: {
    params: { patientId: EX.patientId, encounterId: EX.encounterId },
    body: { serviceCode: '99214' },
    headers: IF_MATCH,
  },
  responses: { 200: changed('encounter', Encounter), ...WRITE_ERRORS, ...CHANGE_ERRORS },
});

export const finishEncounter = defineRoute({
  operationId: 'finishEncounter',
  method: 'POST',
  path: '/v1/patients/{patientId}/encounters/{encounterId}/finish',
  handler: h('finish-encounter'),
  summary: 'Finish an encounter',
  description: 'Moves it from `in-progress` to `finished` now. Send `If-Match`.',
  tag,
  auth: 'cognito',
  roles: ENCOUNTER_WRITERS,
  tableAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: kindAudit('encounter', 'finish'),
  request: { params: EncounterParams },
  example: { params: { patientId: EX.patientId, encounterId: EX.encounterId }, headers: IF_MATCH },
  responses: {
    200: changed('encounter', Encounter),
    404: problem('No such encounter'),
    409: problem('Already finished'),
    ...CHANGE_ERRORS,
  },
});

// ── Progress notes ─────────────────────────────────────────────────────────────────────────────────────────
export const createNote = defineRoute({
  operationId: 'createNote',
  method: 'POST',
  path: '/v1/patients/{patientId}/notes',
  handler: h('create-note'),
  summary: 'Start a progress note (draft) on an encounter',
  description:
    'Starts a draft progress note on an encounter. SOAP sections come from the template (default `general-internal-medicine`; see GET /v1/note-templates); sections you send replace the template’s. You are its author: only you can sign it.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  idempotent: true,
  audit: kindAudit('note', 'create'),
  request: { params: PatientParams, body: CreateNoteBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      encounterId: EX.encounterId,
      templateId: 'general-internal-medicine',
      subjective: 'Feels well. No hypoglycaemia. Walking 30 minutes a day.',
    },
    headers: IDEMPOTENCY,
  },
  responses: { 201: created('draft note', Note), ...WRITE_ERRORS },
});

export const listNotes = defineRoute({
  operationId: 'listNotes',
  method: 'GET',
  path: '/v1/patients/{patientId}/notes',
  handler: h('list-notes'),
  summary: 'List a patient’s progress notes, newest first',
  description:
    "Lists the patient's progress notes, newest first. Billing and patient users see signed notes only. A page can hold fewer than `limit` items.",
  access: '`billing` and `patient` users see signed notes only',
  tag,
  auth: 'cognito',
  roles: NOTE_READERS,
  tableAccess: 'read',
  audit: kindAudit('note', 'list'),
  request: { params: PatientParams, query: ListQuery },
  example: { params: { patientId: EX.patientId }, query: { limit: '20' } },
  responses: { 200: { description: 'A page of notes', schema: NotePage }, 404: problem('No such patient') },
});

export const getNote = defineRoute({
  operationId: 'getNote',
  method: 'GET',
  path: '/v1/patients/{patientId}/notes/{noteId}',
  handler: h('get-note'),
  summary: 'Read a progress note with its addenda',
  description:
    'Returns one progress note with its addenda, oldest first, and the `ETag` an edit or signature must send.',
  access: '`billing` and `patient` users see signed notes only (a draft is answered 404)',
  tag,
  auth: 'cognito',
  roles: NOTE_READERS,
  tableAccess: 'read',
  audit: kindAudit('note', 'read'),
  request: { params: NoteParams },
  example: { params: { patientId: EX.patientId, noteId: EX.noteId } },
  responses: {
    200: { description: 'The note and its addenda, oldest first; `ETag` carries the version', schema: Note },
    404: problem('No such note (or a draft you may not see)'),
  },
});

export const updateNote = defineRoute({
  operationId: 'updateNote',
  method: 'PATCH',
  path: '/v1/patients/{patientId}/notes/{noteId}',
  handler: h('update-note'),
  summary: 'Edit a draft note',
  description:
    'Edits a draft progress note. Send `If-Match`. Only the note’s author, or a contributor the author listed, edits a draft; only the author changes `contributors` (the whole list). A signed note is frozen: any change is 409; correct it with an addendum.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: kindAudit('note', 'update'),
  request: { params: NoteParams, body: UpdateNoteBody },
  example: {
    params: { patientId: EX.patientId, noteId: EX.noteId },
    body: { assessment: 'Type 2 diabetes, well controlled (HbA1c 6.8 %).' },
    headers: IF_MATCH,
  },
  responses: {
    200: changed('note', Note),
    403: problem(
      'You are neither the author nor a contributor, or not the author and sending `contributors`',
    ),
    404: problem('No such note'),
    409: problem('The note is signed'),
    ...CHANGE_ERRORS,
  },
});

export const signNote = defineRoute({
  operationId: 'signNote',
  method: 'POST',
  path: '/v1/patients/{patientId}/notes/{noteId}/sign',
  handler: h('sign-note'),
  summary: 'Sign a note (its author, a clinician)',
  description:
    "Signs the version named in `If-Match`, so you sign what you read. Keeps who signed and when; the note is frozen from then on. When the encounter's charges have a service line without a diagnosis, or a diagnosis no line points to, the answer's `warnings` say so while it can still be fixed.",
  access: "only the note's author, who must be a clinician (anyone else is 403)",
  tag,
  auth: 'cognito',
  roles: SIGNERS,
  tableAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: kindAudit('note', 'sign'),
  request: { params: NoteParams },
  example: { params: { patientId: EX.patientId, noteId: EX.noteId }, headers: IF_MATCH },
  responses: {
    200: changed('signed note (with `warnings` from its encounter’s charges)', SignedNote),
    403: problem('You are not the note’s author, or not a clinician'),
    404: problem('No such note'),
    409: problem('Already signed'),
    ...CHANGE_ERRORS,
  },
});

export const addAddendum = defineRoute({
  operationId: 'addAddendum',
  method: 'POST',
  path: '/v1/patients/{patientId}/notes/{noteId}/addenda',
  handler: h('add-addendum'),
  summary: 'Add a signed addendum to a signed note',
  description:
    'Addenda are append-only and signed by their author as they are written; the note itself never changes.',
  access: 'the addendum is signed by its author, the caller',
  tag,
  auth: 'cognito',
  roles: SIGNERS,
  tableAccess: 'write',
  idempotent: true,
  audit: kindAudit('note', 'addendum'),
  request: { params: NoteParams, body: CreateAddendumBody },
  example: {
    params: { patientId: EX.patientId, noteId: EX.noteId },
    body: { text: 'Correction: metformin dose is 1000 mg twice daily, not 500 mg.' },
    headers: IDEMPOTENCY,
  },
  responses: {
    201: { description: 'The addendum; `Location` is its note', schema: Addendum },
    404: problem('No such note'),
    409: problem('The note is a draft: edit it instead'),
  },
});

export const listNoteTemplates = defineRoute({
  operationId: 'listNoteTemplates',
  method: 'GET',
  path: '/v1/note-templates',
  handler: h('list-note-templates'),
  summary: 'List note templates',
  description:
    'Lists the note templates a new note can start from. The built-in templates (general / internal medicine, pediatrics, dermatology) and the practice’s own.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'read',
  request: {},
  example: {},
  responses: { 200: { description: 'Every template', schema: NoteTemplateList } },
});

export const createNoteTemplate = defineRoute({
  operationId: 'createNoteTemplate',
  method: 'POST',
  path: '/v1/note-templates',
  handler: h('create-note-template'),
  summary: 'Add a practice note template',
  description: 'Adds a practice note template: the named SOAP sections a new note starts from.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  idempotent: true,
  audit: { resourceType: 'NoteTemplate', action: 'note-template.create' },
  request: { body: CreateNoteTemplateBody },
  example: {
    body: {
      name: 'Diabetes follow-up',
      specialty: 'Endocrinology',
      subjective: 'Hypoglycaemia episodes:\nDiet and exercise:',
      objective: 'Foot exam:\nInjection sites:',
      assessment: 'Glycaemic control:',
      plan: 'HbA1c in 3 months.\nFollow-up:',
    },
    headers: IDEMPOTENCY,
  },
  responses: { 201: created('template', NoteTemplate) },
});

// ── Problems, medications, allergies, vital signs, lab results ─────────────────────────────────────────────
export const createProblem = defineRoute({
  operationId: 'createProblem',
  method: 'POST',
  path: '/v1/patients/{patientId}/problems',
  handler: h('create-problem'),
  summary: 'Add a problem to the problem list',
  description:
    'Adds a problem to the patient’s problem list. `code` is ICD-10-CM (format checked, 422 otherwise). Treatment plan items ride on the problem.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  idempotent: true,
  audit: kindAudit('problem', 'create'),
  request: { params: PatientParams, body: CreateProblemBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      code: 'E11.9',
      display: 'Type 2 diabetes mellitus without complications',
      onset: '2021-03-01',
      treatmentPlan: [{ description: 'HbA1c every 3 months', status: 'in-progress' }],
    },
    headers: IDEMPOTENCY,
  },
  responses: { 201: created('problem', Problem), ...WRITE_ERRORS },
});

export const listProblems = defineRoute({
  operationId: 'listProblems',
  method: 'GET',
  path: '/v1/patients/{patientId}/problems',
  handler: h('list-problems'),
  summary: 'List the problem list (every status)',
  description: "Lists the patient's problem list in every status (active, resolved, …), a page at a time.",
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('problem', 'list'),
  request: { params: PatientParams, query: ListQuery },
  example: { params: { patientId: EX.patientId }, query: { limit: '20' } },
  responses: {
    200: { description: 'A page of problems', schema: ProblemPage },
    404: problem('No such patient'),
  },
});

export const getProblem = defineRoute({
  operationId: 'getProblem',
  method: 'GET',
  path: '/v1/patients/{patientId}/problems/{problemId}',
  handler: h('get-problem'),
  summary: 'Read a problem',
  description: 'Returns one problem with its treatment plan and the `ETag` a change must send.',
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('problem', 'read'),
  request: { params: ProblemParams },
  example: { params: { patientId: EX.patientId, problemId: EX.problemId } },
  responses: { 200: { description: 'The problem', schema: Problem }, 404: problem('No such problem') },
});

export const updateProblem = defineRoute({
  operationId: 'updateProblem',
  method: 'PATCH',
  path: '/v1/patients/{patientId}/problems/{problemId}',
  handler: h('update-problem'),
  summary: 'Change a problem (status, plan, …)',
  description:
    'Changes a problem: status, onset, resolution, treatment plan. Send `If-Match`; the top-level fields you send replace the stored ones, `null` clears an optional one.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: kindAudit('problem', 'update'),
  request: { params: ProblemParams, body: UpdateProblemBody },
  example: {
    params: { patientId: EX.patientId, problemId: EX.problemId },
    body: { clinicalStatus: 'resolved', abatement: '2026-11-01' },
    headers: IF_MATCH,
  },
  responses: { 200: changed('problem', Problem), ...WRITE_ERRORS, ...CHANGE_ERRORS },
});

export const createMedication = defineRoute({
  operationId: 'createMedication',
  method: 'POST',
  path: '/v1/patients/{patientId}/medications',
  handler: h('create-medication'),
  summary: 'Add a medication',
  description:
    'Adds a medication to the patient’s list. `code` is an RxNorm RXCUI (digits). `prescriber` defaults to you when you are a provider.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  idempotent: true,
  audit: kindAudit('medication', 'create'),
  request: { params: PatientParams, body: CreateMedicationBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      code: '860975',
      display: 'metformin hydrochloride 500 MG Extended Release Oral Tablet',
      dose: { value: 500, unit: 'mg' },
      route: 'oral',
      frequency: 'BID',
      start: '2026-11-24',
      prescriber: { id: EX.providerId, name: 'Dr. Grace Hopper' },
    },
    headers: IDEMPOTENCY,
  },
  responses: { 201: created('medication', Medication), ...WRITE_ERRORS },
});

export const listMedications = defineRoute({
  operationId: 'listMedications',
  method: 'GET',
  path: '/v1/patients/{patientId}/medications',
  handler: h('list-medications'),
  summary: 'List medications (every status)',
  description: "Lists the patient's medications in every status (active, stopped, …), a page at a time.",
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('medication', 'list'),
  request: { params: PatientParams, query: ListQuery },
  example: { params: { patientId: EX.patientId }, query: { limit: '20' } },
  responses: {
    200: { description: 'A page of medications', schema: MedicationPage },
    404: problem('No such patient'),
  },
});

export const getMedication = defineRoute({
  operationId: 'getMedication',
  method: 'GET',
  path: '/v1/patients/{patientId}/medications/{medicationId}',
  handler: h('get-medication'),
  summary: 'Read a medication',
  description: 'Returns one medication with the `ETag` a change must send.',
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('medication', 'read'),
  request: { params: MedicationParams },
  example: { params: { patientId: EX.patientId, medicationId: EX.medicationId } },
  responses: {
    200: { description: 'The medication', schema: Medication },
    404: problem('No such medication'),
  },
});

export const updateMedication = defineRoute({
  operationId: 'updateMedication',
  method: 'PATCH',
  path: '/v1/patients/{patientId}/medications/{medicationId}',
  handler: h('update-medication'),
  summary: 'Change a medication (dose, stop, status, …)',
  description:
    'Changes a medication: dose, status, stop date. Send `If-Match`; the top-level fields you send replace the stored ones, `null` clears an optional one.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: kindAudit('medication', 'update'),
  request: { params: MedicationParams, body: UpdateMedicationBody },
  example: {
    params: { patientId: EX.patientId, medicationId: EX.medicationId },
    body: { status: 'stopped', stop: '2026-11-24' },
    headers: IF_MATCH,
  },
  responses: { 200: changed('medication', Medication), ...WRITE_ERRORS, ...CHANGE_ERRORS },
});

export const createAllergy = defineRoute({
  operationId: 'createAllergy',
  method: 'POST',
  path: '/v1/patients/{patientId}/allergies',
  handler: h('create-allergy'),
  summary: 'Record an allergy, or that the patient has no known allergies',
  description:
    'A substance is RxNorm, SNOMED CT (check digit verified) or text. Send `{"noKnownAllergies": true}` to record that the patient was asked and has none (refused with 409 while an allergy is active); recording an allergy retires an earlier "no known allergies".',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  idempotent: true,
  audit: kindAudit('allergy', 'create'),
  request: { params: PatientParams, body: CreateAllergyBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
      reactions: [{ manifestation: 'Hives', severity: 'moderate' }],
      criticality: 'high',
    },
    headers: IDEMPOTENCY,
  },
  responses: {
    201: created('allergy', Allergy),
    ...WRITE_ERRORS,
    409: problem('No known allergies while an allergy is active'),
  },
});

export const listAllergies = defineRoute({
  operationId: 'listAllergies',
  method: 'GET',
  path: '/v1/patients/{patientId}/allergies',
  handler: h('list-allergies'),
  summary: 'List allergy records (every status)',
  description:
    'Lists the patient\'s allergy records in every status, including a "no known allergies" record, a page at a time.',
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('allergy', 'list'),
  request: { params: PatientParams, query: ListQuery },
  example: { params: { patientId: EX.patientId }, query: { limit: '20' } },
  responses: {
    200: { description: 'A page of allergy records', schema: AllergyPage },
    404: problem('No such patient'),
  },
});

export const getAllergy = defineRoute({
  operationId: 'getAllergy',
  method: 'GET',
  path: '/v1/patients/{patientId}/allergies/{allergyId}',
  handler: h('get-allergy'),
  summary: 'Read an allergy record',
  description: 'Returns one allergy record with the `ETag` a change must send.',
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('allergy', 'read'),
  request: { params: AllergyParams },
  example: { params: { patientId: EX.patientId, allergyId: EX.allergyId } },
  responses: { 200: { description: 'The allergy record', schema: Allergy }, 404: problem('No such allergy') },
});

export const updateAllergy = defineRoute({
  operationId: 'updateAllergy',
  method: 'PATCH',
  path: '/v1/patients/{patientId}/allergies/{allergyId}',
  handler: h('update-allergy'),
  summary: 'Change an allergy record',
  description:
    'Changes an allergy record (reactions, criticality, status). Send `If-Match`; the top-level fields you send replace the stored ones, `null` clears an optional one.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: kindAudit('allergy', 'update'),
  request: { params: AllergyParams, body: UpdateAllergyBody },
  example: {
    params: { patientId: EX.patientId, allergyId: EX.allergyId },
    body: { verificationStatus: 'refuted' },
    headers: IF_MATCH,
  },
  responses: {
    200: changed('allergy record', Allergy),
    ...WRITE_ERRORS,
    ...CHANGE_ERRORS,
    409: problem('No known allergies while an allergy is active'),
  },
});

export const createVitals = defineRoute({
  operationId: 'createVitals',
  method: 'POST',
  path: '/v1/patients/{patientId}/vitals',
  handler: h('create-vitals'),
  summary: 'Record a set of vital signs',
  description:
    'Records a set of vital signs. Units: blood pressure mm[Hg], heart and respiratory rate /min, SpO2 %, temperature Cel or [degF], weight kg, g or [lb_av], height cm or [in_i]. BMI is derived from weight and height. A physiologically impossible value is 422 naming the field.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  idempotent: true,
  audit: kindAudit('vitals', 'create'),
  request: { params: PatientParams, body: CreateVitalsBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      encounterId: EX.encounterId,
      bloodPressure: { systolic: 128, diastolic: 82 },
      heartRate: 72,
      respiratoryRate: 14,
      temperature: { value: 36.8, unit: 'Cel' },
      oxygenSaturation: 98,
      weight: { value: 82.5, unit: 'kg' },
      height: { value: 176, unit: 'cm' },
    },
    headers: IDEMPOTENCY,
  },
  responses: { 201: created('vital signs', VitalSigns), ...WRITE_ERRORS },
});

export const listVitals = defineRoute({
  operationId: 'listVitals',
  method: 'GET',
  path: '/v1/patients/{patientId}/vitals',
  handler: h('list-vitals'),
  summary: 'List vital signs, newest first',
  description:
    "Lists the patient's sets of vital signs, newest first. A page can hold fewer than `limit` items: follow `nextCursor` until it is absent.",
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('vitals', 'list'),
  request: { params: PatientParams, query: ListQuery },
  example: { params: { patientId: EX.patientId }, query: { limit: '20' } },
  responses: {
    200: { description: 'A page of vital signs sets', schema: VitalsPage },
    404: problem('No such patient'),
  },
});

export const getVitals = defineRoute({
  operationId: 'getVitals',
  method: 'GET',
  path: '/v1/patients/{patientId}/vitals/{vitalsId}',
  handler: h('get-vitals'),
  summary: 'Read a set of vital signs',
  description:
    'Returns one set of vital signs (with the BMI derived from weight and height) and the `ETag` a correction must send.',
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('vitals', 'read'),
  request: { params: VitalsParams },
  example: { params: { patientId: EX.patientId, vitalsId: EX.vitalsId } },
  responses: { 200: { description: 'The set', schema: VitalSigns }, 404: problem('No such vital signs') },
});

export const updateVitals = defineRoute({
  operationId: 'updateVitals',
  method: 'PATCH',
  path: '/v1/patients/{patientId}/vitals/{vitalsId}',
  handler: h('update-vitals'),
  summary: 'Correct a set of vital signs',
  description:
    'Corrects a set of vital signs; a physiologically impossible value is 422 naming the field. Send `If-Match`; the top-level fields you send replace the stored ones.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: kindAudit('vitals', 'update'),
  request: { params: VitalsParams, body: UpdateVitalsBody },
  example: {
    params: { patientId: EX.patientId, vitalsId: EX.vitalsId },
    body: { heartRate: 76 },
    headers: IF_MATCH,
  },
  responses: { 200: changed('vital signs', VitalSigns), ...WRITE_ERRORS, ...CHANGE_ERRORS },
});

export const createLabResult = defineRoute({
  operationId: 'createLabResult',
  method: 'POST',
  path: '/v1/patients/{patientId}/lab-results',
  handler: h('create-lab-result'),
  summary: 'Record a lab report and its results',
  description:
    'Records a lab report and its results. LOINC codes are check-digit verified. Each result’s interpretation is derived from its reference range when not given. The report lands, unreviewed, in its ordering provider’s results inbox.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  idempotent: true,
  audit: kindAudit('lab-result', 'create'),
  request: { params: PatientParams, body: CreateLabResultBody },
  example: {
    params: { patientId: EX.patientId },
    body: {
      code: '24323-8',
      display: 'Comprehensive metabolic panel',
      status: 'final',
      orderingProviderId: EX.providerId,
      issued: '2026-11-24T15:00:00Z',
      results: [
        {
          code: '2345-7',
          display: 'Glucose',
          value: 162,
          unit: 'mg/dL',
          referenceRange: { low: 70, high: 99 },
        },
        {
          code: '2160-0',
          display: 'Creatinine',
          value: 0.9,
          unit: 'mg/dL',
          referenceRange: { low: 0.6, high: 1.2 },
        },
      ],
    },
    headers: IDEMPOTENCY,
  },
  responses: { 201: created('lab report', LabResult), ...WRITE_ERRORS },
});

export const listLabResults = defineRoute({
  operationId: 'listLabResults',
  method: 'GET',
  path: '/v1/patients/{patientId}/lab-results',
  handler: h('list-lab-results'),
  summary: 'List lab reports, newest first',
  description:
    "Lists the patient's lab reports with their results, newest first. Patient users see final and corrected reports only. A page can hold fewer than `limit` items.",
  access: '`patient` users see final and corrected reports only',
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('lab-result', 'list'),
  request: { params: PatientParams, query: ListQuery },
  example: { params: { patientId: EX.patientId }, query: { limit: '20' } },
  responses: {
    200: { description: 'A page of lab reports', schema: LabResultPage },
    404: problem('No such patient'),
  },
});

export const getLabResult = defineRoute({
  operationId: 'getLabResult',
  method: 'GET',
  path: '/v1/patients/{patientId}/lab-results/{labResultId}',
  handler: h('get-lab-result'),
  summary: 'Read a lab report',
  description: 'Returns one lab report with its results, their interpretations and its review.',
  access: '`patient` users see final and corrected reports only (others are answered 404)',
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: kindAudit('lab-result', 'read'),
  request: { params: LabResultParams },
  example: { params: { patientId: EX.patientId, labResultId: EX.labResultId } },
  responses: {
    200: { description: 'The report', schema: LabResult },
    404: problem('No such lab result (or not released to you)'),
  },
});

export const updateLabResult = defineRoute({
  operationId: 'updateLabResult',
  method: 'PATCH',
  path: '/v1/patients/{patientId}/lab-results/{labResultId}',
  handler: h('update-lab-result'),
  summary: 'Update a lab report (preliminary → final, or a correction)',
  description:
    'Updates a lab report. Status moves preliminary → final → corrected; a final report’s content changes only as `corrected`. A changed report goes back to the inbox for a fresh review.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: kindAudit('lab-result', 'update'),
  request: { params: LabResultParams, body: UpdateLabResultBody },
  example: {
    params: { patientId: EX.patientId, labResultId: EX.labResultId },
    body: { status: 'final' },
    headers: IF_MATCH,
  },
  responses: { 200: changed('lab report', LabResult), ...WRITE_ERRORS, ...CHANGE_ERRORS },
});

export const reviewLabResult = defineRoute({
  operationId: 'reviewLabResult',
  method: 'POST',
  path: '/v1/patients/{patientId}/lab-results/{labResultId}/review',
  handler: h('review-lab-result'),
  summary: 'Mark a lab report reviewed',
  description:
    'Records who reviewed it, when, and the follow-up (required for an abnormal result), and takes it out of the inbox. Send `If-Match`: you review the version you read.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'write',
  idempotent: true,
  requiresIfMatch: true,
  audit: kindAudit('lab-result', 'review'),
  request: { params: LabResultParams, body: ReviewBody },
  example: {
    params: { patientId: EX.patientId, labResultId: EX.labResultId },
    body: { comment: 'Glucose high: repeat fasting glucose and HbA1c; call patient.' },
    headers: IF_MATCH,
  },
  responses: {
    200: changed('reviewed lab report', LabResult),
    404: problem('No such lab result'),
    409: problem('Already reviewed'),
    422: problem('An abnormal result needs a follow-up comment'),
    ...CHANGE_ERRORS,
  },
});

export const resultsInbox = defineRoute({
  operationId: 'listResultsInbox',
  method: 'GET',
  path: '/v1/inbox/results',
  handler: h('list-results-inbox'),
  summary: 'An ordering provider’s unreviewed lab results, abnormal first',
  description:
    'Lists an ordering provider’s unreviewed lab reports. Abnormal reports first, then the rest; oldest first within each, since they have waited longest. `providerId` defaults to you when you are a provider.',
  tag,
  auth: 'cognito',
  roles: CARE_TEAM,
  tableAccess: 'read',
  audit: { resourceType: CHART_KINDS['lab-result'].auditResourceType, action: 'inbox.read' },
  request: { query: InboxQuery },
  example: { query: { providerId: EX.providerId, limit: '20' } },
  responses: { 200: { description: 'A page of unreviewed lab reports', schema: LabResultPage } },
});

// ── The chart and the timeline ─────────────────────────────────────────────────────────────────────────────
export const getChart = defineRoute({
  operationId: 'getChart',
  method: 'GET',
  path: '/v1/patients/{patientId}/chart',
  handler: h('get-chart'),
  summary: 'The whole chart at a glance',
  description:
    'Returns the patient’s chart at a glance. Demographics, active problems, active medications, allergies (or the no-known-allergies state), latest vital signs, recent encounters, notes and lab results: one DynamoDB read. `historyComplete` is false when the chart outgrew one read: current items are always complete; page older history with the timeline. A patient user sees its signed notes and released results only.',
  access: 'a `patient` user sees their signed notes and released results only',
  tag,
  auth: 'cognito',
  roles: RECORD_READERS,
  tableAccess: 'read',
  audit: audit('Chart', 'chart.read'),
  request: { params: PatientParams },
  example: { params: { patientId: EX.patientId } },
  responses: { 200: { description: 'The chart', schema: Chart }, 404: problem('No such patient') },
});

export const getTimeline = defineRoute({
  operationId: 'getTimeline',
  method: 'GET',
  path: '/v1/patients/{patientId}/timeline',
  handler: h('get-timeline'),
  summary: 'Everything in the chart in clinical-date order, newest first',
  description:
    'Lists everything in the chart in clinical-date order, newest first. `from` / `to` are dates (whole days) or timestamps; `types` a comma-separated subset. Each role sees only what it may (billing: encounters and signed notes; front desk: encounters). A page can hold fewer than `limit` items: follow `nextCursor`.',
  access: 'each role sees only what it may: `billing` encounters and signed notes, `front-desk` encounters',
  tag,
  auth: 'cognito',
  roles: TIMELINE_READERS,
  tableAccess: 'read',
  audit: audit('Timeline', 'timeline.read'),
  request: { params: PatientParams, query: TimelineQuery },
  example: {
    params: { patientId: EX.patientId },
    query: { from: '2026-01-01', to: '2026-12-31', types: 'encounter,note,lab-result', limit: '20' },
  },
  responses: {
    200: { description: 'A page of timeline entries', schema: TimelinePage },
    404: problem('No such patient'),
  },
});

export const routes = [
  createEncounter,
  listEncounters,
  getEncounter,
  updateEncounter,
  finishEncounter,
  createNote,
  listNotes,
  getNote,
  updateNote,
  signNote,
  addAddendum,
  listNoteTemplates,
  createNoteTemplate,
  createProblem,
  listProblems,
  getProblem,
  updateProblem,
  createMedication,
  listMedications,
  getMedication,
  updateMedication,
  createAllergy,
  listAllergies,
  getAllergy,
  updateAllergy,
  createVitals,
  listVitals,
  getVitals,
  updateVitals,
  createLabResult,
  listLabResults,
  getLabResult,
  updateLabResult,
  reviewLabResult,
  resultsInbox,
  getChart,
  getTimeline,
];
