// GET /v1/locations
import { httpHandler } from '#shared/http/handler.ts';
import { locationKeys } from '../keys.ts';
import { listLocations } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(listLocations, (input) =>
  service.listCatalog(input, locationKeys.byName.pk, input.query),
);
