// GET /v1/denials
import { httpHandler } from '#shared/http/handler.ts';
import { listDenials } from '../remittance-routes.ts';
import { denials } from '../services.ts';

export const handler = httpHandler(listDenials, (input) => denials().queue(input, input.query));
