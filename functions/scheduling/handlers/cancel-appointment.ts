// POST /v1/appointments/{appointmentId}/cancel
import { httpHandler } from '#shared/http/handler.ts';
import { cancelAppointment } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(cancelAppointment, (input) =>
  service.cancel(
    input,
    input.params.appointmentId,
    input.body.reason,
    cancelAppointment.roles,
    input.expectedVersion,
  ),
);
