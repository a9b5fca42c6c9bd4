// GET /v1/patients/{patientId}/vitals/{vitalsId}
import { httpHandler } from '#shared/http/handler.ts';
import { getVitals } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getVitals, (input) =>
  service.read(input, 'vitals', input.params.patientId, input.params.vitalsId),
);
