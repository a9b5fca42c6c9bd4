// SigV4 against a loopback server that recomputes the signature with the same made-up credentials, as
// HealthLake does: the mirror's requests are accepted, a tampered one is refused.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirClient } from './fhir-client.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const verifier = new SignatureV4({ service: 'healthlake', region: 'us-east-1', credentials, sha256: Sha256 });

let server: Server;
let baseUrl = '';
const seen: { headers: Record<string, string>; body: string; path: string; accepted: boolean }[] = [];

async function verify(req: IncomingMessage, body: string): Promise<boolean> {
  const authorization = String(req.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!signedHeaders.includes('host') || !amzDate) return false;
  // The payload hash is the body's, whatever a header claims.
  const claimed = req.headers['x-amz-content-sha256'];
  if (claimed && claimed !== createHash('sha256').update(body).digest('hex')) return false;
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const headers = Object.fromEntries(signedHeaders.map((h) => [h, String(req.headers[h] ?? '')]));
  const date = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const recomputed = await verifier.sign(
    new HttpRequest({
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(body ? { body } : {}),
    }),
    { signingDate: date },
  );
  return recomputed.headers.authorization === authorization;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const accepted = await verify(req, body);
    seen.push({ headers: req.headers as Record<string, string>, body, path: req.url ?? '', accepted });
    res.writeHead(accepted ? 200 : 403, { 'Content-Type': 'application/fhir+json' });
    res.end(
      JSON.stringify(
        accepted
          ? { resourceType: 'Bundle', type: 'batch-response', entry: [] }
          : { message: 'Signature mismatch' },
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/datastore/abc/r4`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('SigV4 signing for HealthLake', () => {
  it('signs GETs with queries and POSTs with bodies so the server’s recomputed signature matches', async () => {
    const client = new FhirClient({ baseUrl, auth: 'sigv4', region: 'us-east-1', credentials });
    const bundle = await client.batch({
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ request: { method: 'GET', url: 'Patient/x' } }],
    });
    expect(bundle.type).toBe('batch-response');
    const search = await client.request('GET', 'Patient?family=Garc%C3%ADa&birthdate=1984-07-02');
    expect(search.status).toBe(200);
    expect(seen.every((s) => s.accepted)).toBe(true);
    expect(seen[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/healthlake\/aws4_request/,
    );
  });

  it('a tampered request (same signature, another body) is refused', async () => {
    const signed = seen.find((s) => s.body.length > 0);
    if (!signed) throw new Error('no signed POST seen');
    const { host: _host, 'content-length': _length, connection: _c, ...headers } = signed.headers;
    const tampered = await fetch(`${new URL(baseUrl).origin}${signed.path}`, {
      method: 'POST',
      headers,
      body: signed.body.replace('Patient/x', 'Patient/y'),
    });
    expect(tampered.status).toBe(403);
  });

  it('an unsigned client is refused', async () => {
    const client = new FhirClient({ baseUrl, auth: 'none' });
    expect((await client.request('GET', 'metadata')).status).toBe(403);
  });
});
