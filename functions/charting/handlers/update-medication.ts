// PATCH /v1/patients/{patientId}/medications/{medicationId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateMedication } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(updateMedication, (input) =>
  service.updateMedication(
    input,
    input.params.patientId,
    input.params.medicationId,
    input.expectedVersion,
    input.body,
  ),
);
