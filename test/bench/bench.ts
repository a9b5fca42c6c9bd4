// `npm run bench`: the numbers the budgets are held to. Prints a report and writes .bench/results.json.
//  1. per handler: minified ESM bundle size (AWS SDK bundled, as deployed) and import time (cold-start proxy);
//  2. DynamoDB requests per operation, counted at the SDK against DynamoDB Local;
//  3. requests/s and p50/p99 for GET and POST /v1/patients, and for booking with and without contention, against
//     the local runtime (autocannon, loopback, bounded in time and connections);
//     and the chart of a patient with 5 years of visits;
//  4. the FHIR mirror: records mirrored per second and lag p50/p99 from the API's answer to the resource in
//     the local FHIR server;
//  5. billing: an 837 for 1,000 claims and posting an 835 of 1,000 claims, time and DynamoDB requests
//     (BENCH_CLAIMS sets the count; 0 skips);
//  6. CDK synth wall time and per-function bundle size (set BENCH_SYNTH=0 to skip).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { routes } from '../../functions/routes.ts';
import { buildEvent } from '../../infra/local/events.ts';
import { DEMO_PATIENT_ID } from '../../infra/local/seed.ts';
import { resetConfig } from '../../shared/config.ts';
import { countRequests, resetDb } from '../../shared/dynamodb.ts';
import type { AnyRoute } from '../../shared/http/route.ts';
import { seedChartHistory } from '../support/chart-history.ts';
import { signIn, startRuntimeProcess } from '../support/runtime-process.ts';
import { billingBench } from './billing.ts';

const ROOT = join(import.meta.dirname, '../..');
const OUT = join(ROOT, '.bench');
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function bundles() {
  const dir = join(OUT, 'bundles');
  mkdirSync(dir, { recursive: true });
  const handlerFiles = [...new Set(routes.map((r) => r.handler))];
  const env = { ...process.env, TABLE_NAME: 'bench', CURSOR_SECRET: 'b'.repeat(40), AWS_REGION: 'us-east-1' };
  const bare = median(
    Array.from({ length: 5 }, () => {
      const t = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      return performance.now() - t;
    }),
  );
  const rows = [];
  for (const file of handlerFiles) {
    const name = file
      .replace(/^functions\//, '')
      .replace(/\/handlers\//, '-')
      .replace(/\.ts$/, '');
    const outfile = join(dir, `${name}.mjs`);
    await build({
      entryPoints: [join(ROOT, file)],
      outfile,
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      banner: { js: BANNER },
      logLevel: 'silent',
    });
    const script = `const t=performance.now();await import(${JSON.stringify(outfile)});process.stdout.write(String(performance.now()-t))`;
    const times = Array.from({ length: 5 }, () =>
      Number(
        spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }).stdout,
      ),
    );
    rows.push({
      handler: file,
      bundleKB: Math.round(statSync(outfile).size / 102.4) / 10,
      importMs: Math.round(median(times)),
    });
  }
  return { bareNodeMs: Math.round(bare), handlers: rows };
}

