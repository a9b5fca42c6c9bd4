// POST /v1/exports
import { httpHandler } from '#shared/http/handler.ts';
import { startExport as start } from '../exports.ts';
import { startExport } from '../routes.ts';

export const handler = httpHandler(startExport, (input) => start(input));
