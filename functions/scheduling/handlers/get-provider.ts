// GET /v1/providers/{providerId}
import { httpHandler } from '#shared/http/handler.ts';
import { providerKeys } from '../keys.ts';
import { getProvider } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(getProvider, (input) =>
  service.getCatalogItem(providerKeys.profile(input.params.providerId), 'provider'),
);
