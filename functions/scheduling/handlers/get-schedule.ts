// GET /v1/providers/{providerId}/schedule
import { httpHandler } from '#shared/http/handler.ts';
import { getSchedule } from '../routes.ts';
import { ScheduleService } from '../schedule.ts';

const schedule = new ScheduleService();

export const handler = httpHandler(getSchedule, (input) => schedule.getSchedule(input.params.providerId));
