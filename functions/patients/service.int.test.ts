// Patient use cases against DynamoDB Local: the data-access guarantees a practice relies on.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, PreconditionFailedError } from '#shared/errors.ts';
import { IdempotentReplay } from '#shared/idempotency.ts';
import { useLocalTable } from '../../test/support/local-env.ts';
import type { CreatePatientBody } from './schemas.ts';
import { PatientService } from './service.ts';
import { DynamoPatientStore } from './store.ts';

const ctx = (n = 0) => ({
  principal: { sub: `tester-${n}`, username: 'tester', roles: ['front-desk' as const] },
  requestId: `req-${crypto.randomUUID()}`,
});

function body(overrides: Partial<CreatePatientBody> = {}): CreatePatientBody {
  return {
    name: { given: ['Int'], family: `Store${crypto.randomUUID().replace(/[^a-f]/g, '')}` },
    birthDate: '1970-01-01',
    gender: 'unknown',
    ...overrides,
  };
}

let service: PatientService;
let store: DynamoPatientStore;
beforeAll(() => {
  useLocalTable();
  store = new DynamoPatientStore();
  service = new PatientService(store);
});

describe('PatientService on DynamoDB Local', () => {
  it('creates, reads, updates and finds a patient', async () => {
    const input = body();
    const created = await service.create(ctx(), input);
    const patient = created.body as { id: string; mrn: string; version: number };
    expect(await store.get(patient.id)).toMatchObject({ ...input, version: 1 });

    const updated = await service.update(ctx(), patient.id, 1, { preferredLanguage: 'de' });
    expect(updated.body).toMatchObject({ version: 2, preferredLanguage: 'de' });
    expect(await store.get(patient.id)).toMatchObject({ version: 2, preferredLanguage: 'de' });

    const page = await store.search({ family: input.name.family.toLowerCase(), limit: 10 });
    expect(page.items.map((p) => p.id)).toEqual([patient.id]);
    const byMrn = await store.search({ mrn: patient.mrn, limit: 10 });
    expect(byMrn.items.map((p) => p.id)).toEqual([patient.id]);
  });

  it('20 concurrent creates with the same MRN: exactly one succeeds', async () => {
    const mrn = `C-${Date.now().toString(36).toUpperCase()}`;
    const family = body().name.family;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        service.create(ctx(i), body({ mrn, name: { given: [`N${i}`], family } })),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(19);
    for (const f of failed) expect(f.reason).toBeInstanceOf(ConflictError);
    const stored = await store.search({ family, limit: 100 });
    expect(stored.items).toHaveLength(1);
    expect(stored.items[0]?.mrn).toBe(mrn);
  });

  it('a stale version is refused (412) and the record is unchanged', async () => {
    const created = (await service.create(ctx(), body())).body as { id: string };
    await service.update(ctx(), created.id, 1, { gender: 'female' });
    await expect(service.update(ctx(), created.id, 1, { gender: 'male' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(await store.get(created.id)).toMatchObject({ version: 2, gender: 'female' });
  });

  it('two concurrent updates from the same version: one wins, the other is 412, nothing lost', async () => {
    const created = (await service.create(ctx(), body())).body as { id: string };
    const results = await Promise.allSettled([
      service.update(ctx(1), created.id, 1, { preferredLanguage: 'fr' }),
      service.update(ctx(2), created.id, 1, { preferredLanguage: 'it' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
      body: unknown;
    }>[];
    expect(won).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason),
    ).toEqual([expect.any(PreconditionFailedError)]);
    expect(await store.get(created.id)).toMatchObject({ version: 2, ...(won[0]?.value.body as object) });
  });

  it('replays an Idempotency-Key: the second create writes nothing and returns the first response', async () => {
    const input = body();
    const idempotency = { key: `k-${crypto.randomUUID()}`, scope: 'tester#createPatient', fingerprint: 'f1' };
    const first = await service.create({ ...ctx(), idempotency }, input);
    const replay = await service.create({ ...ctx(), idempotency }, input).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(IdempotentReplay);
    expect((replay as IdempotentReplay).stored.response.body).toEqual(first.body);
    expect((await store.search({ family: input.name.family, limit: 10 })).items).toHaveLength(1);
  });
});
