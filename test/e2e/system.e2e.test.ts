// Health, the OpenAPI document, the docs page, CORS and unknown routes.
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { api, runtime } from '../support/api.ts';

describe('GET /health', () => {
  it('tells the public only whether the API is up: no component, URL or id', async () => {
    const res = await api('GET', '/health', { user: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    const { cognitoIssuer, fhirBaseUrl } = runtime();
    expect(JSON.stringify(res.body)).not.toContain(cognitoIssuer);
    expect(JSON.stringify(res.body)).not.toContain(fhirBaseUrl);
  });
});

describe('GET /v1/health', () => {
  it('names every component with its URL, for an admin', async () => {
    const res = await api('GET', '/v1/health', { user: 'admin' });
    expect(res.status).toBe(200);
    const { dynamoDbUrl, cognitoIssuer, fhirBaseUrl } = runtime();
    expect(res.body).toMatchObject({
      status: 'ok',
      components: {
        dynamodb: { status: 'up', url: dynamoDbUrl },
        cognito: { status: 'up', url: cognitoIssuer },
        fhir: { status: 'up', url: fhirBaseUrl },
      },
    });
  });

  it('is for admins only', async () => {
    expect((await api('GET', '/v1/health', { user: null })).status).toBe(401);
    expect((await api('GET', '/v1/health', { user: 'clinician' })).status).toBe(403);
  });
});

describe('GET /openapi.json', () => {
  it('documents every route in the route table, with its method', async () => {
    const res = await api('GET', '/openapi.json', { user: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = res.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.operationId).toBe(route.operationId);
      expect(operation.security).toEqual(route.auth === 'public' ? [] : [{ cognito: [] }]);
    }
    const documented = Object.values(res.body.paths as Record<string, object>).flatMap((p) => Object.keys(p));
    expect(documented).toHaveLength(routes.length);
  });

  it('lints clean with Redocly’s recommended rules', async () => {
    const res = await api('GET', '/openapi.json', { user: null });
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(res.body),
      absoluteRef: 'openapi.json',
      config,
    });
    const serious = problems.filter((p) => p.severity === 'error' || p.severity === 'warn');
    expect(serious.map((p) => `${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer}`)).toEqual([]);
  });
});

describe('GET /docs', () => {
  it('serves a rendered reference with its scripts from the API itself (no CDN)', async () => {
    const page = await fetch(`${runtime().apiUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('src="docs/swagger-ui-bundle.js"');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(`${runtime().apiUrl}/docs/swagger-ui-bundle.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await script.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${runtime().apiUrl}/docs/nope.js`)).status).toBe(400);
  });

  it('serves the same page at /docs/ (trailing slash), its files resolving beside it', async () => {
    const page = await fetch(`${runtime().apiUrl}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const file = await fetch(new URL(src as string, `${runtime().apiUrl}/docs/`));
      expect(file.status, src).toBe(200);
      expect((await file.arrayBuffer()).byteLength, src).toBeGreaterThan(0);
    }
    expect((await fetch(new URL('docs/init.js', `${runtime().apiUrl}/docs`))).status).toBe(200);
  });
});

describe('gateway behaviour', () => {
  it('answers CORS preflights and adds CORS headers for allowed origins only', async () => {
    const preflight = await fetch(`${runtime().apiUrl}/v1/patients`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const allowed = await api('GET', '/health', { user: null, headers: { Origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await api('GET', '/health', { user: null, headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('404 problem for an unknown path, 405 with Allow for a wrong method', async () => {
    const missing = await api('GET', '/v1/nothing-here', { user: null });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const wrong = await api('DELETE', '/v1/patients', { user: null });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST, GET');
  });
});
