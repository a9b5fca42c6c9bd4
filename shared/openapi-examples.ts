// Response examples for the OpenAPI document, built from each response's JSON Schema and the routes' own request
// examples, so every operation shows a realistic answer without a second, hand-kept copy of every record.
import type { AnyRoute } from './http/route.ts';

type Json = Record<string, unknown>;

/** A fixed instant and date, so the generated document is stable. */
const EXAMPLE_INSTANT = '2026-12-07T15:00:00.000Z';
const EXAMPLE_DATE = '2026-12-07';
const ULID = '^[0-9A-HJKMNP-TV-Z]{26}$';

/** Values for the string patterns the schemas use (a pattern cannot be inverted in general; these are few). */
const BY_PATTERN: [test: (pattern: string) => boolean, value: string][] = [
  [(p) => p === ULID, '01KAXEXAMP1E00000000000001'],
  [(p) => p.includes('T(?:'), EXAMPLE_INSTANT],
  [(p) => p.includes('-02-29'), EXAMPLE_DATE],
  [(p) => p.includes('@'), 'maria.garcia@example.org'],
  [(p) => p.startsWith('^\\+?[0-9'), '+1 555 0101'],
  [(p) => p === '^[A-Z]{2}$', 'US'],
  [(p) => p.startsWith('^[a-z]{2,3}'), 'en'],
  [(p) => p.startsWith('^[A-Z0-9][A-Z0-9-]'), 'DEMO-0001'],
  [(p) => p.includes('[0-5]\\d$|^24:00$'), '09:00'],
  [(p) => p.startsWith('^(encounter|'), 'encounter,note'],
  [(p) => p.startsWith('^[A-Za-z0-9-]{1,64}$'), 'general-internal-medicine'],
];

/** Plain strings by property name, for fields no request example fills in. */
const BY_NAME: Record<string, string> = {
  birthDate: '1984-07-02',
  createdBy: 'clinician',
  updatedBy: 'clinician',
  userId: 'clinician',
  username: 'clinician',
  family: 'García',
  given: 'Maria',
  name: 'Maria García',
  city: 'Springfield',
  state: 'MA',
  timeZone: 'America/New_York',
  system: 'http://loinc.org',
  code: '4548-4',
  display: 'Hemoglobin A1c',
  text: 'Follow up in three months.',
  url: 'https://exports.example.org/patient-1.ndjson',
  type: 'Patient',
  resourceType: 'Patient',
  source: 'this practice',
  nextCursor: 'eyJwayI6IlBBVElFTlQjMDEuLi4ifQ',
  mrn: 'DEMO-0001',
  reason: 'Patient request',
  line: '12 Elm St',
  postalCode: '01103',
  relationship: 'sister',
  action: 'patient.read',
  sub: 'clinician',
  roles: 'clinician',
  sources: 'this practice',
  id: '01KAXEXAMP1E00000000000001',
  requestId: 'c0a8012e-7f3b-4a52-9d4e-6b1f2a3c4d5e',
};

interface Context {
  /** Example values by property name, from every route's example path parameters (patientId, providerId, …). */
  ids: Record<string, string>;
  /** Examples of whole records, keyed by their schema's JSON text: a create's body merged into its response. */
  records: Map<string, unknown>;
  root: Json;
}

