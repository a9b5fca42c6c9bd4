// GET /v1/appointment-types
import { httpHandler } from '#shared/http/handler.ts';
import { appointmentTypeKeys } from '../keys.ts';
import { listAppointmentTypes } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(listAppointmentTypes, (input) =>
  service.listCatalog(input, appointmentTypeKeys.byName.pk, input.query),
);
