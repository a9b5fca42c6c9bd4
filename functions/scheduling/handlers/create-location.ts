// POST /v1/locations
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { createLocation } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(createLocation, (input) => catalog.createLocation(input, input.body));
