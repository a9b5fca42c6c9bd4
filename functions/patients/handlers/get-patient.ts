// GET /v1/patients/{patientId}
import { httpHandler } from '#shared/http/handler.ts';
import { getPatient } from '../routes.ts';
import { PatientService } from '../service.ts';

const service = new PatientService();

export const handler = httpHandler(getPatient, (input) => service.read(input, input.params.patientId));
