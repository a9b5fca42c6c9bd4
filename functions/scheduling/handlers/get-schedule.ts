// GET /v1/providers/{providerId}/schedule
import { httpHandler } from '#shared/http/handler.ts';
import { getSchedule } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(getSchedule, (input) => service.getSchedule(input.params.providerId));
