// Public, non-PHI endpoints: health, the OpenAPI document and the docs page that renders it.
import * as z from 'zod';
import { defineRoute } from '#shared/http/route.ts';

const tag = 'System';

export const HealthReport = z.object({
  status: z.enum(['ok', 'degraded']),
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
  summary: 'Is the API and each component it needs up?',
  description:
    'Checks each component the API needs (DynamoDB, Cognito, the FHIR store) and names it with its URL: for load balancers and uptime checks. 503 when any is down.',
  tag,
  auth: 'public',
  roles: [],
  tableAccess: 'read',
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

export const routes = [health, openApiDocument, docsPage, docsAsset];
