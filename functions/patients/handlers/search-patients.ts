// GET /v1/patients
import { httpHandler } from '#shared/http/handler.ts';
import { searchPatients } from '../routes.ts';
import { PatientService } from '../service.ts';

const service = new PatientService();

export const handler = httpHandler(searchPatients, (input) => service.search(input, input.query));
