// Builds the OpenAPI 3.1 document from the route table, so the document cannot drift from what is served.
// https://spec.openapis.org/oas/v3.1.0
import * as z from 'zod';
import type { AnyRoute } from './http/route.ts';
import { responseExamples } from './openapi-examples.ts';

type Json = Record<string, unknown>;

const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description:
    'RFC 9457 problem details. `errors` names each failing field (`body.name.family`, `query.limit`).',
  required: ['type', 'title', 'status', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  System: 'Health, this document and the rendered reference (no authentication).',
  Patients: 'Registering, finding and changing patients: demographics, contact, MRN.',
  Audit: 'Who read or changed which patient data, when, with what outcome (admin only).',
  Scheduling: 'Locations, providers, appointment types, schedules, availability, holds and appointments.',
  Charting: 'Encounters, progress notes, problems, medications, allergies, vitals, lab results, the chart.',
  Sharing: 'Consent to share, the FHIR mirror’s backfill, the longitudinal record and bulk exports.',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

function parameters(route: AnyRoute): Json[] {
  const list: Json[] = [];
  for (const [where, schema] of [
    ['path', route.request.params],
    ['query', route.request.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input');
    const properties = (object.properties ?? {}) as Record<string, Json>;
    const required = new Set((object.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      const raw = route.example[where === 'path' ? 'params' : 'query']?.[name];
      // Query strings are text on the wire; the document's example takes the parameter's own type.
      const numeric = rest.type === 'integer' || rest.type === 'number';
      const example = raw !== undefined && numeric ? Number(raw) : raw;
      list.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: rest,
        ...(typeof description === 'string' ? { description } : {}),
        ...(example !== undefined ? { example } : {}),
      });
    }
  }
  if (route.idempotent) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Makes the request safe to retry: the same key and body return the first response.',
      schema: { type: 'string', minLength: 8, maxLength: 255 },
      example: route.example.headers?.['Idempotency-Key'] ?? 'b6f1c9e2-5c1e-4b8e-9a57-3c0d2f1e8a11',
    });
  }
  if (route.requiresIfMatch || route.acceptsIfMatch) {
    list.push({
      name: 'If-Match',
      in: 'header',
      required: route.requiresIfMatch === true,
      description: route.requiresIfMatch
        ? 'The ETag of the version you read; 412 if it changed since, 428 if absent.'
        : 'Optional: the ETag of the version you read; 412 if it changed since.',
      schema: { type: 'string' },
      example: route.example.headers?.['If-Match'] ?? '"1"',
    });
  }
  return list;
}

/** Every response a route can give: its own, then the ones the HTTP stack adds to every route of its kind. */
function declaredResponses(route: AnyRoute): AnyRoute['responses'] {
  const declared = { ...route.responses };
  if (route.auth === 'cognito') {
    declared[400] ??= { description: 'Invalid request' };
    declared[401] ??= { description: 'Missing, expired or invalid token' };
    declared[403] ??= { description: 'Your role may not do this' };
  }
  if (route.requiresIfMatch || route.acceptsIfMatch)
    declared[412] ??= { description: 'If-Match is stale: the record changed since you read it' };
  if (route.requiresIfMatch) declared[428] ??= { description: 'If-Match is missing' };
  declared[429] ??= { description: 'Throttled: retry after a pause' };
  declared[500] ??= { description: 'Unexpected error; quote the requestId' };
  return declared;
}

const successSchemas = new WeakMap<AnyRoute, Map<string, Json | undefined>>();

/** A success response's JSON Schema, converted once per route and status (examples and the document share it). */
function successSchema(route: AnyRoute, status: string): Json | undefined {
  let byStatus = successSchemas.get(route);
  if (!byStatus) {
    byStatus = new Map();
    successSchemas.set(route, byStatus);
  }
  if (!byStatus.has(status)) {
    const response = route.responses[Number(status)];
    byStatus.set(
      status,
      Number(status) < 300 && response?.schema ? jsonSchema(response.schema, 'output') : undefined,
    );
  }
  return byStatus.get(status);
}

function responses(route: AnyRoute, examples: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [status, response] of Object.entries(declaredResponses(route))) {
    const code = Number(status);
    if (code >= 400) {
      out[status] = {
        description: response.description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    } else if (response.schema) {
      out[status] = {
        description: response.description,
        content: {
          [response.contentType ?? 'application/json']: {
            schema: successSchema(route, status),
            ...(examples[status] !== undefined ? { example: examples[status] } : {}),
          },
        },
      };
    } else {
      out[status] = {
        description: response.description,
        ...(response.contentType
          ? { content: { [response.contentType]: { schema: { type: 'string' } } } }
          : {}),
      };
    }
  }
  return out;
}

/** Who may call the route: its roles, then the object-level rule. */
export function whoMayCall(route: AnyRoute): string {
  if (route.auth === 'public') return 'anyone, without a token';
  const parts = [route.roles.join(', ')];
  if (route.roles.includes('patient') && route.audit?.patientIdParam)
    parts.push('a `patient` user: only their own record (another patient’s is answered 404)');
  if (route.access) parts.push(route.access);
  return parts.join('; ');
}

/**
 * The operation's description: what it does (the route's own words), who may call it and what can go wrong, so
 * each operation reads whole on its own in the rendered reference and in the typed client's doc comments.
 */
export function operationDescription(route: AnyRoute): string {
  const errors = Object.entries(declaredResponses(route))
    .filter(([status]) => Number(status) >= 400)
    .map(([status, response]) => `\`${status}\` ${response.description}`);
  return [
    route.description,
    `**Who may call it:** ${whoMayCall(route)}.`,
    `**Errors:** ${errors.join('; ')}.`,
  ].join('\n\n');
}

export function buildOpenApi(
  routes: readonly AnyRoute[],
  info: { version: string; serverUrl?: string },
): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const examples = responseExamples(routes, successSchema);
  for (const route of routes) {
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      description: operationDescription(route),
      tags: [route.tag],
      parameters: parameters(route),
      responses: responses(route, examples.get(route) ?? {}),
      security: route.auth === 'public' ? [] : [{ cognito: [] }],
      ...(route.auth === 'cognito' ? { 'x-continuum-roles': [...route.roles] } : {}),
    };
    if (route.request.body) {
      operation.requestBody = {
        required: true,
        content: {
          [route.request.bodyContentType ?? 'application/json']: {
            schema: jsonSchema(route.request.body, 'input'),
            ...(route.example.body !== undefined ? { example: route.example.body } : {}),
          },
        },
      };
    }
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Json>)[route.method.toLowerCase()] = operation;
  }
  const tags = [...new Set(routes.map((r) => r.tag))].map((name) => ({
    name,
    description: TAG_DESCRIPTIONS[name] ?? name,
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Continuum practice API',
      version: info.version,
      description:
        'The EMR API of one practice. Send a Cognito ID token as `Authorization: Bearer <token>`. Errors are RFC 9457 problem+json.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: info.serverUrl ?? '/' }],
    tags,
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito user-pool ID token; the user-pool group is the role.',
        },
      },
    },
  };
}
