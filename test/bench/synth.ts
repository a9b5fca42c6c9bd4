// `npm run bench` part 4: one tenant's app synthesized as `cdk synth` does it (real esbuild bundling,
// cdk-nag, the CloudFormation schema checks), timed, with each function's bundle size. Runs in-process into a
// temporary folder.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnResource } from 'aws-cdk-lib';
import { addNagChecks } from '../../infra/nag.ts';
import { addTenant, projectContext } from '../../infra/tenant.ts';
import { loadTenant } from '../../infra/tenant-config.ts';

export interface SynthMeasurement {
  tenant: string;
  /** Building the constructs, bundling every function, synthesizing and validating. */
  synthMs: number;
  functions: {
    operationId: string;
    /** The minified ESM handler (index.mjs) as deployed. */
    bundleBytes: number;
    /**
     * Everything in the function's asset: the bundle, its source map, copied files (Swagger UI for the docs).
     */
    assetBytes: number;
  }[];
}

function directoryBytes(path: string): number {
  return readdirSync(path, { withFileTypes: true }).reduce((sum, entry) => {
    const full = join(path, entry.name);
    return sum + (entry.isDirectory() ? directoryBytes(full) : statSync(full).size);
  }, 0);
}

export async function measureSynth(tenant = 'acme'): Promise<SynthMeasurement> {
  const outdir = mkdtempSync(join(tmpdir(), 'continuum-synth-'));
  try {
    const started = performance.now();
    // Asset metadata maps each function to its bundle folder (the CLI turns it on the same way).
    const app = new App({ outdir, context: { ...projectContext(), 'aws:cdk:enable-asset-metadata': true } });
    const { stateless } = addTenant(app, loadTenant(tenant));
    addNagChecks(app);
    app.synth();
    const synthMs = Math.round(performance.now() - started);
    const functions = stateless.functions.map((routeFunction) => {
      const cfn = routeFunction.function.node.defaultChild as CfnResource;
      const assetPath = join(outdir, String(cfn.getMetadata('aws:asset:path')));
      return {
        operationId: routeFunction.route.operationId,
        bundleBytes: statSync(join(assetPath, 'index.mjs')).size,
        assetBytes: directoryBytes(assetPath),
      };
    });
    return { tenant, synthMs, functions };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
