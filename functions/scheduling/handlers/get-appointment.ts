// GET /v1/appointments/{appointmentId}
import { httpHandler } from '#shared/http/handler.ts';
import { getAppointment } from '../routes.ts';
import { AppointmentViews } from '../views.ts';

const views = new AppointmentViews();

export const handler = httpHandler(getAppointment, (input) =>
  views.get(input, input.params.appointmentId, getAppointment.roles),
);
