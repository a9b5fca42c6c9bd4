// POST /v1/patients/{patientId}/notes
import { httpHandler } from '#shared/http/handler.ts';
import { createNote } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(createNote, (input) =>
  service.createNote(input, input.params.patientId, input.body),
);
