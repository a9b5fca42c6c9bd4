// The local runtime as a user runs it, on its own (not the shared test runtime): it listens on loopback only, keeps
// its data folder private, and rides out the death of DynamoDB Local (answers 5xx problems meanwhile, restarts it,
// reports it on /health, and comes back with every record whole).
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb-local.ts';
import type { RuntimeInfo } from '../../infra/local/runtime.ts';
import { DEMO_PATIENT_ID } from '../../infra/local/seed.ts';
import { type RuntimeProcess, signIn, startRuntimeProcess } from '../support/runtime-process.ts';

/** Every process of the runtime: the node process and all its descendants (the JVM among them). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {}
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return out;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(target);
        if (m?.[1]) inodes.add(m[1]);
      } catch {}
    }
  } catch {}
  return inodes;
}

const LOOPBACK = new Set([
  '0100007F', // 127.0.0.1
  '00000000000000000000000001000000', // ::1
  '0000000000000000FFFF00000100007F', // ::ffff:127.0.0.1
]);

/** Listening TCP sockets of these processes, from /proc/net/tcp and tcp6: address (hex) and port, per pid. */
function listeningSockets(pids: number[]): { pid: number; address: string; port: number }[] {
  const listening = new Map<string, { address: string; port: number }>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      const [address = '', port = '0'] = (cols[1] ?? '').split(':');
      listening.set(cols[9] ?? '', { address, port: Number.parseInt(port, 16) });
    }
  }
  return pids.flatMap((pid) =>
    [...socketInodes(pid)].flatMap((inode) => {
      const socket = listening.get(inode);
      return socket ? [{ pid, ...socket }] : [];
    }),
  );
}

function expectLoopbackOnly(info: RuntimeInfo) {
  const pids = processTree(info.pid);
  const sockets = listeningSockets(pids);
  // API, Cognito, FHIR and DynamoDB Local at least: the check is not vacuous.
  expect(sockets.length).toBeGreaterThanOrEqual(4);
  const jvm = info.childPids[0] ?? -1;
  expect(sockets.filter((s) => s.pid === jvm).map((s) => s.port)).toContain(
    Number(new URL(info.dynamoDbUrl).port),
  );
  for (const s of sockets)
    expect(LOOPBACK.has(s.address), `pid ${s.pid} port ${s.port} on ${s.address}`).toBe(true);
}

function modesUnder(dir: string): { path: string; mode: number; directory: boolean }[] {
  const out: { path: string; mode: number; directory: boolean }[] = [];
  const walk = (path: string) => {
    const stat = statSync(path);
    out.push({ path, mode: stat.mode & 0o777, directory: stat.isDirectory() });
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

let runtime: RuntimeProcess;
let dataDir: string;

beforeAll(async () => {
  // A data folder someone made world-readable, with a world-readable file already in it: the runtime tightens both.
  dataDir = join(mkdtempSync(join(tmpdir(), 'continuum-safety-')), 'data');
  mkdirSync(dataDir);
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'dead-letters.jsonl'), '');
  chmodSync(join(dataDir, 'dead-letters.jsonl'), 0o644);
  runtime = await startRuntimeProcess({ dataDir, timeoutMs: 180_000 });
}, 200_000);

afterAll(async () => {
  await runtime?.stop();
});

