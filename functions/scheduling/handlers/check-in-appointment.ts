// POST /v1/appointments/{appointmentId}/check-in
import { httpHandler } from '#shared/http/handler.ts';
import { AppointmentLifecycle } from '../lifecycle.ts';
import { checkInAppointment } from '../routes.ts';

const lifecycle = new AppointmentLifecycle();

export const handler = httpHandler(checkInAppointment, (input) =>
  lifecycle.transition(
    input,
    input.params.appointmentId,
    'check-in',
    checkInAppointment.roles,
    input.expectedVersion,
  ),
);
