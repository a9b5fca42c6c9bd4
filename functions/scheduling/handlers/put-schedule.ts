// PUT /v1/providers/{providerId}/schedule
import { httpHandler } from '#shared/http/handler.ts';
import { putSchedule } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(putSchedule, (input) =>
  service.putSchedule(input, input.params.providerId, input.expectedVersion, input.body),
);
