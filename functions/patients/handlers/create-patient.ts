// POST /v1/patients
import { httpHandler } from '#shared/http/handler.ts';
import { createPatient } from '../routes.ts';
import { PatientService } from '../service.ts';

const service = new PatientService();

export const handler = httpHandler(createPatient, (input) => service.create(input, input.body));
