// GET /v1/appointment-types/{appointmentTypeId}
import { httpHandler } from '#shared/http/handler.ts';
import { appointmentTypeKeys } from '../keys.ts';
import { getAppointmentType } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(getAppointmentType, (input) =>
  service.getCatalogItem(appointmentTypeKeys.item(input.params.appointmentTypeId), 'appointment type'),
);
