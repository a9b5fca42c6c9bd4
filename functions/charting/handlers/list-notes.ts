// GET /v1/patients/{patientId}/notes
import { httpHandler } from '#shared/http/handler.ts';
import { listNotes } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(listNotes, (input) =>
  service.list(input, 'note', input.params.patientId, input.query),
);
