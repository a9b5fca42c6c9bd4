// GET /v1/providers
import { httpHandler } from '#shared/http/handler.ts';
import { providerKeys } from '../keys.ts';
import { listProviders } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(listProviders, (input) =>
  service.listCatalog(input, providerKeys.byName.pk, input.query),
);
