// POST /v1/appointments/{appointmentId}/reschedule
import { httpHandler } from '#shared/http/handler.ts';
import { rescheduleAppointment } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(rescheduleAppointment, (input) =>
  service.reschedule(
    input,
    input.params.appointmentId,
    input.body,
    rescheduleAppointment.roles,
    input.expectedVersion,
  ),
);
