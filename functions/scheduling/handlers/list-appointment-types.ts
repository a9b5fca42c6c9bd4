// GET /v1/appointment-types
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { listAppointmentTypes } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(listAppointmentTypes, (input) =>
  catalog.list(input, 'appointment-type', input.query),
);
