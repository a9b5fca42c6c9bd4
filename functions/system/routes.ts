// System endpoints: health (status only to the public, details to admins), the OpenAPI document and the docs page
// that renders it.
import * as z from 'zod';
import { defineRoute } from '#shared/http/route.ts';

const tag = 'System';

const HealthStatus = z.enum(['ok', 'degraded']);

/** What anyone may learn: up or not. */
export const PublicHealthReport = z.object({ status: HealthStatus });

export const HealthReport = z.object({
  status: HealthStatus,
  stage: z.string(),
  components: z.record(
    z.string(),
    z.object({ status: z.enum(['up', 'down', 'restarting']), url: z.string() }),
  ),
});

export const health = defineRoute({
  operationId: 'getHealth',
  method: 'GET',
  path: '/health',
  handler: 'functions/system/handlers/health.ts',
  summary: 'Is the API up?',
  description:
    'Public, for load balancers and uptime checks: `ok`, or `degraded` with 503 when any component the API needs (DynamoDB, Cognito, the FHIR store) is down. Which one, with its URL, is at GET /v1/health for admins.',
  tag,
  auth: 'public',
  roles: [],
  tableAccess: 'describe',
  request: {},
  example: { response: { status: 'ok' } },
  responses: {
    200: { description: 'Every component is up', schema: PublicHealthReport },
    503: { description: 'A component is down', schema: PublicHealthReport },
  },
});

export const healthDetails = defineRoute({
  operationId: 'getHealthDetails',
  method: 'GET',
  path: '/v1/health',
  handler: 'functions/system/handlers/health-details.ts',
  summary: 'Each component the API needs, with its status and URL',
  description:
    'Checks each component the API needs (DynamoDB, Cognito, the FHIR store) and names it with its URL, which carries the user pool and datastore ids: admins only. 503 when any is down.',
  tag,
  auth: 'cognito',
  roles: ['admin'],
  tableAccess: 'describe',
  request: {},
  example: {
    response: {
      status: 'ok',
      stage: 'local',
      components: {
        dynamodb: { status: 'up', url: 'http://127.0.0.1:8000' },
        cognito: { status: 'up', url: 'http://127.0.0.1:9229/local_continuum' },
        fhir: { status: 'up', url: 'http://127.0.0.1:8103/fhir/R4' },
      },
    },
  },
  responses: {
    200: { description: 'Every component is up', schema: HealthReport },
    503: { description: 'A component is down or restarting', schema: HealthReport },
  },
});

export const openApiDocument = defineRoute({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  handler: 'functions/system/handlers/openapi.ts',
  summary: 'This API as an OpenAPI 3.1 document',
  description:
    'This document, generated from the route table: every operation with its roles, parameters, schemas, examples and errors.',
  tag,
  auth: 'public',
  roles: [],
  tableAccess: 'none',
  request: {},
  example: {
    response: { openapi: '3.1.0', info: { title: 'Continuum practice API', version: '0.1.0' }, paths: {} },
  },
  responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
});

export const docsPage = defineRoute({
  operationId: 'getDocs',
  method: 'GET',
  path: '/docs',
  handler: 'functions/system/handlers/docs.ts',
  summary: 'The API reference, rendered (Swagger UI, served from this API)',
  description:
    'This reference rendered with Swagger UI, whose scripts and styles the API serves itself (no CDN). `/docs/` serves the same page.',
  tag,
  auth: 'public',
  roles: [],
  tableAccess: 'none',
  request: {},
  example: {},
  responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
});

export const docsAsset = defineRoute({
  operationId: 'getDocsAsset',
  method: 'GET',
  path: '/docs/{asset}',
  handler: 'functions/system/handlers/docs.ts',
  summary: 'Script and style files of the docs page',
  description:
    "The Swagger UI script and style sheet, and the page's start-up script; browsers may cache them for a day.",
  tag,
  auth: 'public',
  roles: [],
  tableAccess: 'none',
  request: {
    params: z.strictObject({ asset: z.enum(['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js']) }),
  },
  example: { params: { asset: 'init.js' } },
  responses: {
    200: { description: 'The file', contentType: 'text/plain' },
    404: { description: 'No such file' },
  },
});

export const routes = [health, healthDetails, openApiDocument, docsPage, docsAsset];
