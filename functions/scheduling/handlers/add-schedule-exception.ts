// POST /v1/providers/{providerId}/schedule/exceptions
import { httpHandler } from '#shared/http/handler.ts';
import { addScheduleException } from '../routes.ts';
import { ScheduleService } from '../schedule.ts';

const schedule = new ScheduleService();

export const handler = httpHandler(addScheduleException, (input) =>
  schedule.addException(input, input.params.providerId, input.body, input.expectedVersion),
);
