// PATCH /v1/patients/{patientId}
import { httpHandler } from '#shared/http/handler.ts';
import { updatePatient } from '../routes.ts';
import { PatientService } from '../service.ts';

const service = new PatientService();

export const handler = httpHandler(updatePatient, (input) =>
  service.update(input, input.params.patientId, input.expectedVersion, input.body),
);