function resolveRef(ref: string, root: Json): Json | undefined {
  if (ref === '#') return root;
  const parts = ref.replace(/^#\//, '').split('/');
  let node: unknown = root;
  for (const part of parts) node = (node as Json | undefined)?.[part];
  return node as Json | undefined;
}

/**
 * An example value for `schema`. `optional` marks a property the schema lets out: it is shown only when a
 * realistic value is known for it, so examples do not fill up with placeholders.
 */
function synthesize(
  schema: Json,
  ctx: Context,
  name: string | undefined,
  depth: number,
  optional = false,
): unknown {
  // Records are objects: only those are worth the (costly) lookup by their schema's text.
  if (schema.type === 'object' && schema.properties && ctx.records.size) {
    const known = ctx.records.get(JSON.stringify(schema));
    if (known !== undefined) return structuredClone(known);
  }
  if (depth > 8) return undefined;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, ctx.root);
    return target ? synthesize(target, ctx, name, depth + 1, optional) : undefined;
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return optional ? undefined : schema.enum[0];
  if ('default' in schema && schema.default !== undefined && typeof schema.default !== 'object')
    return schema.default;
  const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (options) {
    const first = options.find((o) => o.type !== 'null') ?? options[0];
    return first ? synthesize(first, ctx, name, depth + 1, optional) : null;
  }
  switch (schema.type) {
    case 'object': {
      const out: Json = {};
      const properties = (schema.properties ?? {}) as Record<string, Json>;
      const required = new Set((schema.required ?? []) as string[]);
      for (const [key, property] of Object.entries(properties)) {
        const value = synthesize(property, ctx, key, depth + 1, !required.has(key));
        if (value !== undefined) out[key] = value;
      }
      const extra = schema.additionalProperties;
      if (Object.keys(properties).length === 0 && extra && typeof extra === 'object') {
        const value = synthesize(extra as Json, ctx, undefined, depth + 1);
        if (value !== undefined) out.example = value;
      }
      return optional && Object.keys(out).length === 0 ? undefined : out;
    }
    case 'array': {
      const item = schema.items
        ? synthesize(schema.items as Json, ctx, name, depth + 1, optional)
        : undefined;
      if (item === undefined) return optional ? undefined : [];
      return [item];
    }
    case 'integer':
    case 'number': {
      if (optional) return undefined;
      const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
      const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined;
      return minimum ?? exclusive ?? 1;
    }
    case 'boolean':
      return optional ? undefined : false;
    case 'null':
      return null;
    case 'string': {
      if (name && ctx.ids[name]) return ctx.ids[name];
      if (schema.format === 'date-time') return EXAMPLE_INSTANT;
      if (schema.format === 'date') return EXAMPLE_DATE;
      if (typeof schema.pattern === 'string') {
        const pattern = schema.pattern;
        const hit = BY_PATTERN.find(([test]) => test(pattern));
        if (hit) return hit[1];
      }
      if (name && BY_NAME[name]) return BY_NAME[name];
      if (name && /(At|^at|^start|^end|Until|^issued|^effective)$/.test(name)) return EXAMPLE_INSTANT;
      if (name?.endsWith('Date')) return EXAMPLE_DATE;
      if (name?.endsWith('Id')) return BY_PATTERN[0]?.[1];
      if (optional) return undefined;
      return name ? `example ${name}` : 'example';
    }
    default:
      return name && BY_NAME[name] ? BY_NAME[name] : undefined;
  }
}

/** Overlays `patch` onto `base` where `base` has the key (so the result still fits the response schema). */
function overlay(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (base && typeof base === 'object' && !Array.isArray(base) && patch && typeof patch === 'object') {
    const out: Json = { ...(base as Json) };
    for (const [key, value] of Object.entries(patch as Json)) {
      if (key in out) out[key] = overlay(out[key], value);
    }
    return out;
  }
  return patch;
}

export type SchemaOf = (route: AnyRoute, status: string) => Json | undefined;

/**
 * One response example per route and success status. First the records: each create route's request body laid
 * over what its response schema synthesizes, so the patient, appointment or note shown is the one the create
 * example sends; then every success response, reusing those records wherever its schema holds one.
 */
export function responseExamples(
  routes: readonly AnyRoute[],
  schemaOf: SchemaOf,
): Map<AnyRoute, Record<string, unknown>> {
  const ids: Record<string, string> = {};
  for (const route of routes) Object.assign(ids, route.example.params ?? {});
  const ctx: Context = { ids, records: new Map(), root: {} };
  const successes = (route: AnyRoute) =>
    Object.keys(route.responses).filter((status) => Number(status) < 300 && schemaOf(route, status));

  for (const route of routes) {
    if (route.method !== 'POST' || route.example.body === undefined) continue;
    for (const status of successes(route).filter((s) => s === '201')) {
      const schema = schemaOf(route, status) as Json;
      const key = JSON.stringify(schema);
      if (ctx.records.has(key)) continue;
      ctx.root = schema;
      ctx.records.set(key, overlay(synthesize(schema, ctx, undefined, 0), route.example.body));
    }
  }

  const out = new Map<AnyRoute, Record<string, unknown>>();
  for (const route of routes) {
    const examples: Record<string, unknown> = {};
    for (const status of successes(route)) {
      const schema = schemaOf(route, status) as Json;
      ctx.root = schema;
      // The record a route reads or changes is named by its last path parameter, unless the route creates it.
      const lastParam = [...route.path.matchAll(/\{(\w+)\}/g)].at(-1)?.[1];
      const own = status !== '201' && lastParam ? route.example.params?.[lastParam] : undefined;
      let value = route.example.response ?? synthesize(schema, ctx, undefined, 0);
      if (route.example.response === undefined) {
        if (route.method === 'PATCH' || route.method === 'PUT') value = overlay(value, route.example.body);
        if (own && value && typeof value === 'object' && 'id' in value) value = { ...value, id: own };
      }
      examples[status] = value;
    }
    out.set(route, examples);
  }
  return out;
}
