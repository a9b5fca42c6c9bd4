// POST /v1/appointments/{appointmentId}/complete
import { httpHandler } from '#shared/http/handler.ts';
import { AppointmentLifecycle } from '../lifecycle.ts';
import { completeAppointment } from '../routes.ts';

const lifecycle = new AppointmentLifecycle();

export const handler = httpHandler(completeAppointment, (input) =>
  lifecycle.transition(
    input,
    input.params.appointmentId,
    'complete',
    completeAppointment.roles,
    input.expectedVersion,
  ),
);
