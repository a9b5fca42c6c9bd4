// GET /v1/patients/{patientId}/appointments
import { httpHandler } from '#shared/http/handler.ts';
import { patientAppointments } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(patientAppointments, (input) =>
  service.patientAppointments(input, input.params.patientId),
);
