// POST /v1/patients/{patientId}/notes/{noteId}/sign
import { chargePrompts } from '#functions/billing/index.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { signNote } from '../routes.ts';
import { ChartingService } from '../service.ts';

// Billing's documentation prompts ride on the sign answer (charting's service asks through this port).
const service = new ChartingService(undefined, (patientId, encounterId) =>
  chargePrompts(patientId, encounterId),
);

export const handler = httpHandler(signNote, (input) =>
  service.signNote(input, input.params.patientId, input.params.noteId, input.expectedVersion),
);
