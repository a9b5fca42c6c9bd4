// `npm run openapi`: writes docs/openapi.json from the route table (a test fails when it is out of date).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { routes } from '#functions/routes.ts';
import { buildOpenApi } from '#shared/openapi.ts';
import { REPO_ROOT } from './paths.ts';

export function openApiDocument() {
  return buildOpenApi(routes, {
    version: process.env.npm_package_version ?? '0.1.0',
    serverUrl: 'http://127.0.0.1:3000',
  });
}

if (import.meta.main) {
  writeFileSync(join(REPO_ROOT, 'docs', 'openapi.json'), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  console.log('Wrote docs/openapi.json');
}
