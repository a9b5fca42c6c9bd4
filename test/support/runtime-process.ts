// Starts `npm start`'s entry point (infra/local/start.ts) as a child process on free ports, the way a user runs
// it, and waits until /health says every component is up.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RuntimeInfo } from '../../infra/local/runtime.ts';
import { DEMO_PASSWORD } from '../../infra/local/seed.ts';

export interface RuntimeProcess {
  info: RuntimeInfo;
  child: ChildProcess;
  dataDir: string;
  logFile: string;
  /**
   * Sends SIGTERM and resolves with the exit code once the process (and its JVM) has gone; then removes the data
   * folder if this helper made it (a folder passed in belongs to the caller).
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A temporary data folder for a runtime; the caller removes it (see removeDataDir). */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'continuum-test-'));
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
}

const ROOT = resolve(import.meta.dirname, '../..');
/** The project's Node 24 (npm scripts already run under it; a bare `vitest` may not). */
export const NODE = existsSync(join(ROOT, 'node_modules/.bin/node'))
  ? join(ROOT, 'node_modules/.bin/node')
  : process.execPath;

export async function startRuntimeProcess(
  options: { dataDir?: string; args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RuntimeProcess> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? tempDataDir();
  const logFile = join(dataDir, `runtime-${Date.now()}.log`);
  // In the data folder, so private like everything else there (the runtime's console may name ids).
  const log = createWriteStream(logFile, { mode: 0o600 });
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
    // Its own process group, so a start that has to be abandoned takes DynamoDB Local's JVM with it.
    detached: true,
  });
  log.on('error', () => {});
  // Two sources into one file: neither may end it; it ends once the process has closed both.
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  // Resolves once the process has gone and its output is in the log file, so the folder can go.
  const exited = new Promise<number | null>((r) => child.once('close', (code) => log.end(() => r(code))));
  const giveUp = async (message: string): Promise<never> => {
    // The whole group: killed mid-start, the runtime cannot stop the JVM it spawned itself.
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {}
    await exited;
    const logged = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(no output)';
    if (ownsDataDir) removeDataDir(dataDir);
    throw new Error(`${message}:\n${logged}`);
  };
  // Generous: DynamoDB Local's JVM alone can take 30 s to answer on a busy machine.
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  const runtimeFile = join(dataDir, 'runtime.json');
  for (;;) {
    if (child.exitCode !== null) await giveUp(`The runtime exited with ${child.exitCode}`);
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
              const code = await exited;
              if (ownsDataDir) removeDataDir(dataDir);
              return code;
            },
          };
        }
      }
    }
    if (Date.now() > deadline) await giveUp('The runtime did not become healthy in time');
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
