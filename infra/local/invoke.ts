// `npm run invoke -- <handler> <event.json>`: runs one route handler, in this process, against the running local
// runtime's table, with a sample API Gateway event, and prints the result. <handler> is a handler file
// (functions/patients/handlers/get-patient.ts) or a route's operationId (getPatient).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { routes } from '#functions/routes.ts';
import { REPO_ROOT } from './paths.ts';
import { readRuntimeInfo } from './runtime.ts';

const [target, eventFile] = process.argv.slice(2);
if (!target || !eventFile) {
  console.error('Usage: npm run invoke -- <handler file | operationId> events/<file>.json');
  process.exit(2);
}
const route = routes.find(
  (r) => r.operationId === target || r.handler === target || join(REPO_ROOT, r.handler) === resolve(target),
);
if (!route) {
  console.error(
    `No route with handler or operationId "${target}". Known: ${routes.map((r) => r.operationId).join(', ')}`,
  );
  process.exit(2);
}
const info = readRuntimeInfo(resolve(process.env.DATA_DIR ?? '.data'));
if (!info) {
  console.error('The local runtime is not running: start it with `npm start` first (invoke uses its table).');
  process.exit(1);
}
const secrets = info.inMemory
  ? undefined
  : (JSON.parse(readFileSync(join(info.dataDir, 'secrets.json'), 'utf8')) as { cursorSecret: string });
Object.assign(process.env, {
  TABLE_NAME: info.tableName,
  DYNAMODB_ENDPOINT: info.dynamoDbUrl,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  CURSOR_SECRET: secrets?.cursorSecret ?? 'in-memory-runtime-cursors-are-not-shared-with-invoke',
  COGNITO_ISSUER: info.cognitoIssuer,
  FHIR_BASE_URL: info.fhirBaseUrl,
});
const event = JSON.parse(readFileSync(resolve(eventFile), 'utf8')) as APIGatewayProxyEvent;
const { handler } = (await import(pathToFileURL(join(REPO_ROOT, route.handler)).href)) as {
  handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
};
const context = {
  awsRequestId: event.requestContext?.requestId ?? 'invoke',
  functionName: `continuum-local-${route.operationId}`,
  getRemainingTimeInMillis: () => 29_000,
} as Context;
const result = await handler(event, context);
let body: unknown = result.body;
try {
  body = JSON.parse(result.body);
} catch {}
console.log(JSON.stringify({ statusCode: result.statusCode, headers: result.headers, body }, null, 2));
