// GET /v1/patients/{patientId}/appointments
import { httpHandler } from '#shared/http/handler.ts';
import { patientAppointments } from '../routes.ts';
import { AppointmentViews } from '../views.ts';

const views = new AppointmentViews();

export const handler = httpHandler(patientAppointments, (input) =>
  views.patientAppointments(input, input.params.patientId),
);
