// PUT /v1/patients/{patientId}/sharing
import { httpHandler } from '#shared/http/handler.ts';
import { putSharing } from '../routes.ts';
import { SharingService } from '../service.ts';

const service = new SharingService();

export const handler = httpHandler(putSharing, (input) =>
  service.put(input, input.params.patientId, input.expectedVersion, input.body),
);
