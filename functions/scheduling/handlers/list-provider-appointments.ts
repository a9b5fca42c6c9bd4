// GET /v1/providers/{providerId}/appointments
import { httpHandler } from '#shared/http/handler.ts';
import { providerAppointments } from '../routes.ts';
import { AppointmentViews } from '../views.ts';

const views = new AppointmentViews();

export const handler = httpHandler(providerAppointments, (input) =>
  views.providerAppointments(input, input.params.providerId, input.query),
);
