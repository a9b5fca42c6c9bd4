// GET /v1/locations/{locationId}
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { getLocation } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(getLocation, (input) => catalog.get('location', input.params.locationId));
