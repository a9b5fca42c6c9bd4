// The patients context's endpoints. Gathered into functions/routes.ts.
import { defineRoute } from '#shared/http/route.ts';
import {
  CreatePatientBody,
  Patient,
  PatientPage,
  PatientParams,
  SearchPatientsQuery,
  UpdatePatientBody,
} from './schemas.ts';

const tag = 'Patients';
const problem = (description: string) => ({ description });
/** The local runtime's seeded demo patient. */
const DEMO_PATIENT = { patientId: '01KAXDEM0PAT1ENT0000000001' };

export const createPatient = defineRoute({
  operationId: 'createPatient',
  method: 'POST',
  path: '/v1/patients',
  handler: 'functions/patients/handlers/create-patient.ts',
  summary: 'Register a patient',
  description:
    'Creates a patient and assigns an MRN when none is given. Honours `Idempotency-Key`: a retry with the same key and body returns the first response and creates nothing.',
  tag,
  auth: 'cognito',
  roles: ['admin', 'front-desk', 'clinician', 'nurse'],
  tableAccess: 'write',
  idempotent: true,
  audit: { resourceType: 'Patient', action: 'patient.create' },
  request: { body: CreatePatientBody },
  example: {
    body: {
      name: { given: ['Maria'], family: 'García' },
      birthDate: '1984-07-02',
      gender: 'female',
      contact: { phone: '+1 555 0101', email: 'maria.garcia@example.org' },
      preferredLanguage: 'es',
    },
    headers: { 'Idempotency-Key': 'b6f1c9e2-5c1e-4b8e-9a57-3c0d2f1e8a11' },
  },
  responses: {
    201: { description: 'Created; `ETag` and `Location` headers are set', schema: Patient },
    400: problem('Invalid body'),
    409: problem('The MRN belongs to another patient'),
    422: problem('Idempotency-Key reused with another body'),
  },
});

export const getPatient = defineRoute({
  operationId: 'getPatient',
  method: 'GET',
  path: '/v1/patients/{patientId}',
  handler: 'functions/patients/handlers/get-patient.ts',
  summary: 'Read a patient',
  description:
    "Returns the patient's demographics, contact details and MRN, with the `ETag` a later change must send. Every read is audited.",
  tag,
  auth: 'cognito',
  roles: ['admin', 'front-desk', 'clinician', 'nurse', 'billing', 'patient'],
  tableAccess: 'read',
  audit: { resourceType: 'Patient', action: 'patient.read', patientIdParam: 'patientId' },
  request: { params: PatientParams },
  example: { params: DEMO_PATIENT },
  responses: {
    200: { description: 'The patient; `ETag` carries the version', schema: Patient },
    404: problem('No such patient (or not yours)'),
  },
});

export const searchPatients = defineRoute({
  operationId: 'searchPatients',
  method: 'GET',
  path: '/v1/patients',
  handler: 'functions/patients/handlers/search-patients.ts',
  summary: 'Find patients',
  description:
    'Finds patients by family-name prefix, given name, birth date or MRN. `family` matches a prefix of the family name, ignoring case and accents; `mrn` is exact. Results are ordered by family then given name. A page can hold fewer than `limit` items when `given` or `birthDate` filter it: follow `nextCursor` until it is absent.',
  tag,
  auth: 'cognito',
  roles: ['admin', 'front-desk', 'clinician', 'nurse', 'billing'],
  tableAccess: 'read',
  audit: { resourceType: 'Patient', action: 'patient.search' },
  request: { query: SearchPatientsQuery },
  example: { query: { family: 'dem', limit: '20' } },
  responses: {
    200: { description: 'A page of patients', schema: PatientPage },
    400: problem('Invalid query'),
  },
});

export const updatePatient = defineRoute({
  operationId: 'updatePatient',
  method: 'PATCH',
  path: '/v1/patients/{patientId}',
  handler: 'functions/patients/handlers/update-patient.ts',
  summary: 'Change a patient',
  description:
    'Changes a patient’s demographics, contact details or MRN. Send `If-Match` with the ETag you read. The top-level fields you send replace the stored ones; `null` clears an optional field.',
  tag,
  auth: 'cognito',
  roles: ['admin', 'front-desk', 'clinician', 'nurse'],
  tableAccess: 'write',
  requiresIfMatch: true,
  audit: { resourceType: 'Patient', action: 'patient.update', patientIdParam: 'patientId' },
  request: { params: PatientParams, body: UpdatePatientBody },
  example: { params: DEMO_PATIENT, body: { preferredLanguage: 'en' }, headers: { 'If-Match': '"1"' } },
  responses: {
    200: { description: 'The updated patient', schema: Patient },
    404: problem('No such patient'),
    409: problem('The MRN belongs to another patient'),
    412: problem('The patient changed since you read it'),
    428: problem('If-Match is missing'),
  },
});

export const routes = [createPatient, getPatient, searchPatients, updatePatient];
