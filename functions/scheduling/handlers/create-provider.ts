// POST /v1/providers
import { httpHandler } from '#shared/http/handler.ts';
import { createProvider } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(createProvider, (input) => service.createProvider(input, input.body));
