// PUT /v1/directory/{entryId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateDirectoryEntry } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(updateDirectoryEntry, (input) =>
  service.updateDirectoryEntry(input, input.params.entryId, input.expectedVersion, input.body),
);
