// Starts one local runtime (temporary data folder, free ports) for the whole test run and hands its URLs to the tests.
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

export default async function setup(project: TestProject) {
  // A data folder (not --in-memory) so tests can read the local Cognito's key to mint expired or foreign tokens.
  const runtime = await startRuntimeProcess();
  project.provide('runtime', runtime.info);
  project.provide('runtimeLogFile', runtime.logFile);
  project.provide('runtimeDataDir', runtime.dataDir);
  return async () => {
    await runtime.stop();
  };
}
