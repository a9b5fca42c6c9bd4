// POST /v1/appointments/{appointmentId}/cancel
import { httpHandler } from '#shared/http/handler.ts';
import { AppointmentLifecycle } from '../lifecycle.ts';
import { cancelAppointment } from '../routes.ts';

const lifecycle = new AppointmentLifecycle();

export const handler = httpHandler(cancelAppointment, (input) =>
  lifecycle.cancel(
    input,
    input.params.appointmentId,
    input.body.reason,
    cancelAppointment.roles,
    input.expectedVersion,
  ),
);
