// POST /v1/appointment-holds
import { httpHandler } from '#shared/http/handler.ts';
import { createHold } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(createHold, (input) => service.hold(input, input.body, createHold.roles));
