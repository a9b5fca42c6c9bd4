// POST /v1/appointments/{appointmentId}/no-show
import { httpHandler } from '#shared/http/handler.ts';
import { AppointmentLifecycle } from '../lifecycle.ts';
import { noShowAppointment } from '../routes.ts';

const lifecycle = new AppointmentLifecycle();

export const handler = httpHandler(noShowAppointment, (input) =>
  lifecycle.transition(
    input,
    input.params.appointmentId,
    'no-show',
    noShowAppointment.roles,
    input.expectedVersion,
  ),
);
