// POST /v1/patients/{patientId}/notes/{noteId}/addenda
import { httpHandler } from '#shared/http/handler.ts';
import { addAddendum } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(addAddendum, (input) =>
  service.addAddendum(input, input.params.patientId, input.params.noteId, input.body),
);
