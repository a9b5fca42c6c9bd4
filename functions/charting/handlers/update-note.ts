// PATCH /v1/patients/{patientId}/notes/{noteId}
import { httpHandler } from '#shared/http/handler.ts';
import { expectedVersion } from '../if-match.ts';
import { updateNote } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(updateNote, (input) =>
  service.updateNote(input, input.params.patientId, input.params.noteId, expectedVersion(input), input.body),
);
