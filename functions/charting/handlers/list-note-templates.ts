// GET /v1/note-templates
import { httpHandler } from '#shared/http/handler.ts';
import { listNoteTemplates } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(listNoteTemplates, () => service.listTemplates());
