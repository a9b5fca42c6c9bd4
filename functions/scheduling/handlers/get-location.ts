// GET /v1/locations/{locationId}
import { httpHandler } from '#shared/http/handler.ts';
import { locationKeys } from '../keys.ts';
import { getLocation } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(getLocation, (input) =>
  service.getCatalogItem(locationKeys.item(input.params.locationId), 'location'),
);
