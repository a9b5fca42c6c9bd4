// POST /v1/locations
import { httpHandler } from '#shared/http/handler.ts';
import { createLocation } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(createLocation, (input) => service.createLocation(input, input.body));
