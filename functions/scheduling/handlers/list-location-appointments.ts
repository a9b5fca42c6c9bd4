// GET /v1/locations/{locationId}/appointments
import { httpHandler } from '#shared/http/handler.ts';
import { locationAppointments } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(locationAppointments, (input) =>
  service.locationAppointments(input, input.params.locationId, input.query.date),
);
