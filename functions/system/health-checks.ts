// Probes each component the API needs (DynamoDB, and where configured Cognito and FHIR), for GET /health (status
// only, public) and GET /v1/health (each component with its URL, admins only).
// HealthLake refuses unsigned requests, so with FHIR_AUTH=sigv4 the FHIR probe is a SigV4-signed capabilities
// read (`healthlake:GetCapabilities` on the datastore); the local FHIR server is probed with a plain GET.
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { notedComponentStatus } from '#shared/component-status.ts';
import { config } from '#shared/config.ts';
import { db, tableName } from '#shared/dynamodb.ts';
import { FhirClient } from '#shared/fhir-client.ts';

/** `restarting`: down while the local runtime restarts it (shared/component-status.ts). */
export type ComponentStatus = 'up' | 'down' | 'restarting';

export interface HealthChecks {
  up: boolean;
  /** Component → status and URL. The URLs carry the user pool and datastore ids: never for the public. */
  components: Record<string, { status: ComponentStatus; url: string }>;
}

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
    ]);
    return 'up';
  } catch {
    return 'down';
  }
}

async function httpOk(url: string): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`status ${response.status}`);
}

/** One signing client per container (its credentials provider caches the role's credentials). */
let signedFhir: FhirClient | undefined;

async function signedCapabilitiesOk(baseUrl: string, region: string): Promise<void> {
  if (signedFhir?.baseUrl !== baseUrl.replace(/\/$/, '')) {
    signedFhir = new FhirClient({ baseUrl, auth: 'sigv4', region, timeoutMs: 2000 });
  }
  const { status } = await signedFhir.request('GET', 'metadata');
  if (status !== 200) throw new Error(`status ${status}`);
}

/**
 * DynamoDB is probed with DescribeTable, the one table action the health functions hold: they can read no
 * item (tableAccess 'describe' in the route table).
 */
export async function checkHealth(): Promise<HealthChecks> {
  const { DYNAMODB_ENDPOINT, COGNITO_ISSUER, FHIR_BASE_URL, FHIR_AUTH, AWS_REGION } = config();
  const components: HealthChecks['components'] = {};
  const checks: Promise<void>[] = [];
  const add = (name: string, url: string, check: () => Promise<unknown>) =>
    checks.push(
      probe(check).then((status) => {
        components[name] = {
          status: status === 'down' ? (notedComponentStatus(name) ?? 'down') : status,
          url,
        };
      }),
    );
  add('dynamodb', DYNAMODB_ENDPOINT ?? `dynamodb.${AWS_REGION}`, () =>
    db().send(new DescribeTableCommand({ TableName: tableName() })),
  );
  if (COGNITO_ISSUER) add('cognito', COGNITO_ISSUER, () => httpOk(`${COGNITO_ISSUER}/.well-known/jwks.json`));
  if (FHIR_BASE_URL) {
    add('fhir', FHIR_BASE_URL, () =>
      FHIR_AUTH === 'sigv4'
        ? signedCapabilitiesOk(FHIR_BASE_URL, AWS_REGION)
        : httpOk(`${FHIR_BASE_URL}/metadata`),
    );
  }
  await Promise.all(checks);
  return { up: Object.values(components).every((c) => c.status === 'up'), components };
}
