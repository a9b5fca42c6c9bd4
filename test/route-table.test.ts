// The route table is the single source of truth: every route has a handler that exists, a sample event in
// events/ that matches it, and sane auth settings.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from '../functions/routes.ts';
import { apiTable, TABLE_END, TABLE_START } from '../infra/local/readme-api-table.ts';
import { sampleEvent } from '../infra/local/write-events.ts';
import { openApiDocument } from '../infra/local/write-openapi.ts';

const root = join(import.meta.dirname, '..');

describe('the route table', () => {
  it('has unique operation ids and unique method + path pairs', () => {
    expect(new Set(routes.map((r) => r.operationId)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(routes.length);
  });

  it('points every route at a handler file that exists', () => {
    for (const route of routes) expect(existsSync(join(root, route.handler)), route.handler).toBe(true);
  });

  it('keeps only health, the OpenAPI document and the docs public; every other route names roles', () => {
    const publicPaths = routes.filter((r) => r.auth === 'public').map((r) => r.path);
    expect(publicPaths.sort()).toEqual(['/docs', '/docs/{asset}', '/health', '/openapi.json']);
    for (const route of routes.filter((r) => r.auth === 'cognito'))
      expect(route.roles.length).toBeGreaterThan(0);
  });

  it('has an up-to-date sample event in events/ for every route (npm run events rewrites them)', () => {
    for (const route of routes) {
      const file = join(root, 'events', `${route.operationId}.json`);
      expect(existsSync(file), file).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(sampleEvent(route))));
    }
  });

  it('requires If-Match on every PATCH and PUT, and Idempotency-Key support on every POST that creates', () => {
    for (const route of routes) {
      if (route.method === 'PATCH' || route.method === 'PUT')
        expect(route.requiresIfMatch, route.operationId).toBe(true);
      if (route.method === 'POST') expect(route.idempotent, route.operationId).toBe(true);
    }
  });

  it('matches the committed docs/openapi.json (npm run openapi rewrites it)', () => {
    const committed = JSON.parse(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});

describe('the reference', () => {
  it('README.md’s API table is the generated one, and lists every operation (npm run openapi rewrites it)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start, 'README.md has the API table markers').toBeGreaterThanOrEqual(0);
    const committed = readme.slice(start, end + TABLE_END.length);
    expect(committed).toBe(apiTable(routes));
    for (const route of routes) expect(committed).toContain(`\`${route.operationId}\``);
  });

  const document = openApiDocument() as {
    paths: Record<string, Record<string, { description: string; responses: Record<string, any> }>>;
  };
  const operation = (route: (typeof routes)[number]) =>
    document.paths[route.path]?.[route.method.toLowerCase()] as {
      description: string;
      requestBody?: { content: Record<string, { example?: unknown }> };
      responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
    };

  it('describes every operation: what it does, who may call it, and its errors', () => {
    for (const route of routes) {
      const { description } = operation(route);
      expect(route.description.length, route.operationId).toBeGreaterThan(20);
      expect(description, route.operationId).toContain(route.description);
      expect(description, route.operationId).toMatch(/\*\*Who may call it:\*\* \S/);
      expect(description, route.operationId).toMatch(/\*\*Errors:\*\* `\d{3}` /);
    }
  });

  it('says the object-level rule wherever a patient user may call a route', () => {
    for (const route of routes.filter((r) => r.roles.includes('patient'))) {
      expect(route.audit?.patientIdParam ?? route.access, route.operationId).toBeTruthy();
      expect(operation(route).description, route.operationId).toMatch(/`patient` user/);
    }
  });

  it('publishes every route’s request example, and a response example that its schema accepts', () => {
    for (const route of routes) {
      const op = operation(route);
      if (route.request.body)
        expect(
          op.requestBody?.content[route.request.bodyContentType ?? 'application/json']?.example,
          route.operationId,
        ).toEqual(route.example.body);
      for (const [status, response] of Object.entries(route.responses)) {
        if (Number(status) >= 300 || !response.schema) continue;
        const media = Object.values(op.responses[status]?.content ?? {})[0];
        expect(media?.example, `${route.operationId} ${status}`).toBeDefined();
        const parsed = response.schema.safeParse(media?.example);
        expect(parsed.error?.issues ?? [], `${route.operationId} ${status}`).toEqual([]);
      }
    }
  });
});
