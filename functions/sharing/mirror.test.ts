// The FHIR mirror's decisions and its contract with the FHIR store, against a fake FHIR server in memory (no
// DynamoDB, no network): what consent lets out, create/update/delete, stale versions, consent withdrawn and
// granted, retries with backoff, dead letters, bundle limits, and the stream handler's item failures and metrics.
// The same paths run end to end against DynamoDB Local and the local FHIR server in test/e2e/sharing.e2e.test.ts.

import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import type { DeadLetter } from '#shared/dead-letters.ts';
import { type Item, keyString } from '#shared/dynamodb.ts';
import { type FhirBundle, type FhirResource, SOURCE_VERSION_SYSTEM } from '#shared/fhir-client.ts';
import { METRIC_NAMESPACE, MIRROR_METRICS } from '#shared/metrics.ts';
import { mirrorBatch } from './handlers/mirror.ts';
import { type Change, Mirror, type MirrorOptions } from './mirror.ts';
import type { ExportJob, SharingConsent } from './schemas.ts';
import type { SharingStore } from './store.ts';

type Entry = NonNullable<FhirBundle['entry']>[number];

/**
 * A FHIR server in memory answering batch Bundles as HealthLake does: GET, PUT (If-Match checked against the
 * version id) and DELETE per entry. `fault` may answer an entry (or the whole bundle, by throwing) instead.
 */
class FakeFhir {
  readonly resources = new Map<string, FhirResource>();
  readonly bundles: FhirBundle[] = [];
  fault: ((entry: Entry, bundleIndex: number) => number | undefined) | undefined;
  failBundles = 0;

  async batch(bundle: FhirBundle): Promise<FhirBundle> {
    this.bundles.push(bundle);
    if (this.failBundles > 0) {
      this.failBundles -= 1;
      throw new Error('FHIR server answered 503 to a batch');
    }
    return {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: (bundle.entry ?? []).map((entry) => this.answer(entry)),
    };
  }

  private answer(entry: Entry): Entry {
    const faulted = this.fault?.(entry, this.bundles.length - 1);
    if (faulted !== undefined) {
      return {
        response: {
          status: String(faulted),
          outcome: {
            resourceType: 'OperationOutcome',
            issue: [{ code: 'invalid', expression: ['Condition.code'], diagnostics: 'PHI could be here' }],
          },
        },
      };
    }
    const { method, url, ifMatch } = entry.request ?? { method: 'GET', url: '' };
    const current = this.resources.get(url);
    if (method === 'GET')
      return current ? { resource: current, response: { status: '200' } } : { response: { status: '404' } };
    if (method === 'DELETE') {
      this.resources.delete(url);
      return { response: { status: '204' } };
    }
    const versionId = (current?.meta as { versionId?: string } | undefined)?.versionId;
    if (ifMatch && ifMatch !== `W/"${versionId}"`) return { response: { status: '412' } };
    const next = String(Number(versionId ?? 0) + 1);
    const resource = entry.resource as FhirResource;
    this.resources.set(url, { ...resource, meta: { ...resource.meta, versionId: next } });
    return { response: { status: current ? '200' : '201' } };
  }

  sourceVersionOf(ref: string): string | undefined {
    const tags = (this.resources.get(ref)?.meta as { tag?: { system: string; code: string }[] } | undefined)
      ?.tag;
    return tags?.find((t) => t.system === SOURCE_VERSION_SYSTEM)?.code;
  }

  writes(): Entry[] {
    return this.bundles.flatMap((b) => (b.entry ?? []).filter((e) => e.request?.method !== 'GET'));
  }
}

/** What the mirror reads from the table, held in memory: patients' items and their recorded consents. */
class MemorySharingStore implements SharingStore {
  readonly items: Item[] = [];
  consentReads = 0;

  async patientItems(patientId: string): Promise<Item[]> {
    return this.items.filter(
      (i) => i.patientId === patientId || (i.type === 'Patient' && i.id === patientId),
    );
  }

  async consents(patientIds: readonly string[]): Promise<Map<string, SharingConsent>> {
    this.consentReads += 1;
    const found = new Map<string, SharingConsent>();
    for (const item of this.items) {
      if (item.type === 'SharingConsent' && patientIds.includes(item.patientId as string))
        found.set(item.patientId as string, item as unknown as SharingConsent);
    }
    return found;
  }

