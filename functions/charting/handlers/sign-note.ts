// POST /v1/patients/{patientId}/notes/{noteId}/sign
import { httpHandler } from '#shared/http/handler.ts';
import { signNote } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(signNote, (input) =>
  service.signNote(input, input.params.patientId, input.params.noteId, input.expectedVersion),
);