async function requestsPerOperation(info: { dynamoDbUrl: string; tableName: string }) {
  Object.assign(process.env, {
    TABLE_NAME: info.tableName,
    DYNAMODB_ENDPOINT: info.dynamoDbUrl,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CURSOR_SECRET: 'bench-cursor-secret-0123456789abcdef01234567',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  resetConfig();
  resetDb();
  const byId = new Map(routes.map((r) => [r.operationId, r]));
  const invoke = async (operationId: string, input: Parameters<typeof buildEvent>[1]) => {
    const route = byId.get(operationId) as AnyRoute;
    const { handler } = (await import(join(ROOT, route.handler))) as {
      handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const { result, counts } = await countRequests(() =>
      handler(buildEvent(route, input), { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 }),
    );
    return { status: result.statusCode, body: JSON.parse(result.body || 'null'), counts };
  };
  const body = { name: { given: ['Bench'], family: 'Mark' }, birthDate: '1990-01-01', gender: 'other' };
  const create = await invoke('createPatient', { body });
  const read = await invoke('getPatient', { params: { patientId: create.body.id } });
  const search = await invoke('searchPatients', { query: { family: 'mark', limit: '20' } });
  const update = await invoke('updatePatient', {
    params: { patientId: create.body.id },
    body: { preferredLanguage: 'en' },
    headers: { 'If-Match': '"1"' },
  });
  const audit = await invoke('listAudit', { query: { patientId: create.body.id } });
  const chart = await invoke('getChart', { params: { patientId: create.body.id }, user: 'clinician' });
  return Object.fromEntries(
    Object.entries({ create, read, search, update, audit, chart }).map(([k, v]) => [
      k,
      { status: v.status, requests: v.counts },
    ]),
  );
}

async function load(apiUrl: string, token: string) {
  const run = (opts: autocannon.Options) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const results: Record<string, unknown> = {};
  for (const [name, opts] of [
    ['GET /v1/patients/{id}', { method: 'GET' as const, url: `${apiUrl}/v1/patients/${DEMO_PATIENT_ID}` }],
    [
      'POST /v1/patients',
      {
        method: 'POST' as const,
        url: `${apiUrl}/v1/patients`,
        body: JSON.stringify({
          name: { given: ['Load'], family: 'Test' },
          birthDate: '1990-01-01',
          gender: 'other',
        }),
      },
    ],
  ] as const) {
    const r = await run({ ...opts, headers, connections: CONNECTIONS, duration: DURATION_S });
    results[name] = {
      requestsPerSecond: Math.round(r.requests.average),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      total: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
    };
  }
  return results;
}

async function post(
  apiUrl: string,
  token: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${apiUrl}${path}`, {
    method: path.endsWith('/schedule') ? 'PUT' : 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id: string };
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Booking throughput: distinct slots on different days, distinct slots on one day, and all on one slot. */
async function bookingLoad(apiUrl: string, adminToken: string, deskToken: string) {
  const location = await post(apiUrl, adminToken, '/v1/locations', {
    name: 'Bench clinic',
    address: { line: ['1 Bench St'], city: 'Benchville' },
    timeZone: 'UTC',
  });
  const type = await post(apiUrl, adminToken, '/v1/appointment-types', { name: 'Bench', durationMinutes: 5 });
  const results: Record<string, unknown> = {};
  const base = Date.parse(`${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
  const scenarios: [string, (n: number) => number][] = [
    [
      'book: different days (no contention)',
      (n) => base + (n % 28) * 86_400_000 + Math.floor(n / 28) * 5 * 60_000,
    ],
    [
      // Consecutive 5-minute slots, a day at a time: concurrent bookings share hour buckets.
      'book: one provider, consecutive slots',
      (n) => base + Math.floor(n / 280) * 86_400_000 + (n % 280) * 5 * 60_000,
    ],
    ['book: all on one slot (contention)', () => base],
  ];
  for (const [name, startOf] of scenarios) {
    const patient = await post(apiUrl, deskToken, '/v1/patients', {
      name: { given: ['Bench'], family: 'Booker' },
      birthDate: '1990-01-01',
      gender: 'other',
    });
    const provider = await post(apiUrl, adminToken, '/v1/providers', {
      name: { given: ['Bench'], family: 'Provider' },
      npi: withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999))),
      specialty: 'x',
      locationIds: [location.id],
    });
    await post(
      apiUrl,
      adminToken,
      `/v1/providers/${provider.id}/schedule`,
      {
        locationId: location.id,
        weekly: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((day) => ({
          day,
          start: '00:00',
          end: '24:00',
        })),
      },
      { 'If-Match': '"1"' },
    );
    let n = 0;
    const r = await new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(
        {
          url: `${apiUrl}/v1/appointments`,
          method: 'POST',
          headers: { Authorization: `Bearer ${deskToken}`, 'Content-Type': 'application/json' },
          connections: CONNECTIONS,
          duration: DURATION_S,
          requests: [
            {
              setupRequest: (req) => ({
                ...req,
                body: JSON.stringify({
                  patientId: patient.id,
                  providerId: provider.id,
                  appointmentTypeId: type.id,
                  start: new Date(startOf(n++)).toISOString(),
                }),
              }),
            },
          ],
        },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
    });
    results[name] = {
      requestsPerSecond: Math.round(r.requests.average),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      total: r.requests.total,
      '2xx': r['2xx'],
      non2xx: r.non2xx,
    };
  }
  return results;
}

/** The chart of a patient with 5 years of monthly visits (seeded straight into the table), read over HTTP. */
async function chartLoad(apiUrl: string, token: string) {
  const created = await post(apiUrl, token, '/v1/patients', {
    name: { given: ['Chart'], family: 'Bench' },
    birthDate: '1960-01-01',
    gender: 'other',
  });
  const items = await seedChartHistory(created.id, { years: 5, visitsPerYear: 12, sectionChars: 1_500 });
  const clinician = await signIn(runtimeInfo as { cognitoUrl: string; cognitoClientId: string }, 'clinician');
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: `${apiUrl}/v1/patients/${created.id}/chart`,
        headers: { Authorization: `Bearer ${clinician}` },
        connections: CONNECTIONS,
        duration: DURATION_S,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  return {
    seededItems: items,
    requestsPerSecond: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    non2xx: r.non2xx,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * The mirror locally: N patients consent to share everything, then each is changed once; lag is from the API's
 * 200 to the new version being readable in the local FHIR server; throughput is records over the whole span.
 */
async function mirrorLoad(apiUrl: string, fhirBaseUrl: string, token: string, count = 150) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await post(apiUrl, token, '/v1/patients', {
      name: { given: ['Mirror'], family: `Bench${i}` },
      birthDate: '1980-01-01',
      gender: 'other',
    });
    const consent = await fetch(`${apiUrl}/v1/patients/${created.id}/sharing`, {
      method: 'PUT',
      headers: { ...headers, 'If-Match': '"0"' },
      body: JSON.stringify({ mode: 'all' }),
    });
    if (!consent.ok) throw new Error(`consent ${consent.status}`);
    ids.push(created.id);
  }
  // Let the initial mirroring settle before timing the changes.
  await waitForVersions(fhirBaseUrl, new Map(ids.map((id) => [id, 1])), 60_000);
  const written = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(
      ids.slice(i, i + 10).map(async (id) => {
        const res = await fetch(`${apiUrl}/v1/patients/${id}`, {
          method: 'PATCH',
          headers: { ...headers, 'If-Match': '"1"' },
          body: JSON.stringify({ preferredLanguage: 'en' }),
        });
        if (!res.ok) throw new Error(`patch ${res.status}`);
        written.set(id, performance.now());
      }),
    );
  }
  const seen = await waitForVersions(fhirBaseUrl, new Map(ids.map((id) => [id, 2])), 60_000);
  const lags = ids.map((id) => (seen.get(id) ?? Number.NaN) - (written.get(id) ?? Number.NaN));
  const last = Math.max(...seen.values());
  return {
    records: ids.length,
    recordsPerSecond: Math.round((ids.length / (last - started)) * 1000),
    lagP50ms: Math.round(percentile(lags, 50)),
    lagP99ms: Math.round(percentile(lags, 99)),
  };
}