async function call(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${runtime.info.apiUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const patientBody = (n: number) => ({
  name: { given: ['Outage'], family: `Survivor${String.fromCharCode(97 + (n % 26))}` },
  birthDate: '1970-01-01',
  gender: 'female',
});

describe('everything the runtime serves listens on 127.0.0.1 only', () => {
  it('the node process and the JVM: no listening socket on another address', () => {
    expectLoopbackOnly(runtime.info);
  });
});

describe('the data folder is private', () => {
  it('DATA_DIR is 0700, every folder in it 0700 and every file 0600 (database, Cognito state, secrets, exports)', async () => {
    const admin = await signIn(runtime.info, 'admin');
    const started = await call('POST', '/v1/exports', admin, {});
    expect(started.status).toBe(202);
    // The export runs in the background; wait until it has written its files.
    for (let i = 0; i < 100; i++) {
      const job = await call('GET', `/v1/exports/${started.body.id}`, admin);
      if (job.body?.status !== 'in-progress' && job.body?.status !== 'submitted') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const entries = modesUnder(dataDir);
    const names = entries.map((e) => e.path.slice(dataDir.length));
    expect(names).toContain('/dynamodb/shared-local-instance.db');
    expect(names).toContain('/cognito/cognito.json');
    expect(names).toContain('/secrets.json');
    expect(names.some((n) => n.startsWith('/exports/'))).toBe(true);
    for (const e of entries) {
      expect(e.mode.toString(8), e.path).toBe(e.directory ? '700' : '600');
    }
  });
});

describe('DynamoDB Local dies', () => {
  it('requests get 503 problems with Retry-After, the runtime restarts it (console and /health say so), and every record is whole', async () => {
    const desk = await signIn(runtime.info, 'front-desk');
    const admin = await signIn(runtime.info, 'admin');
    const before: { id: string; key: string }[] = [];
    for (let n = 0; n < 3; n++) {
      const key = `before-${Date.now()}-${n}`;
      const res = await call('POST', '/v1/patients', desk, patientBody(n), { 'Idempotency-Key': key });
      expect(res.status).toBe(201);
      before.push({ id: res.body.id, key });
    }

    const jvm = runtime.info.childPids[0] ?? -1;
    // Writes in flight while the JVM dies: each carries an Idempotency-Key so it can be retried safely afterwards.
    const keys = Array.from({ length: 8 }, (_, i) => `outage-${Date.now()}-${i}`);
    const inFlight = keys.map((key, i) =>
      call('POST', '/v1/patients', desk, patientBody(10 + i), { 'Idempotency-Key': key }),
    );
    process.kill(jvm, 'SIGKILL');
    const during = await call('GET', `/v1/patients/${before[0]?.id}`, desk);
    // A database outage is a 503 with Retry-After (the one error mapping, shared/http), not a bare 500.
    expect(during.status).toBe(503);
    expect(during.headers.get('content-type')).toContain('application/problem+json');
    expect(typeof during.body.requestId).toBe('string');
    expect(during.headers.get('retry-after')).toMatch(/^\d+$/);
    const answered = await Promise.all(inFlight);
    for (const a of answered) expect([201, 503]).toContain(a.status);

    // The admins' health report (GET /v1/health) says restarting while the JVM comes back, then up.
    const seen = new Set<string>();
    const deadline = Date.now() + 150_000;
    for (;;) {
      const health = await fetch(`${runtime.info.apiUrl}/v1/health`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      const body = (await health.json()) as { components: { dynamodb: { status: string } } };
      seen.add(body.components.dynamodb.status);
      if (health.status === 200 && seen.has('restarting')) break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toContain('restarting');

    const log = readFileSync(runtime.logFile, 'utf8');
    expect(log).toContain('DynamoDB Local exited (SIGKILL); restarting it');
    expect(log).toContain('DynamoDB Local is back');

    // runtime.json names the new JVM, which listens on loopback only like the first.
    const info = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
    expect(info.childPids[0]).not.toBe(jvm);
    expectLoopbackOnly(info);

    // What was seeded at start is there. DynamoDB Local can lose the last writes it acknowledged before a SIGKILL
    // (seen here: the last of these three, acknowledged about a second before the kill, came back absent, whole);
    // DynamoDB itself does not, so what is asserted is that every write is whole or absent and safe to retry.
    expect((await call('GET', `/v1/patients/${DEMO_PATIENT_ID}`, desk)).status).toBe(200);
    for (const [n, b] of before.entries()) {
      const read = await call('GET', `/v1/patients/${b.id}`, desk);
      expect([200, 404]).toContain(read.status);
      const again = await call('POST', '/v1/patients', desk, patientBody(n), { 'Idempotency-Key': b.key });
      expect(again.status).toBe(201);
      // A write that survived is replayed, not repeated.
      if (read.status === 200) expect(again.body.id).toBe(b.id);
    }
    const retried = await Promise.all(
      keys.map((key, i) =>
        call('POST', '/v1/patients', desk, patientBody(10 + i), { 'Idempotency-Key': key }),
      ),
    );
    for (const [i, r] of retried.entries()) {
      expect(r.status).toBe(201);
      if (answered[i]?.status === 201) expect(r.body.id).toBe(answered[i]?.body.id);
    }

    // Nothing half-written: every patient has its MRN guard and every guard its patient.
    const client = localClient(runtime.info.dynamoDbUrl);
    const items: Record<string, unknown>[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: runtime.info.tableName,
          ...(after ? { ExclusiveStartKey: after as never } : {}),
        }),
      );
      items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
      after = page.LastEvaluatedKey;
    } while (after);
    client.destroy();
    const patients = items.filter((i) => i.type === 'Patient');
    const guards = items.filter((i) => String(i.pk).startsWith('MRN#'));
    expect(patients.length).toBeGreaterThanOrEqual(1 + before.length + keys.length);
    for (const p of patients)
      expect(guards.some((g) => g.pk === `MRN#${p.mrn}` && g.patientId === p.id)).toBe(true);
    for (const g of guards) expect(patients.some((p) => p.id === g.patientId)).toBe(true);
  }, 300_000); // DynamoDB Local's restart alone has taken 45 s on a loaded machine.
});
