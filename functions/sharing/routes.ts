// The sharing context's endpoints: consent, backfill, the longitudinal record and bulk exports.
import { CHART_READERS } from '#functions/charting/index.ts';
import type { Role } from '#shared/auth/roles.ts';
import { defineRoute } from '#shared/http/route.ts';
import {
  BackfillReport,
  EmptyBody,
  ExportJob,
  ExportParams,
  LongitudinalRecord,
  PatientParams,
  PutSharingBody,
  SharingConsent,
} from './schemas.ts';

const tag = 'Sharing';
const DEMO = { patientId: '01KAXDEM0PAT1ENT0000000001' };
const SETTERS: Role[] = ['admin', 'front-desk', 'clinician', 'patient'];
const CLINICAL: Role[] = ['admin', 'clinician', 'nurse'];
const problem = (description: string) => ({ description });

export const getSharing = defineRoute({
  operationId: 'getSharing',
  method: 'GET',
  path: '/v1/patients/{patientId}/sharing',
  handler: 'functions/sharing/handlers/get-sharing.ts',
  summary: 'What the patient agreed to share, who set it and when',
  description:
    "Returns the patient's consent to share: the categories of their record that may leave the practice as FHIR, who set it and when. Version 0 means none was ever recorded: the practice default, share nothing.",
  tag,
  auth: 'cognito',
  roles: [...CLINICAL, 'front-desk', 'patient'],
  tableAccess: 'read',
  audit: { resourceType: 'Consent', action: 'sharing.read', patientIdParam: 'patientId' },
  request: { params: PatientParams },
  example: { params: DEMO },
  responses: {
    200: { description: 'The consent (version 0: the practice default, none)', schema: SharingConsent },
    404: { description: 'No such patient' },
  },
});

export const putSharing = defineRoute({
  operationId: 'putSharing',
  method: 'PUT',
  path: '/v1/patients/{patientId}/sharing',
  handler: 'functions/sharing/handlers/put-sharing.ts',
  summary: 'Set the patient’s consent to share',
  description:
    'Records leave the practice as FHIR only in the consented categories. Granting mirrors the existing history; revoking (or dropping a category) deletes what was mirrored. Send `If-Match` with the ETag you read (`"0"` before any consent was recorded).',
  tag,
  auth: 'cognito',
  roles: SETTERS,
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: { resourceType: 'Consent', action: 'sharing.update', patientIdParam: 'patientId' },
  request: { params: PatientParams, body: PutSharingBody },
  example: {
    params: DEMO,
    body: { mode: 'categories', categories: ['demographics', 'problems', 'allergies'] },
    headers: { 'If-Match': '"0"' },
  },
  responses: {
    200: { description: 'The new consent', schema: SharingConsent },
    412: problem('The consent changed since you read it'),
  },
});

export const backfillSharing = defineRoute({
  operationId: 'backfillSharing',
  method: 'POST',
  path: '/v1/patients/{patientId}/sharing/backfill',
  handler: 'functions/sharing/handlers/backfill-sharing.ts',
  summary: 'Mirror the patient’s existing history that the consent allows',
  description:
    'Mirrors the patient’s existing history that the consent allows into the FHIR store. Runs automatically when consent is granted; safe to repeat (unchanged resources are not rewritten).',
  tag,
  auth: 'cognito',
  roles: ['admin', 'front-desk', 'clinician'],
  tableAccess: 'read',
  fhirAccess: 'write',
  idempotent: true,
  audit: { resourceType: 'Consent', action: 'sharing.backfill', patientIdParam: 'patientId' },
  request: { params: PatientParams, body: EmptyBody },
  example: { params: DEMO, body: {} },
  responses: {
    200: { description: 'What was mirrored', schema: BackfillReport },
    422: problem('Consent is none'),
  },
});

export const getLongitudinal = defineRoute({
  operationId: 'getLongitudinal',
  method: 'GET',
  path: '/v1/patients/{patientId}/longitudinal',
  handler: 'functions/sharing/handlers/get-longitudinal.ts',
  summary: 'Our chart merged with what other organisations shared about the patient',
  description:
    "Merges the practice's own chart with what other organisations shared about the patient through the exchange's FHIR store, each entry labelled with its source, newest first. Only the chart’s readers may read it, and each sees here exactly what the chart shows them, in FHIR form: a patient sees signed notes and released results only (no draft, no preliminary report), whoever recorded them.",
  tag,
  auth: 'cognito',
  roles: CHART_READERS,
  tableAccess: 'read',
  fhirAccess: 'read',
  audit: { resourceType: 'Patient', action: 'longitudinal.read', patientIdParam: 'patientId' },
  request: { params: PatientParams },
  example: { params: DEMO },
  responses: {
    200: { description: 'Entries labelled with their source, newest first', schema: LongitudinalRecord },
    404: { description: 'No such patient' },
  },
});

export const startExport = defineRoute({
  operationId: 'startExport',
  method: 'POST',
  path: '/v1/exports',
  handler: 'functions/sharing/handlers/start-export.ts',
  summary: 'Bulk-export the practice’s shared data (NDJSON)',
  description:
    "Starts a FHIR bulk export (NDJSON) of what the practice shared, into the tenant's export bucket; follow it with `GET /v1/exports/{exportId}`. The export holds only what your role may read of the chart: an admin’s holds patients, consents and appointments, no clinical content. In AWS (a HealthLake export job copies the whole datastore) only a role that reads the whole chart may start one; others get 403.",
  tag,
  auth: 'cognito',
  roles: ['admin'],
  tableAccess: 'write',
  fhirAccess: 'export',
  idempotent: true,
  request: { body: EmptyBody },
  example: { body: {} },
  responses: { 202: { description: 'Started (locally: already complete)', schema: ExportJob } },
});

export const getExport = defineRoute({
  operationId: 'getExport',
  method: 'GET',
  path: '/v1/exports/{exportId}',
  handler: 'functions/sharing/handlers/get-export.ts',
  summary: 'An export’s status and files',
  description: "Returns an export's status and, once it is complete, its NDJSON files.",
  tag,
  auth: 'cognito',
  roles: ['admin'],
  tableAccess: 'read',
  fhirAccess: 'export-status',
  request: { params: ExportParams },
  example: { params: { exportId: '01KAXDEM0000000000000000E1' } },
  responses: { 200: { description: 'The export', schema: ExportJob }, 404: problem('No such export') },
});

export const routes = [getSharing, putSharing, backfillSharing, getLongitudinal, startExport, getExport];