/** Polls the FHIR server (one search per round) until each patient shows the wanted source version. */
async function waitForVersions(fhirBaseUrl: string, wanted: Map<string, number>, timeoutMs: number) {
  const seen = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while (seen.size < wanted.size && Date.now() < deadline) {
    const pending = [...wanted.keys()].filter((id) => !seen.has(id));
    for (let i = 0; i < pending.length; i += 50) {
      const ids = pending.slice(i, i + 50).map((id) => id.toLowerCase());
      const res = await fetch(`${fhirBaseUrl}/Patient?_id=${ids.join(',')}&_count=50`);
      const bundle = (await res.json()) as {
        entry?: { resource: { id: string; meta?: { tag?: { code: string }[] } } }[];
      };
      const now = performance.now();
      for (const e of bundle.entry ?? []) {
        const id = e.resource.id.toUpperCase();
        const version = Number(e.resource.meta?.tag?.[0]?.code ?? 0);
        if (!seen.has(id) && version >= (wanted.get(id) ?? Number.POSITIVE_INFINITY)) seen.set(id, now);
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (seen.size < wanted.size) throw new Error(`only ${seen.size} of ${wanted.size} mirrored in time`);
  return seen;
}

async function synth() {
  const file = join(import.meta.dirname, 'synth.ts');
  if (!existsSync(file)) return undefined;
  const { measureSynth } = (await import(file)) as { measureSynth: (tenant?: string) => Promise<unknown> };
  return measureSynth('acme');
}

const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
console.log('Bundling handlers and timing imports…');
results.bundles = await bundles();
console.table((results.bundles as { handlers: object[] }).handlers);
console.log(`bare node -e 0: ${(results.bundles as { bareNodeMs: number }).bareNodeMs} ms`);

console.log('Starting the local runtime…');
let runtimeInfo: unknown;
const runtime = await startRuntimeProcess({
  args: ['--in-memory'],
  env: { POWERTOOLS_LOG_LEVEL: 'WARN', LOG_LEVEL: 'WARN' },
});
runtimeInfo = runtime.info;
try {
  results.dynamoDbRequestsPerOperation = await requestsPerOperation(runtime.info);
  console.log('DynamoDB requests per operation:');
  console.table(
    Object.fromEntries(
      Object.entries(results.dynamoDbRequestsPerOperation as Record<string, { requests: object }>).map(
        ([k, v]) => [k, JSON.stringify(v.requests)],
      ),
    ),
  );
  console.log(`Load: ${CONNECTIONS} connections, ${DURATION_S}s per endpoint, loopback…`);
  const deskToken = await signIn(runtime.info, 'front-desk');
  results.load = await load(runtime.info.apiUrl, deskToken);
  console.table(results.load as Record<string, object>);
  results.booking = await bookingLoad(runtime.info.apiUrl, await signIn(runtime.info, 'admin'), deskToken);
  console.table(results.booking as Record<string, object>);
  results.chart = await chartLoad(runtime.info.apiUrl, deskToken);
  console.log('Chart read, 5 years of monthly visits:', JSON.stringify(results.chart));
  results.mirror = await mirrorLoad(runtime.info.apiUrl, runtime.info.fhirBaseUrl, deskToken);
  console.log('FHIR mirror (local):', JSON.stringify(results.mirror));
  if (process.env.BENCH_CLAIMS !== '0') {
    console.log('Billing: claims from visits, 837 batches, one 835 posted…');
    results.billing = await billingBench();
    console.log('Billing:', JSON.stringify(results.billing, null, 2));
  }
} finally {
  await runtime.stop();
}

const synthResult = process.env.BENCH_SYNTH === '0' ? undefined : await synth();
if (synthResult) {
  results.synth = synthResult;
  console.log('CDK synth:', JSON.stringify(synthResult));
}
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`Wrote ${join(OUT, 'results.json')}`);
process.exit(0);
