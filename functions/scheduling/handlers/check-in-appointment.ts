// POST /v1/appointments/{appointmentId}/check-in
import { httpHandler } from '#shared/http/handler.ts';
import { checkInAppointment } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(checkInAppointment, (input) =>
  service.transition(
    input,
    input.params.appointmentId,
    'check-in',
    checkInAppointment.roles,
    input.expectedVersion,
  ),
);
