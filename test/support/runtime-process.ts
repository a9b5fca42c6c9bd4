// Starts `npm start`'s entry point (infra/local/start.ts) as a child process on free ports, the way a user runs
// it, and waits until /health says every component is up.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RuntimeInfo } from '../../infra/local/runtime.ts';
import { DEMO_PASSWORD } from '../../infra/local/seed.ts';

export interface RuntimeProcess {
  info: RuntimeInfo;
  child: ChildProcess;
  dataDir: string;
  logFile: string;
  /** Sends SIGTERM and resolves with the exit code once the process (and its JVM) has gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ROOT = resolve(import.meta.dirname, '../..');
/** The project's Node 24 (npm scripts already run under it; a bare `vitest` may not). */
export const NODE = existsSync(join(ROOT, 'node_modules/.bin/node'))
  ? join(ROOT, 'node_modules/.bin/node')
  : process.execPath;

export async function startRuntimeProcess(
  options: { dataDir?: string; args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RuntimeProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'continuum-test-'));
  const logFile = join(dataDir, `runtime-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(NODE, [join(ROOT, 'infra/local/start.ts'), ...(options.args ?? [])], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      DYNAMODB_PORT: '0',
      COGNITO_PORT: '0',
      FHIR_PORT: '0',
      CORS_ORIGINS: 'http://localhost:5173',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 45_000);
  const runtimeFile = join(dataDir, 'runtime.json');
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`The runtime exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
    }
    if (existsSync(runtimeFile)) {
      const info = JSON.parse(readFileSync(runtimeFile, 'utf8')) as RuntimeInfo;
      if (info.pid === child.pid) {
        const health = await fetch(`${info.apiUrl}/health`).catch(() => undefined);
        if (health?.status === 200) {
          return {
            info,
            child,
            dataDir,
            logFile,
            stop: async (signal = 'SIGTERM') => {
              if (child.exitCode === null) child.kill(signal);
              return exited;
            },
          };
        }
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The runtime did not become healthy in time:\n${readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Signs in through the local Cognito's InitiateAuth (USER_PASSWORD_AUTH), as a front end does; the ID token. */
export async function signIn(
  info: Pick<RuntimeInfo, 'cognitoUrl' | 'cognitoClientId'>,
  username: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const response = await fetch(`${info.cognitoUrl}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: info.cognitoClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  });
  const body = (await response.json()) as { AuthenticationResult?: { IdToken: string } };
  if (!response.ok || !body.AuthenticationResult)
    throw new Error(`sign-in failed for ${username}: ${response.status}`);
  return body.AuthenticationResult.IdToken;
}
