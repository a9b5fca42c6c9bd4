// POST /v1/remittances
import { httpHandler } from '#shared/http/handler.ts';
import { ingestRemittance } from '../remittance-routes.ts';
import { ingestion } from '../services.ts';

export const handler = httpHandler(ingestRemittance, (input) => ingestion().ingest(input, input.body, 'api'));
