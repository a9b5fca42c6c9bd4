// GET /v1/appointments/{appointmentId}
import { httpHandler } from '#shared/http/handler.ts';
import { getAppointment } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(getAppointment, (input) =>
  service.get(input, input.params.appointmentId, getAppointment.roles),
);
