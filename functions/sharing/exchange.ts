// The exchange's wiring: one FHIR client and one mirror per container, built from configuration on first use.
import { config } from '#shared/config.ts';
import { FhirClient } from '#shared/fhir-client.ts';
import { Mirror } from './mirror.ts';
import { DynamoSharingStore } from './store.ts';

let client: FhirClient | undefined;
let mirror: Mirror | undefined;

export function fhirClient(): FhirClient {
  const { FHIR_BASE_URL, FHIR_AUTH, AWS_REGION } = config();
  if (!FHIR_BASE_URL) throw new Error('FHIR_BASE_URL is not configured');
  client ??= new FhirClient({ baseUrl: FHIR_BASE_URL, auth: FHIR_AUTH, region: AWS_REGION });
  return client;
}

export function theMirror(): Mirror {
  mirror ??= new Mirror(fhirClient(), new DynamoSharingStore());
  return mirror;
}

/** Tests and the local runtime re-point the exchange when its configuration changes. */
export function resetExchange(): void {
  client = undefined;
  mirror = undefined;
}
