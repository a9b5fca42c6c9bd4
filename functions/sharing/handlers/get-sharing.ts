// GET /v1/patients/{patientId}/sharing
import { httpHandler } from '#shared/http/handler.ts';
import { getSharing } from '../routes.ts';
import { SharingService } from '../service.ts';

const service = new SharingService();

export const handler = httpHandler(getSharing, (input) => service.get(input, input.params.patientId));
