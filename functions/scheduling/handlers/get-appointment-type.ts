// GET /v1/appointment-types/{appointmentTypeId}
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { getAppointmentType } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(getAppointmentType, (input) =>
  catalog.get('appointment-type', input.params.appointmentTypeId),
);