  patientExists(): Promise<boolean> {
    throw new Error('not used by the mirror');
  }
  consent(): Promise<SharingConsent | undefined> {
    throw new Error('not used by the mirror');
  }
  putConsent(): Promise<void> {
    throw new Error('not used by the mirror');
  }
  getExport(): Promise<ExportJob | undefined> {
    throw new Error('not used by the mirror');
  }
  createExport(): Promise<void> {
    throw new Error('not used by the mirror');
  }
}

const PATIENT = '01KAXTEST0PATIENT000000001';
const OTHER = '01KAXTEST0PATIENT000000002';
const STAMP = {
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  createdBy: 'clinician-sub',
  updatedBy: 'clinician-sub',
};

function patientItem(id = PATIENT, version = 1): Item {
  return {
    pk: `PATIENT#${id}`,
    sk: 'PATIENT',
    type: 'Patient',
    id,
    version,
    mrn: `M${id.slice(-8)}`,
    name: { family: 'Doe', given: ['Jane'] },
    birthDate: '1980-02-03',
    gender: 'female',
    ...STAMP,
  };
}

function problemItem(id: string, version = 1, patientId = PATIENT): Item {
  return {
    pk: `PATIENT#${patientId}`,
    sk: `PROBLEM#${id}`,
    type: 'Problem',
    id,
    version,
    patientId,
    code: 'E11.9',
    display: 'Type 2 diabetes mellitus without complications',
    clinicalStatus: 'active',
    ...STAMP,
  };
}

function consentItem(
  mode: SharingConsent['mode'],
  categories: SharingConsent['categories'] = [],
  version = 1,
  patientId = PATIENT,
): Item {
  return {
    pk: `PATIENT#${patientId}`,
    sk: 'SHARING',
    type: 'SharingConsent',
    patientId,
    mode,
    categories,
    version,
  };
}

const key = (item: Item) => keyString(item as { pk: string; sk: string });
const created = (item: Item): Change => ({ key: key(item), newItem: item });
const updated = (before: Item, after: Item): Change => ({ key: key(after), newItem: after, oldItem: before });
const removed = (item: Item): Change => ({ key: key(item), oldItem: item });
const conditionOf = (id: string) => `Condition/${id.toLowerCase()}`;
const patientRef = (id = PATIENT) => `Patient/${id.toLowerCase()}`;
const consentRef = (id = PATIENT) => `Consent/consent-${id.toLowerCase()}`;

let fhir: FakeFhir;
let store: MemorySharingStore;
let deadLetters: DeadLetter[];

function mirror(options: MirrorOptions = {}): Mirror {
  return new Mirror(fhir, store, {
    bundlesPerSecond: 1_000_000,
    baseDelayMs: 0,
    deadLetters: async (entries) => {
      deadLetters.push(...entries);
    },
    ...options,
  });
}

