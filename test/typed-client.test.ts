// The typed client for front ends: generated from the current OpenAPI document, and kept out of every Lambda.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { routes } from '../functions/routes.ts';
import { CLIENT_TYPES_FILE, clientTypesSource } from '../infra/local/write-client.ts';
import { openApiDocument } from '../infra/local/write-openapi.ts';

const root = join(import.meta.dirname, '..');

describe('the typed client', () => {
  it(`has types generated from the current OpenAPI document (npm run openapi rewrites ${CLIENT_TYPES_FILE})`, async () => {
    const committed = readFileSync(join(root, CLIENT_TYPES_FILE), 'utf8');
    expect(committed === (await clientTypesSource(openApiDocument())), 'run npm run openapi').toBe(true);
  });

  it('names every operation of the route table', () => {
    const committed = readFileSync(join(root, CLIENT_TYPES_FILE), 'utf8');
    for (const route of routes) expect(committed).toContain(`    ${route.operationId}: {`);
  });

  it('is imported by no Lambda handler (it would only add to their bundles)', async () => {
    const handlers = [...new Set(routes.map((r) => join(root, r.handler)))];
    const result = await build({
      entryPoints: handlers,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      outdir: join(root, 'cdk.out', 'client-guard'),
      packages: 'external',
      logLevel: 'silent',
    });
    const offenders: string[] = [];
    for (const [output, meta] of Object.entries(result.metafile.outputs)) {
      const inputs = Object.keys(meta.inputs).filter((file) => file.includes('shared/client/'));
      const imports = meta.imports.filter((i) => i.path.startsWith('openapi-fetch')).map((i) => i.path);
      if (inputs.length || imports.length) offenders.push(`${output}: ${[...inputs, ...imports].join(', ')}`);
    }
    expect(Object.keys(result.metafile.outputs).length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
