// GET /v1/patients/{patientId}/medications/{medicationId}
import { httpHandler } from '#shared/http/handler.ts';
import { getMedication } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getMedication, (input) =>
  service.read(input, 'medication', input.params.patientId, input.params.medicationId),
);
