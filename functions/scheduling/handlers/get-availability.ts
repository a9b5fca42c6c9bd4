// GET /v1/availability
import { httpHandler } from '#shared/http/handler.ts';
import { getAvailability } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(getAvailability, (input) => service.availability(input, input.query));
