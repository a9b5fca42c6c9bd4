// `npm run openapi`: writes docs/openapi.json, the README's API table and the typed client's types from the route
// table (a test fails when any of them is out of date).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { routes } from '#functions/routes.ts';
import { buildOpenApi } from '#shared/openapi.ts';
import { REPO_ROOT } from './paths.ts';
import { withApiTable } from './readme-api-table.ts';
import { CLIENT_TYPES_FILE, clientTypesSource } from './write-client.ts';

export function openApiDocument() {
  return buildOpenApi(routes, {
    version: process.env.npm_package_version ?? '0.1.0',
    serverUrl: 'http://127.0.0.1:3000',
  });
}

if (import.meta.main) {
  writeFileSync(join(REPO_ROOT, 'docs', 'openapi.json'), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  console.log('Wrote docs/openapi.json');
  const readme = join(REPO_ROOT, 'README.md');
  writeFileSync(readme, withApiTable(readFileSync(readme, 'utf8'), routes));
  console.log('Wrote the API table in README.md');
  writeFileSync(join(REPO_ROOT, CLIENT_TYPES_FILE), await clientTypesSource(openApiDocument()));
  console.log(`Wrote ${CLIENT_TYPES_FILE}`);
}
