// POST /v1/note-templates
import { httpHandler } from '#shared/http/handler.ts';
import { createNoteTemplate } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(createNoteTemplate, (input) => service.createTemplate(input, input.body));
