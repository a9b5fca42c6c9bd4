// The sharing store against DynamoDB Local: consent written only over the version read, read one by one and a
// stream batch's worth at once, a patient's shareable history (chart partition and appointments), export jobs;
// each within its request budget (docs/data-model.md, patterns 19-21).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { patientKeys } from '#functions/patients/index.ts';
import { appointmentKeys } from '#functions/scheduling/index.ts';
import { countRequests, db, tableName } from '#shared/dynamodb.ts';
import { PreconditionFailedError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import { useLocalTable } from '../../test/support/local-env.ts';
import type { SharingConsent } from './schemas.ts';
import { DynamoSharingStore } from './store.ts';

const ctx = () => ({
  principal: { sub: 'tester', username: 'tester', roles: ['front-desk' as const] },
  requestId: `req-${crypto.randomUUID()}`,
});
const write = (patientId: string) => ({
  audit: [{ action: 'sharing.update', resourceType: 'Consent', patientId, outcome: 'success' as const }],
  response: { status: 200, headers: {}, body: {} },
});
const consent = (
  patientId: string,
  version: number,
  mode: SharingConsent['mode'] = 'all',
): SharingConsent => ({
  patientId,
  mode,
  categories: [],
  version,
  updatedAt: new Date().toISOString(),
  updatedBy: 'tester',
});

async function put(item: Record<string, unknown>) {
  await db().send(new PutCommand({ TableName: tableName(), Item: item }));
}

let store: DynamoSharingStore;
beforeAll(() => {
  useLocalTable();
  store = new DynamoSharingStore();
});

describe('consent', () => {
  it('is recorded only over the version read: first with 0, then each next one; a stale write changes nothing', async () => {
    const patientId = newId();
    expect(await store.consent(patientId)).toBeUndefined();
    const first = await countRequests(() =>
      store.putConsent(ctx(), 0, consent(patientId, 1), write(patientId)),
    );
    expect(first.counts).toEqual({ TransactWriteItems: 1 });
    await expect(store.putConsent(ctx(), 0, consent(patientId, 1, 'none'), write(patientId))).rejects.toThrow(
      PreconditionFailedError,
    );
    await store.putConsent(ctx(), 1, consent(patientId, 2, 'none'), write(patientId));
    await expect(store.putConsent(ctx(), 1, consent(patientId, 2, 'all'), write(patientId))).rejects.toThrow(
      PreconditionFailedError,
    );
    const read = await countRequests(() => store.consent(patientId));
    expect(read.counts).toEqual({ GetItem: 1 });
    expect(read.result).toEqual({ ...consent(patientId, 2, 'none'), updatedAt: expect.any(String) });
  });

  it('of a stream batch’s patients is one BatchGetItem, leaving out those who never recorded one', async () => {
    const [a, b, none] = [newId(), newId(), newId()];
    await store.putConsent(ctx(), 0, consent(a, 1), write(a));
    await store.putConsent(ctx(), 0, consent(b, 1, 'none'), write(b));
    const { result, counts } = await countRequests(() => store.consents([a, b, none]));
    expect(counts).toEqual({ BatchGetItem: 1 });
    expect([...result.keys()].sort()).toEqual([a, b].sort());
    expect(result.get(b)).toMatchObject({ patientId: b, mode: 'none', version: 1 });
  });
});

describe('a patient’s shareable history', () => {
  it('is the patient’s partition and their appointments, two Queries, keys kept for the mirror', async () => {
    const patientId = newId();
    const appointmentId = newId();
    await put({
      pk: patientKeys.partition(patientId),
      sk: patientKeys.profile,
      type: 'Patient',
      id: patientId,
    });
    await put({ pk: patientKeys.partition(patientId), sk: `PROBLEM#${newId()}`, type: 'Problem', patientId });
    await put({
      pk: `APPOINTMENT#${appointmentId}`,
      sk: 'APPOINTMENT',
      gsi2pk: appointmentKeys.byPatient.pk(patientId),
      gsi2sk: appointmentKeys.byPatient.sk('2026-12-01T10:00:00.000Z', appointmentId),
      type: 'Appointment',
      id: appointmentId,
      patientId,
    });
    const { result, counts } = await countRequests(() => store.patientItems(patientId));
    expect(counts).toEqual({ Query: 2 });
    expect(result.map((i) => i.type).sort()).toEqual(['Appointment', 'Patient', 'Problem']);
    expect(result.every((i) => typeof i.pk === 'string' && typeof i.sk === 'string')).toBe(true);
    expect(await store.patientExists(patientId)).toBe(true);
    expect(await store.patientExists(newId())).toBe(false);
  });
});

describe('export jobs', () => {
  it('are stored with their audit record in one transaction and read back by id', async () => {
    const job = {
      id: newId(),
      status: 'completed' as const,
      target: 'local' as const,
      requestedAt: new Date().toISOString(),
      requestedBy: 'tester',
      output: [{ type: 'Patient', count: 1, location: '/tmp/x/Patient.ndjson' }],
      version: 1,
    };
    const created = await countRequests(() =>
      store.createExport(ctx(), job, {
        audit: [
          { action: 'export.start', resourceType: 'ExportJob', resourceId: job.id, outcome: 'success' },
        ],
        response: { status: 202, headers: {}, body: job },
      }),
    );
    expect(created.counts).toEqual({ TransactWriteItems: 1 });
    expect(await store.getExport(job.id)).toEqual(job);
    expect(await store.getExport(newId())).toBeUndefined();
  });
});
