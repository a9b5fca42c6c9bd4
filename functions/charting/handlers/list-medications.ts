// GET /v1/patients/{patientId}/medications
import { httpHandler } from '#shared/http/handler.ts';
import { listMedications } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(listMedications, (input) =>
  service.list(input, 'medication', input.params.patientId, input.query),
);
