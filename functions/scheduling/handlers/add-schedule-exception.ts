// POST /v1/providers/{providerId}/schedule/exceptions
import { httpHandler } from '#shared/http/handler.ts';
import { addScheduleException } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(addScheduleException, (input) =>
  service.addException(input, input.params.providerId, input.body, input.expectedVersion),
);
