// POST /v1/patients/{patientId}/sharing/backfill
import { httpHandler } from '#shared/http/handler.ts';
import { backfillSharing } from '../routes.ts';
import { SharingService } from '../service.ts';

const service = new SharingService();

export const handler = httpHandler(backfillSharing, (input) =>
  service.backfill(input, input.params.patientId),
);
