// GET /v1/directory/{entryId}
import { httpHandler } from '#shared/http/handler.ts';
import { getDirectoryEntry } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(getDirectoryEntry, (input) =>
  service.getDirectoryEntry(input, input.params.entryId),
);
