// GET /v1/directory
import { httpHandler } from '#shared/http/handler.ts';
import { searchDirectory } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(searchDirectory, (input) => service.searchDirectory(input, input.query));