const saved = { ...process.env };
beforeEach(() => {
  Object.assign(process.env, { TABLE_NAME: 'unit', PRACTICE_ID: 'acme', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  resetConfig();
  fhir = new FakeFhir();
  store = new MemorySharingStore();
  deadLetters = [];
});
afterEach(() => {
  process.env = { ...saved };
  resetConfig();
  vi.restoreAllMocks();
});

describe('a record changed in the practice', () => {
  it('is created in the FHIR store when the patient consented to its category, tagged with its version', async () => {
    store.items.push(consentItem('categories', ['problems']));
    const report = await mirror().apply([created(problemItem('P1'))]);
    expect(report).toEqual({ failedKeys: new Set(), written: 1, deleted: 0, unchanged: 0, deadLettered: 0 });
    const condition = fhir.resources.get(conditionOf('P1'));
    expect(condition?.meta).toMatchObject({ source: 'urn:continuum:acme' });
    expect(fhir.sourceVersionOf(conditionOf('P1'))).toBe('1');
  });

  it('never leaves without consent for its category, and reads every consent of a batch at once', async () => {
    store.items.push(consentItem('categories', ['demographics']));
    const report = await mirror().apply([
      created(problemItem('P1')),
      created(problemItem('P2', 1, OTHER)), // no consent recorded: the practice default, none
      created(patientItem()),
    ]);
    expect(report.written).toBe(1);
    expect([...fhir.resources.keys()]).toEqual([patientRef()]);
    expect(store.consentReads).toBe(1);
  });

  it('is updated in place (If-Match on the store’s version) and a replayed or older change writes nothing', async () => {
    store.items.push(consentItem('all'));
    const v1 = problemItem('P1', 1);
    const v2 = { ...problemItem('P1', 2), clinicalStatus: 'resolved' };
    await mirror().apply([created(v1)]);
    const report = await mirror().apply([updated(v1, v2)]);
    expect(report.written).toBe(1);
    const put = fhir.writes().at(-1);
    expect(put?.request).toEqual({ method: 'PUT', url: conditionOf('P1'), ifMatch: 'W/"1"' });
    expect(fhir.sourceVersionOf(conditionOf('P1'))).toBe('2');

    const sent = fhir.bundles.length;
    const replay = await mirror().apply([updated(v1, v2), created(v1)]);
    // Within a batch the last change of an item wins; against the store, an equal or newer version stays.
    expect(replay).toMatchObject({ written: 0, unchanged: 1 });
    expect(fhir.bundles.length - sent).toBe(1); // the read; no write bundle
    expect(fhir.sourceVersionOf(conditionOf('P1'))).toBe('2');
  });

  it('is deleted from the FHIR store when deleted in the practice, whatever the consent says now', async () => {
    store.items.push(consentItem('all'));
    const item = problemItem('P1');
    await mirror().apply([created(item)]);
    store.items.length = 0; // the consent is gone too: a deletion still goes out
    const report = await mirror().apply([removed(item)]);
    expect(report).toMatchObject({ deleted: 1, written: 0 });
    expect(fhir.resources.has(conditionOf('P1'))).toBe(false);
  });

  it('ignores items that are not shareable records (note summaries, locks, unknown types)', async () => {
    const report = await mirror().apply([
      created({ pk: `PATIENT#${PATIENT}`, sk: 'ALLERGY_LIST', type: 'AllergyListLock', patientId: PATIENT }),
    ]);
    expect(report).toMatchObject({ written: 0, deleted: 0, unchanged: 0 });
    expect(fhir.bundles).toEqual([]);
    expect(store.consentReads).toBe(0);
  });
});

describe('a consent change', () => {
  it('granted: backfills the patient’s history the new categories allow and mirrors the Consent', async () => {
    const grant = consentItem('categories', ['demographics', 'problems']);
    store.items.push(patientItem(), problemItem('P1'), problemItem('P2'), grant);
    const report = await mirror().apply([created(grant)]);
    expect(report.written).toBe(4);
    expect([...fhir.resources.keys()].sort()).toEqual(
      [consentRef(), conditionOf('P1'), conditionOf('P2'), patientRef()].sort(),
    );
    expect(fhir.resources.get(consentRef())).toMatchObject({
      status: 'active',
      provision: { type: 'permit' },
    });
  });

  it('withdrawn: deletes everything it allowed and the Consent; narrowed: deletes only what it no longer allows', async () => {
    const all = consentItem('all', [], 1);
    store.items.push(patientItem(), problemItem('P1'), all);
    await mirror().apply([created(all)]);
    expect(fhir.resources.size).toBe(3);

    const narrowed = consentItem('categories', ['demographics'], 2);
    store.items.splice(store.items.indexOf(all), 1, narrowed);
    const narrowing = await mirror().apply([updated(all, narrowed)]);
    expect(narrowing).toMatchObject({ deleted: 1, written: 1 });
    expect([...fhir.resources.keys()].sort()).toEqual([consentRef(), patientRef()].sort());
    expect(fhir.sourceVersionOf(consentRef())).toBe('2');

    const none = consentItem('none', [], 3);
    const withdrawal = await mirror().apply([updated(narrowed, none)]);
    expect(withdrawal).toMatchObject({ deleted: 2, written: 0 });
    expect(fhir.resources.size).toBe(0);
  });

  it('backfill on demand mirrors what the recorded consent allows, and nothing without one', async () => {
    store.items.push(patientItem(), problemItem('P1'));
    expect(await mirror().backfill(PATIENT)).toMatchObject({ written: 0 });
    expect(fhir.bundles).toEqual([]);
    store.items.push(consentItem('categories', ['problems']));
    const report = await mirror().backfill(PATIENT);
    expect(report).toMatchObject({ written: 2, unchanged: 0 });
    expect([...fhir.resources.keys()].sort()).toEqual([consentRef(), conditionOf('P1')].sort());
    expect(await mirror().backfill(PATIENT)).toMatchObject({ written: 0, unchanged: 2 });
  });
});

describe('when the FHIR store fails', () => {
  it('retries throttling, server errors and version conflicts until they pass', async () => {
    store.items.push(consentItem('all'));
    const failures = new Map<string, number[]>([
      [conditionOf('P1'), [429]],
      [conditionOf('P2'), [503, 500]],
      [conditionOf('P3'), [412]],
    ]);
    fhir.fault = (entry) => {
      if (entry.request?.method !== 'PUT') return undefined;
      return failures.get(entry.request.url)?.shift();
    };
    const report = await mirror().apply(['P1', 'P2', 'P3'].map((id) => created(problemItem(id))));
    expect(report).toMatchObject({ written: 3, deadLettered: 0 });
    expect(report.failedKeys.size).toBe(0);
    expect(fhir.resources.size).toBe(3);
  });

  it('retries a bundle the store did not answer at all', async () => {
    store.items.push(consentItem('all'));
    fhir.failBundles = 2;
    const report = await mirror().apply([created(problemItem('P1'))]);
    expect(report).toMatchObject({ written: 1 });
    expect(report.failedKeys.size).toBe(0);
  });

  it('hands back the items still failing after its attempts, for the stream to redeliver', async () => {
    store.items.push(consentItem('all'));
    const stuck = problemItem('P2');
    fhir.fault = (entry) =>
      entry.request?.url === conditionOf('P2') && entry.request.method === 'PUT' ? 503 : undefined;
    const report = await mirror({ maxAttempts: 3 }).apply([created(problemItem('P1')), created(stuck)]);
    expect(report.written).toBe(1);
    expect([...report.failedKeys]).toEqual([key(stuck)]);
    expect(fhir.writes().filter((e) => e.request?.url === conditionOf('P2'))).toHaveLength(3);
    expect(deadLetters).toEqual([]);
  });

  it('sends what the store rejects to the dead letters (codes and paths, no text) while the rest arrives', async () => {
    store.items.push(consentItem('all'));
    const rejected = problemItem('P2', 4);
    fhir.fault = (entry) =>
      entry.request?.url === conditionOf('P2') && entry.request.method === 'PUT' ? 422 : undefined;
    const report = await mirror().apply([created(problemItem('P1')), created(rejected)]);
    expect(report).toMatchObject({ written: 1, deadLettered: 1 });
    expect(report.failedKeys.size).toBe(0);
    expect(deadLetters).toEqual([
      {
        itemKey: key(rejected),
        resourceType: 'Condition',
        resourceId: 'p2',
        sourceVersion: 4,
        status: 422,
        issues: [{ code: 'invalid', paths: ['Condition.code'] }],
      },
    ]);
    expect(JSON.stringify(deadLetters)).not.toContain('PHI');
  });
});

describe('HealthLake’s limits', () => {
  it('sends bundles of at most maxBundleEntries, one read and one write bundle per chunk', async () => {
    store.items.push(consentItem('all'));
    const report = await mirror({ maxBundleEntries: 2 }).apply(
      ['P1', 'P2', 'P3', 'P4', 'P5'].map((id) => created(problemItem(id))),
    );
    expect(report.written).toBe(5);
    expect(fhir.bundles.map((b) => b.entry?.length)).toEqual([2, 2, 2, 2, 1, 1]);
  });
});

describe('the stream handler', () => {
  function streamRecord(change: Change, sequence: string): DynamoDBRecord {
    const item = (change.newItem ?? change.oldItem) as Item;
    return {
      eventName: change.newItem ? (change.oldItem ? 'MODIFY' : 'INSERT') : 'REMOVE',
      dynamodb: {
        SequenceNumber: sequence,
        Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
        ...(change.newItem ? { NewImage: marshall(change.newItem) as never } : {}),
        ...(change.oldItem ? { OldImage: marshall(change.oldItem) as never } : {}),
      },
    };
  }

  it('reports the records of items to retry, and counts the batch as embedded metrics', async () => {
    store.items.push(consentItem('all'));
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    fhir.fault = (entry) =>
      entry.request?.url === conditionOf('P2') && entry.request.method === 'PUT' ? 503 : undefined;
    const gone = problemItem('P3');
    const event: DynamoDBStreamEvent = {
      Records: [
        streamRecord(created(problemItem('P1')), '100'),
        streamRecord(created(problemItem('P2')), '101'),
        streamRecord(removed(gone), '102'),
        streamRecord(created(patientItem()), '103'),
      ],
    };
    const response = await mirrorBatch(mirror({ maxAttempts: 2 }), event);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });

    const emf = lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));
    expect(emf).toHaveLength(1);
    expect(emf[0]._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRIC_NAMESPACE,
        Dimensions: [['Practice']],
        Metrics: MIRROR_METRICS.map((Name) => ({ Name, Unit: 'Count' })),
      },
    ]);
    expect(emf[0]).toMatchObject({
      Practice: 'acme',
      MirrorRecords: 4,
      MirrorWritten: 2,
      MirrorDeleted: 1,
      MirrorUnchanged: 0,
      MirrorDeadLettered: 0,
      MirrorRetried: 1,
    });
  });
});
