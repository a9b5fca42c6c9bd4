// GET /v1/patients/{patientId}/notes/{noteId}
import { httpHandler } from '#shared/http/handler.ts';
import { getNote } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getNote, (input) =>
  service.read(input, 'note', input.params.patientId, input.params.noteId),
);
