// Generated bad input for every operation with a body or a query, through a local gateway with real tokens: each
// route's zod schema decides what is bad (only inputs it rejects are sent), its example is the valid starting
// point. Every answer is a 4xx problem+json naming the field; none is a 5xx; nothing is written (the gateway's
// handlers use a table of their own, which must still be empty at the end).
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { routes } from '../functions/routes.ts';
import { ensureTable, localClient } from '../infra/local/dynamodb-local.ts';
import type { Gateway } from '../infra/local/gateway.ts';
import { resetConfig } from '../shared/config.ts';
import { resetDb } from '../shared/dynamodb.ts';
import type { AnyRoute } from '../shared/http/route.ts';
import { runtime, tokenFor } from './support/api.ts';
import { startInProcessGateway, useLocalTable } from './support/local-env.ts';

/** Inputs per operation: 51 operations × 10 ≈ 500 requests, about 10 s on a busy 2-core machine. */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 10);

type Path = (string | number)[];
type Part = 'body' | 'query';
interface Mutation {
  part: Part;
  /** What the input becomes. */
  input: unknown;
  /** The field the problem must name (or a parent or child of it). */
  field: string;
}

const fuzzTable = `continuum-fuzz-${randomUUID().slice(0, 8)}`;
let gateway: Gateway;

beforeAll(async () => {
  useLocalTable();
  await ensureTable(runtime().dynamoDbUrl, fuzzTable);
  Object.assign(process.env, { TABLE_NAME: fuzzTable });
  resetConfig();
  resetDb();
  gateway = await startInProcessGateway();
});

afterAll(async () => {
  await gateway?.stop();
  const client = localClient(runtime().dynamoDbUrl);
  await client.send(new DeleteTableCommand({ TableName: fuzzTable })).catch(() => {});
  client.destroy();
});

const clone = <T>(value: T): T => structuredClone(value);

function get(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);
}

function set(value: unknown, path: Path, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const copy = clone(value) as Record<string | number, unknown>;
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1] as string] = leaf;
  return copy;
}

function remove(value: unknown, path: Path): unknown {
  const copy = clone(value) as Record<string | number, unknown>;
  const parent = get(copy, path.slice(0, -1));
  if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 1);
  else delete (parent as Record<string, unknown>)[path[path.length - 1] as string];
  return copy;
}

/** Every path inside a JSON value (objects' keys, arrays' items), and which of them hold objects. */
function pathsOf(value: unknown, at: Path = []): { all: Path[]; objects: Path[] } {
  const all: Path[] = [];
  const objects: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      all.push([...at, i]);
      const inner = pathsOf(item, [...at, i]);
      all.push(...inner.all);
      objects.push(...inner.objects);
    });
  } else if (value && typeof value === 'object') {
    objects.push(at);
    for (const [key, item] of Object.entries(value)) {
      all.push([...at, key]);
      const inner = pathsOf(item, [...at, key]);
      all.push(...inner.all);
      objects.push(...inner.objects);
    }
  }
  return { all, objects };
}

/** Top-level fields the schema knows (optional ones too), from its JSON Schema. */
function schemaFields(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: object };
  return Object.keys(json.properties ?? {});
}

const awkwardStrings = [
  '',
  ' ',
  '0x10',
  '1e2',
  ' 10',
  '+10',
  '-1',
  '10.5',
  '2023-02-30',
  '24:61',
  'Maria Garcia',
  'null',
  '<script>',
  'x'.repeat(3000),
];
const badJson = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e21, [], {}, [1, 2], { a: 1 }, ...awkwardStrings),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const badQueryValue = fc.oneof(fc.constantFrom(...awkwardStrings), fc.string({ maxLength: 40 }));
const unknownKey = fc.oneof(
  fc.constantFrom('extra', 'id', 'version', 'createdAt', 'updatedBy', 'Maria Garcia'),
  fc.stringMatching(/^[a-z][a-zA-Z]{0,11}$/),
);

const join = (part: Part, path: Path) => [part, ...path.map(String)].join('.');

/** Bad variations of the route's example body or query: wrong values, unknown keys, missing fields. */
function mutations(part: Part, base: Record<string, unknown>, schema: z.ZodType): fc.Arbitrary<Mutation> {
  const { all, objects } = pathsOf(base);
  const known = [
    ...new Map([...all, ...schemaFields(schema).map((k) => [k])].map((p) => [p.join('.'), p])).values(),
  ];
  const value = part === 'query' ? badQueryValue : badJson;
  const options: fc.Arbitrary<Mutation>[] = [
    fc
      .record({ at: fc.constantFrom(...objects), key: unknownKey, leaf: value })
      .filter(({ at, key }) => get(base, [...at, key]) === undefined)
      .map(({ at, key, leaf }) => ({
        part,
        input: set(base, [...at, key], leaf),
        field: join(part, [...at, key]),
      })),
  ];
  if (known.length > 0) {
    options.push(
      fc
        .record({ path: fc.constantFrom(...known), leaf: value })
        .map(({ path, leaf }) => ({ part, input: set(base, path, leaf), field: join(part, path) })),
    );
  }
  if (all.length > 0) {
    options.push(
      fc.constantFrom(...all).map((path) => ({ part, input: remove(base, path), field: join(part, path) })),
    );
  }
  if (part === 'body') {
    options.push(
      fc.constantFrom<unknown>([], 'text', 42, null).map((input) => ({ part, input, field: 'body' })),
    );
  }
  return fc.oneof(...options);
}

