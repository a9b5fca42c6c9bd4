// GET /v1/inbox/results
import { httpHandler } from '#shared/http/handler.ts';
import { resultsInbox } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(resultsInbox, (input) => service.inbox(input, input.query));
