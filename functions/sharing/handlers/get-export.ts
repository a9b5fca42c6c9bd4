// GET /v1/exports/{exportId}
import { httpHandler } from '#shared/http/handler.ts';
import { getExport as read } from '../exports.ts';
import { getExport } from '../routes.ts';

export const handler = httpHandler(getExport, (input) => read(input, input.params.exportId));
