// PUT /v1/providers/{providerId}/schedule
import { httpHandler } from '#shared/http/handler.ts';
import { putSchedule } from '../routes.ts';
import { ScheduleService } from '../schedule.ts';

const schedule = new ScheduleService();

export const handler = httpHandler(putSchedule, (input) =>
  schedule.putSchedule(input, input.params.providerId, input.expectedVersion, input.body),
);
