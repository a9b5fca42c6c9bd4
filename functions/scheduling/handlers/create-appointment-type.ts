// POST /v1/appointment-types
import { httpHandler } from '#shared/http/handler.ts';
import { createAppointmentType } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(createAppointmentType, (input) =>
  service.createAppointmentType(input, input.body),
);
