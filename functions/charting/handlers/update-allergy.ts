// PATCH /v1/patients/{patientId}/allergies/{allergyId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateAllergy } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(updateAllergy, (input) =>
  service.updateAllergy(
    input,
    input.params.patientId,
    input.params.allergyId,
    input.expectedVersion,
    input.body,
  ),
);
