// PATCH /v1/patients/{patientId}/notes/{noteId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateNote } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(updateNote, (input) =>
  service.updateNote(input, input.params.patientId, input.params.noteId, input.expectedVersion, input.body),
);
