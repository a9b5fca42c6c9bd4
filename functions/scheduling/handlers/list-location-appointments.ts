// GET /v1/locations/{locationId}/appointments
import { httpHandler } from '#shared/http/handler.ts';
import { locationAppointments } from '../routes.ts';
import { AppointmentViews } from '../views.ts';

const views = new AppointmentViews();

export const handler = httpHandler(locationAppointments, (input) =>
  views.locationAppointments(input, input.params.locationId, input.query.date),
);
