// POST /v1/appointment-types
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { createAppointmentType } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(createAppointmentType, (input) =>
  catalog.createAppointmentType(input, input.body),
);