function staffRole(route: AnyRoute): string {
  const role = route.roles.find((r) => r !== 'patient');
  if (!role) throw new Error(`${route.operationId} has no staff role to fuzz with`);
  return role;
}

function pathOf(route: AnyRoute): string {
  const params = route.example?.params ?? {};
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`${route.operationId}: the example has no ${name}`);
    return encodeURIComponent(value);
  });
}

async function send(route: AnyRoute, m: Mutation) {
  const example = route.example ?? {};
  const query = new URLSearchParams();
  const queryInput = (m.part === 'query' ? m.input : example.query) as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(queryInput ?? {})) {
    if (v !== undefined) query.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const body = m.part === 'body' ? m.input : example.body;
  const qs = query.toString();
  const res = await fetch(`${gateway.url}${pathOf(route)}${qs ? `?${qs}` : ''}`, {
    method: route.method,
    headers: {
      Authorization: `Bearer ${await tokenFor(staffRole(route))}`,
      ...(route.request.body ? { 'Content-Type': 'application/json' } : {}),
      ...(route.requiresIfMatch ? { 'If-Match': '"1"' } : {}),
      ...(route.idempotent ? { 'Idempotency-Key': `fuzz-${randomUUID()}` } : {}),
    },
    ...(route.request.body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text };
}

/** `named` is the field, or a part of it (a union or an object rule reports at the parent), or inside it. */
function names(named: string, field: string): boolean {
  return named === field || named.startsWith(`${field}.`) || field.startsWith(`${named}.`);
}

// A route whose body is not JSON (`bodyContentType`: an X12 file) is not fuzzed with JSON mutations: its own tests
// send it malformed, unbalanced and unmatched files (test/remittances.int.test.ts).
const jsonBody = (r: (typeof routes)[number]) => (r.request.bodyContentType ? undefined : r.request.body);
const fuzzed = routes.filter((r) => r.auth === 'cognito' && (jsonBody(r) || r.request.query));

describe('bad input for every operation with a body or query', () => {
  it('covers every such operation in the route table', () => {
    expect(fuzzed.length).toBeGreaterThanOrEqual(50);
    for (const route of fuzzed) {
      const parts = [jsonBody(route), route.request.query].filter(Boolean) as z.ZodType[];
      for (const schema of parts) {
        const base = schema === route.request.body ? route.example?.body : (route.example?.query ?? {});
        expect(schema.safeParse(base).success, `${route.operationId}'s example is valid`).toBe(true);
      }
    }
  });

  it.each(fuzzed.map((r) => [r.operationId, r] as const))(
    '%s: 4xx problem+json naming the field',
    async (_id, route) => {
      const arbitraries: fc.Arbitrary<Mutation>[] = [];
      if (jsonBody(route)) {
        arbitraries.push(
          mutations('body', route.example?.body as Record<string, unknown>, route.request.body),
        );
      }
      if (route.request.query) {
        arbitraries.push(
          mutations('query', (route.example?.query ?? {}) as Record<string, unknown>, route.request.query),
        );
      }
      await fc.assert(
        fc.asyncProperty(fc.oneof(...arbitraries), async (m) => {
          const schema = (m.part === 'body' ? route.request.body : route.request.query) as z.ZodType;
          // Only what the schema rejects is bad input (a query value arrives as a string).
          const asReceived =
            m.part === 'query'
              ? Object.fromEntries(
                  Object.entries(m.input as Record<string, unknown>)
                    .filter(([, v]) => v !== undefined)
                    .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
                )
              : m.input;
          fc.pre(!schema.safeParse(asReceived).success);
          const res = await send(route, m);
          const label = `${route.operationId} ${m.field} → ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, label).toBeGreaterThanOrEqual(400);
          expect(res.status, label).toBeLessThan(500);
          expect(res.contentType, label).toContain('application/problem+json');
          const problem = JSON.parse(res.text) as { errors?: { field: string }[] };
          const fields = (problem.errors ?? []).map((e) => e.field);
          expect(
            fields.some((f) => names(f, m.field)),
            `${label}: names ${fields.join(', ')}`,
          ).toBe(true);
        }),
        { numRuns: RUNS_PER_OPERATION },
      );
    },
  );

  // The schema is the oracle above, so a schema that is too lax cannot fail it; this one does not trust it: every
  // query parameter documented as an integer takes decimal digits only.
  it('integer query parameters take decimal digits only', async () => {
    let checked = 0;
    for (const route of fuzzed.filter((r) => r.request.query)) {
      const json = z.toJSONSchema(route.request.query as z.ZodType, {
        io: 'input',
        unrepresentable: 'any',
      }) as {
        properties?: Record<string, { type?: string }>;
      };
      const integers = Object.entries(json.properties ?? {}).filter(([, p]) => p.type === 'integer');
      for (const [name] of integers) {
        for (const value of ['0x10', '1e1', ' 10', '+10', '10.0', '1_0', '١٠']) {
          const base = (route.example?.query ?? {}) as Record<string, unknown>;
          const res = await send(route, {
            part: 'query',
            input: { ...base, [name]: value },
            field: `query.${name}`,
          });
          const label = `${route.operationId} ${name}=${JSON.stringify(value)} → ${res.status}`;
          expect(res.status, label).toBe(400);
          expect(res.text, label).toContain(`"query.${name}"`);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('wrote nothing: the table the handlers used is still empty', async () => {
    const client = localClient(runtime().dynamoDbUrl);
    try {
      const out = await client.send(new ScanCommand({ TableName: fuzzTable, Select: 'COUNT' }));
      expect(out.Count).toBe(0);
    } finally {
      client.destroy();
    }
  });
});
