// Starts one local runtime (temporary data folder, free ports) for the whole test run and hands its URLs to the
// tests; at the end stops it and checks that the run left no temporary folders behind.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'vitest';
import type { TestProject } from 'vitest/node';
import type { RuntimeInfo } from '../infra/local/runtime.ts';
import { startRuntimeProcess } from './support/runtime-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    runtime: RuntimeInfo;
    runtimeLogFile: string;
    runtimeDataDir: string;
  }
}

/** Temporary folders the tests make (`continuum-test-…`, `continuum-cdk-…`), with when they were made. */
function temporaryFolders(): Map<string, number> {
  const found = new Map<string, number>();
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('continuum-')) continue;
    try {
      found.set(name, statSync(join(tmpdir(), name)).ctimeMs);
    } catch {}
  }
  return found;
}

export default async function setup(project: TestProject) {
  const before = temporaryFolders();
  const started = Date.now();
  // A data folder (not --in-memory) so tests can read the local Cognito's key to mint expired or foreign tokens.
  const runtime = await startRuntimeProcess();
  project.provide('runtime', runtime.info);
  project.provide('runtimeLogFile', runtime.logFile);
  project.provide('runtimeDataDir', runtime.dataDir);
  return async () => {
    await runtime.stop();
    if (existsSync(runtime.dataDir))
      throw new Error(`The test runtime's data folder was left: ${runtime.dataDir}`);
    // Other processes on the machine may use the same prefix, so this names suspects rather than failing the run.
    const left = [...temporaryFolders()].filter(([name, made]) => !before.has(name) && made >= started);
    if (left.length > 0) {
      console.warn(
        `Temporary folders made during this run are still in ${tmpdir()}: ${left.map(([name]) => name).join(', ')}`,
      );
    }
  };
}
