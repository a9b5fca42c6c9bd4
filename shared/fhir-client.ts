// A small FHIR R4 REST client for the exchange: HealthLake's data plane (HTTPS signed with SigV4, service
// `healthlake`) in AWS, the local FHIR server (plain HTTP) on one machine.
// HealthLake data plane: https://docs.aws.amazon.com/healthlake/latest/devguide/crud-healthlake.html
// FHIR REST: https://hl7.org/fhir/R4/http.html
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Provider } from '@smithy/types';

/** The tag every mirrored resource carries with its record's version, so stale writes can be skipped. */
export const SOURCE_VERSION_SYSTEM = 'urn:continuum:source-version';

export type FhirResource = { resourceType: string; id?: string; meta?: Record<string, unknown> } & Record<
  string,
  unknown
>;

export interface FhirBundle {
  resourceType: 'Bundle';
  type: string;
  entry?: {
    fullUrl?: string;
    resource?: FhirResource;
    request?: { method: string; url: string; ifMatch?: string; ifNoneExist?: string };
    response?: { status: string; etag?: string; outcome?: FhirResource };
  }[];
  total?: number;
  link?: { relation: string; url: string }[];
}

/** A FHIR server answered with an error status. 429 and 5xx are worth retrying; other 4xx are not. */
export class FhirHttpError extends Error {
  readonly status: number;
  constructor(status: number, what: string) {
    super(`FHIR server answered ${status} to ${what}`);
    this.status = status;
  }
  get retryable(): boolean {
    return isRetryable(this.status);
  }
}

export function isRetryable(status: number): boolean {
  return status === 429 || status >= 500 || status === 0;
}

export interface FhirClientOptions {
  baseUrl: string;
  /** `sigv4` signs every request for HealthLake; `none` for the local server. */
  auth: 'sigv4' | 'none';
  region?: string;
  credentials?: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  timeoutMs?: number;
}

export class FhirClient {
  readonly baseUrl: string;
  private readonly signer: SignatureV4 | undefined;
  private readonly timeoutMs: number;

  constructor(options: FhirClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.signer =
      options.auth === 'sigv4'
        ? new SignatureV4({
            service: 'healthlake',
            region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
            credentials: options.credentials ?? defaultProvider(),
            sha256: Sha256,
          })
        : undefined;
  }

  /** Sends one request; resolves with the status and parsed body (errors included, so callers can decide). */
  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: FhirResource | undefined; headers: Headers }> {
    const url = new URL(`${this.baseUrl}/${path.replace(/^\//, '')}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let allHeaders: Record<string, string> = {
      accept: 'application/fhir+json',
      host: url.host,
      ...(payload !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
      ...headers,
    };
    if (this.signer) {
      const signed = await this.signer.sign(
        new HttpRequest({
          method,
          protocol: url.protocol,
          hostname: url.hostname,
          ...(url.port ? { port: Number(url.port) } : {}),
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: allHeaders,
          ...(payload !== undefined ? { body: payload } : {}),
        }),
      );
      allHeaders = signed.headers as Record<string, string>;
    }
    const { host: _host, ...sendHeaders } = allHeaders;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: sendHeaders,
        ...(payload !== undefined ? { body: payload } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      // Connection refused, reset or timed out: as retryable as a 503.
      return { status: 0, body: undefined, headers: new Headers() };
    }
    const text = await response.text();
    let parsed: FhirResource | undefined;
    try {
      parsed = text ? (JSON.parse(text) as FhirResource) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** POST [base] with a batch or transaction Bundle. Throws FhirHttpError when the bundle itself fails. */
  async batch(bundle: FhirBundle): Promise<FhirBundle> {
    const res = await this.request('POST', '', bundle);
    if (res.status !== 200 || res.body?.resourceType !== 'Bundle')
      throw new FhirHttpError(res.status, 'a batch');
    return res.body as unknown as FhirBundle;
  }

  /** GET [base]/<type>?params, following `next` links up to `maxPages`. */
  async search(type: string, params: Record<string, string>, maxPages = 20): Promise<FhirResource[]> {
    const out: FhirResource[] = [];
    let path: string | undefined = `${type}?${new URLSearchParams({ _count: '100', ...params })}`;
    for (let page = 0; path && page < maxPages; page++) {
      const res = await this.request('GET', path);
      if (res.status !== 200) throw new FhirHttpError(res.status, `a ${type} search`);
      const bundle = res.body as unknown as FhirBundle;
      out.push(...(bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      path = next ? next.slice(next.indexOf(type)) : undefined;
    }
    return out;
  }
}
