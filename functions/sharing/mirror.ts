// The mirror: turns changes to shareable items into FHIR writes the patient's consent allows, idempotently.
// - Only consented categories leave; a consent change deletes what it no longer allows and backfills what it
//   newly allows; a deleted item deletes its resources.
// - Every resource carries meta.source (the practice) and a source-version tag; before writing, the current
//   resource is read (in one batch) and an equal or newer source version is left alone, so a replayed or
//   out-of-order older change never overwrites a newer one and a replayed batch writes nothing.
// - Writes go as batch Bundles of at most 160 entries, at most ~10 per second (HealthLake's limits); 429, 5xx
//   and 412 are retried with backoff and jitter; what the server rejects (other 4xx) goes to the dead letters.
// https://docs.aws.amazon.com/healthlake/latest/devguide/reference-healthlake-endpoints-quotas.html
import { type DeadLetter, outcomeIssues, sendToDeadLetters } from '#shared/dead-letters.ts';
import { type Key, keyString } from '#shared/dynamodb.ts';
import {
  type FhirBundle,
  type FhirClient,
  type FhirResource,
  isRetryable,
  SOURCE_VERSION_SYSTEM,
} from '#shared/fhir-client.ts';
import { logger } from '#shared/logger.ts';
import { consentFhirId, toFhirConsent } from './fhir.ts';
import { CONSENT_TYPE, type Item, mapContext, record, SHAREABLE } from './registry.ts';
import { allowed, defaultConsent, type SharingConsent } from './schemas.ts';
import type { SharingStore } from './store.ts';

/** One changed item: its new image (absent when deleted) and old image (absent when created). */
export interface Change {
  key: string;
  newItem?: Item;
  oldItem?: Item;
}

interface Operation {
  /** The item the operation is for: failures are reported per item. */
  key: string;
  method: 'PUT' | 'DELETE';
  resourceType: string;
  id: string;
  resource?: FhirResource;
  sourceVersion?: number;
}

/** What the mirror needs of the FHIR store: batch bundles (the SigV4 FhirClient, or a fake in unit tests). */
export type FhirBatch = Pick<FhirClient, 'batch'>;

/** Where resources the FHIR store rejected go (shared/dead-letters.ts: SQS in AWS, a file locally). */
export type DeadLetterSink = (entries: DeadLetter[]) => Promise<void>;

export interface MirrorOptions {
  deadLetters?: DeadLetterSink;
  maxBundleEntries?: number;
  bundlesPerSecond?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
}

export interface MirrorReport {
  /** Items whose resources could not be written yet: the caller retries them (Lambda: batch-item failures). */
  failedKeys: Set<string>;
  written: number;
  deleted: number;
  unchanged: number;
  deadLettered: number;
}

const keyOf = (item: Item) => keyString(item as Key);
const typeOf = (change: Change) => (change.newItem?.type ?? change.oldItem?.type) as string;

function sourceVersionOf(resource: FhirResource | undefined): number | undefined {
  const tags = (resource?.meta as { tag?: { system?: string; code?: string }[] } | undefined)?.tag ?? [];
  const tag = tags.find((t) => t.system === SOURCE_VERSION_SYSTEM);
  return tag?.code ? Number(tag.code) : undefined;
}

function toConsent(item: Item | undefined, patientId: string): SharingConsent {
  return item ? record<SharingConsent>(item) : defaultConsent(patientId);
}

export class Mirror {
  private readonly client: FhirBatch;
  private readonly store: SharingStore;
  private readonly deadLetters: DeadLetterSink;
  private readonly maxEntries: number;
  private readonly minBundleGapMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private lastBundleAt = 0;

  constructor(client: FhirBatch, store: SharingStore, options: MirrorOptions = {}) {
    this.client = client;
    this.store = store;
    this.deadLetters = options.deadLetters ?? sendToDeadLetters;
    this.maxEntries = options.maxBundleEntries ?? 160;
    this.minBundleGapMs = 1000 / (options.bundlesPerSecond ?? 10);
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 100;
  }

  /** Applies changes in order (the last change of an item wins); returns what must be retried. */
  async apply(changes: Change[]): Promise<MirrorReport> {
    const latest = new Map<string, Change>();
    for (const change of changes) {
      const type = typeOf(change);
      if (type !== CONSENT_TYPE && !SHAREABLE[type]) continue;
      const previous = latest.get(change.key);
      latest.set(
        change.key,
        previous ? { ...change, ...(previous.oldItem ? { oldItem: previous.oldItem } : {}) } : change,
      );
    }
    const consents = await this.consentsFor([...latest.values()]);
    const operations: Operation[] = [];
    for (const change of latest.values()) {
      if (typeOf(change) === CONSENT_TYPE) operations.push(...(await this.consentChanged(change)));
      else operations.push(...this.recordChanged(change, consents));
    }
    return this.execute(operations);
  }

