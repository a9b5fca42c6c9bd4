// POST /v1/directory
import { httpHandler } from '#shared/http/handler.ts';
import { createDirectoryEntry } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(createDirectoryEntry, (input) =>
  service.createDirectoryEntry(input, input.body),
);
