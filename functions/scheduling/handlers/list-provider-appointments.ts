// GET /v1/providers/{providerId}/appointments
import { httpHandler } from '#shared/http/handler.ts';
import { providerAppointments } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(providerAppointments, (input) =>
  service.providerAppointments(input, input.params.providerId, input.query),
);