  /** Mirrors everything the patient's current consent allows (on grant, and on demand). */
  async backfill(patientId: string): Promise<MirrorReport> {
    const items = await this.store.patientItems(patientId);
    const consentItem = items.find((i) => i.type === CONSENT_TYPE);
    const consent = toConsent(consentItem, patientId);
    const consents = new Map([[patientId, consent]]);
    const operations = items
      .filter((i) => i.type !== CONSENT_TYPE)
      .flatMap((item) => this.recordChanged({ key: keyOf(item), newItem: item }, consents));
    // Only a recorded consent allows anything, so there is a consent item to report a failure against.
    if (consentItem && allowed(consent).size > 0)
      operations.push(this.consentPut(consent, keyOf(consentItem)));
    return this.execute(operations);
  }

  // ── Deciding ─────────────────────────────────────────────────────────────────────────────────────────────
  private async consentsFor(changes: Change[]): Promise<Map<string, SharingConsent>> {
    const consents = new Map<string, SharingConsent>();
    const wanted = new Set<string>();
    for (const change of changes) {
      const type = typeOf(change);
      if (type === CONSENT_TYPE) continue;
      const item = (change.newItem ?? change.oldItem) as Item;
      wanted.add((SHAREABLE[type] as (typeof SHAREABLE)[string]).patientIdOf(item));
    }
    if (wanted.size === 0) return consents;
    // Every patient of the batch at once (the store: one BatchGetItem per 100 patients).
    const recorded = await this.store.consents([...wanted]);
    for (const id of wanted) consents.set(id, recorded.get(id) ?? defaultConsent(id));
    return consents;
  }

  private recordChanged(change: Change, consents: Map<string, SharingConsent>): Operation[] {
    const shareable = SHAREABLE[typeOf(change)];
    // A partition also holds items that are not records of their own (note summaries, the allergy-list lock):
    // they never leave the practice.
    if (!shareable) return [];
    const ctx = mapContext();
    if (!change.newItem) {
      // Deleted in the practice: delete what may have been shared, whatever the consent says now.
      return shareable
        .toFhir(change.oldItem as Item, ctx)
        .map((r) => this.deleteOf(change.key, r.resourceType, r.id as string));
    }
    const patientId = shareable.patientIdOf(change.newItem);
    if (!allowed(consents.get(patientId)).has(shareable.category)) return [];
    return shareable.toFhir(change.newItem, ctx).map((resource) => ({
      key: change.key,
      method: 'PUT' as const,
      resourceType: resource.resourceType,
      id: resource.id as string,
      resource,
      sourceVersion: change.newItem?.version as number,
    }));
  }

  private async consentChanged(change: Change): Promise<Operation[]> {
    const patientId = (change.newItem?.patientId ?? change.oldItem?.patientId) as string;
    const before = allowed(change.oldItem ? toConsent(change.oldItem, patientId) : undefined);
    const after = allowed(change.newItem ? toConsent(change.newItem, patientId) : undefined);
    const removed = [...before].filter((c) => !after.has(c));
    const added = [...after].filter((c) => !before.has(c));
    const operations: Operation[] = [];
    if (removed.length > 0 || added.length > 0) {
      const items = await this.store.patientItems(patientId);
      for (const item of items) {
        const shareable = SHAREABLE[item.type as string];
        if (!shareable) continue;
        if (removed.includes(shareable.category)) {
          operations.push(
            ...shareable
              .toFhir(item, mapContext())
              .map((r) => this.deleteOf(change.key, r.resourceType, r.id as string)),
          );
        } else if (added.includes(shareable.category)) {
          operations.push(
            ...shareable.toFhir(item, mapContext()).map((resource) => ({
              key: change.key,
              method: 'PUT' as const,
              resourceType: resource.resourceType,
              id: resource.id as string,
              resource,
              sourceVersion: item.version as number,
            })),
          );
        }
      }
    }
    if (after.size > 0 && change.newItem)
      operations.push(this.consentPut(toConsent(change.newItem, patientId), change.key));
    else operations.push(this.deleteOf(change.key, 'Consent', consentFhirId(patientId)));
    return operations;
  }

  private consentPut(consent: SharingConsent, key: string): Operation {
    const resource = toFhirConsent(consent, mapContext()) as unknown as FhirResource;
    return {
      key,
      method: 'PUT',
      resourceType: 'Consent',
      id: resource.id as string,
      resource,
      sourceVersion: consent.version,
    };
  }

  private deleteOf(key: string, resourceType: string, id: string): Operation {
    return { key, method: 'DELETE', resourceType, id };
  }

