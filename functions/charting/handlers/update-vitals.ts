// PATCH /v1/patients/{patientId}/vitals/{vitalsId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateVitals } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(updateVitals, (input) =>
  service.updateVitals(
    input,
    input.params.patientId,
    input.params.vitalsId,
    input.expectedVersion,
    input.body,
  ),
);