  // ── Writing ──────────────────────────────────────────────────────────────────────────────────────────────
  private async execute(operations: Operation[]): Promise<MirrorReport> {
    const report: MirrorReport = {
      failedKeys: new Set(),
      written: 0,
      deleted: 0,
      unchanged: 0,
      deadLettered: 0,
    };
    // The last operation on a resource wins (a consent change may both delete and re-put the same resource).
    const byResource = new Map<string, Operation>();
    for (const op of operations) byResource.set(`${op.resourceType}/${op.id}`, op);
    let pending = [...byResource.values()];
    const deadLetters: DeadLetter[] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const retry: Operation[] = [];
      for (let i = 0; i < pending.length; i += this.maxEntries) {
        const chunk = pending.slice(i, i + this.maxEntries);
        const outcome = await this.writeChunk(chunk);
        retry.push(...outcome.retry);
        deadLetters.push(...outcome.rejected);
        report.written += outcome.written;
        report.deleted += outcome.deleted;
        report.unchanged += outcome.unchanged;
      }
      pending = retry;
      if (pending.length === 0) break;
      if (attempt >= this.maxAttempts) {
        for (const op of pending) report.failedKeys.add(op.key);
        break;
      }
      // Exponential backoff with full jitter.
      await new Promise((r) => setTimeout(r, Math.random() * this.baseDelayMs * 2 ** attempt));
    }
    await this.deadLetters(deadLetters);
    report.deadLettered = deadLetters.length;
    if (report.failedKeys.size > 0) logger.warn('mirror will retry', { items: report.failedKeys.size });
    return report;
  }

  private async throttle(): Promise<void> {
    const wait = this.lastBundleAt + this.minBundleGapMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.lastBundleAt = Date.now();
  }

  private async send(bundle: FhirBundle): Promise<FhirBundle | undefined> {
    await this.throttle();
    try {
      return await this.client.batch(bundle);
    } catch {
      return undefined;
    }
  }

  /** One GET bundle to learn current source versions, then one bundle of the writes still needed. */
  private async writeChunk(chunk: Operation[]) {
    const result = {
      retry: [] as Operation[],
      rejected: [] as DeadLetter[],
      written: 0,
      deleted: 0,
      unchanged: 0,
    };
    const puts = chunk.filter((op) => op.method === 'PUT');
    const current = new Map<string, FhirResource | undefined>();
    if (puts.length > 0) {
      const reads = await this.send({
        resourceType: 'Bundle',
        type: 'batch',
        entry: puts.map((op) => ({ request: { method: 'GET', url: `${op.resourceType}/${op.id}` } })),
      });
      if (!reads) return { ...result, retry: chunk };
      for (const [i, op] of puts.entries()) {
        const entry = reads.entry?.[i];
        const status = Number.parseInt(entry?.response?.status ?? '0', 10);
        if (status === 200) current.set(`${op.resourceType}/${op.id}`, entry?.resource);
        else if (status === 404 || status === 410) current.set(`${op.resourceType}/${op.id}`, undefined);
      }
    }
    const writes: Operation[] = [];
    for (const op of chunk) {
      const ref = `${op.resourceType}/${op.id}`;
      if (op.method === 'PUT') {
        if (!current.has(ref)) {
          result.retry.push(op);
          continue;
        }
        const existing = sourceVersionOf(current.get(ref));
        if (existing !== undefined && op.sourceVersion !== undefined && existing >= op.sourceVersion) {
          result.unchanged += 1;
          continue;
        }
      }
      writes.push(op);
    }
    if (writes.length === 0) return result;
    const response = await this.send({
      resourceType: 'Bundle',
      type: 'batch',
      entry: writes.map((op) => {
        const ref = `${op.resourceType}/${op.id}`;
        const versionId = (current.get(ref)?.meta as { versionId?: string } | undefined)?.versionId;
        return op.method === 'PUT'
          ? {
              resource: op.resource,
              request: { method: 'PUT', url: ref, ...(versionId ? { ifMatch: `W/"${versionId}"` } : {}) },
            }
          : { request: { method: 'DELETE', url: ref } };
      }),
    });
    if (!response) return { ...result, retry: [...result.retry, ...writes] };
    for (const [i, op] of writes.entries()) {
      const entry = response.entry?.[i]?.response;
      const status = Number.parseInt(entry?.status ?? '0', 10);
      if ((status >= 200 && status < 300) || (op.method === 'DELETE' && (status === 404 || status === 410))) {
        if (op.method === 'PUT') result.written += 1;
        else result.deleted += 1;
      } else if (isRetryable(status) || status === 412 || status === 409) {
        result.retry.push(op);
      } else {
        result.rejected.push({
          itemKey: op.key,
          resourceType: op.resourceType,
          resourceId: op.id,
          ...(op.sourceVersion !== undefined ? { sourceVersion: op.sourceVersion } : {}),
          status,
          issues: outcomeIssues(entry?.outcome),
        });
      }
    }
    return result;
  }
}
