// Charting use cases against DynamoDB Local: the guarantees that need a real engine (transactions, conditions,
// the 1 MB page, the inbox index).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth/principal.ts';
import { ConflictError, PreconditionFailedError } from '#shared/errors.ts';
import { IdempotentReplay } from '#shared/idempotency.ts';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { DEMO_LOCATION_ID, DEMO_PROVIDER_ID } from '../../infra/local/seed.ts';
import { seedChartHistory } from '../../test/support/chart-history.ts';
import { useLocalTable } from '../../test/support/local-env.ts';
import { PatientService } from '../patients/service.ts';
import { CatalogService } from '../scheduling/catalog.ts';
import type { Allergy, Chart, LabResult, Note } from './schemas.ts';
import { ChartingService } from './service.ts';

const clinician: Principal = {
  sub: `clin-${crypto.randomUUID()}`,
  username: 'dr-int',
  roles: ['clinician'],
  // The demo provider the local runtime seeds: a record may only name a provider that exists.
  practitionerId: DEMO_PROVIDER_ID,
};
const ctx = (principal: Principal = clinician) => ({ principal, requestId: `req-${crypto.randomUUID()}` });

let charting: ChartingService;
let patients: PatientService;

async function newPatient(): Promise<string> {
  const created = await patients.create(ctx({ sub: 'desk', username: 'desk', roles: ['front-desk'] }), {
    name: { given: ['Int'], family: `Chart${crypto.randomUUID().replace(/[^a-f]/g, '')}` },
    birthDate: '1960-05-05',
    gender: 'female',
  });
  return (created.body as { id: string }).id;
}

/** A new provider of the practice, for a test that needs its own results inbox. */
async function newProvider(): Promise<string> {
  const admin = ctx({ sub: 'admin', username: 'admin', roles: ['admin'] });
  const created = await new CatalogService().createProvider(admin, {
    name: { given: ['Ina'], family: 'Box' },
    npi: withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999))),
    specialty: 'Family medicine',
    locationIds: [DEMO_LOCATION_ID],
  });
  return (created.body as { id: string }).id;
}

async function openEncounter(patientId: string): Promise<string> {
  const res = await charting.createEncounter(ctx(), patientId, {
    class: 'ambulatory',
    provider: { id: clinician.practitionerId as string, name: 'Dr. Int' },
    reason: 'Visit',
  });
  return (res.body as { id: string }).id;
}

beforeAll(() => {
  useLocalTable();
  charting = new ChartingService();
  patients = new PatientService();
});

describe('ChartingService on DynamoDB Local', () => {
  it('a chart larger than one 1 MB Query page keeps every current item and drops only the oldest history', async () => {
    const patientId = await newPatient();
    // Ten years of monthly visits, each with a large lab panel: over 1 MB in the chart's range without note text.
    const written = await seedChartHistory(patientId, {
      years: 10,
      visitsPerYear: 12,
      labEvery: 1,
      resultsPerLab: 60,
      sectionChars: 100,
    });
    expect(written).toBeGreaterThan(480);
    const newestEncounter = await openEncounter(patientId);

    const chart = (await charting.chart(ctx(), patientId)).body as Chart;
    expect(chart.historyComplete).toBe(false);
    expect(chart.patient.id).toBe(patientId);
    expect(chart.problems.map((p) => p.code).sort()).toEqual(['E11.9', 'E78.5', 'I10']);
    expect(chart.medications).toHaveLength(3);
    expect(chart.allergies).toMatchObject({
      status: 'has-allergies',
      items: [{ substance: { code: '7980' } }],
    });
    expect(chart.encounters[0]?.id).toBe(newestEncounter);
    expect(chart.encounters).toHaveLength(10);
    expect(chart.notes).toHaveLength(10);
    expect(chart.latestVitals).toBeDefined();
    // The newest records are there, in date order.
    const starts = chart.encounters.map((e) => e.start);
    expect([...starts].sort().reverse()).toEqual(starts);

    // A small chart is read whole.
    const small = await newPatient();
    await seedChartHistory(small, { years: 1, visitsPerYear: 4 });
    expect(((await charting.chart(ctx(), small)).body as Chart).historyComplete).toBe(true);
  });

  it('two clinicians racing to change the same draft: one wins, the other gets 412, nothing is lost', async () => {
    const patientId = await newPatient();
    const encounterId = await openEncounter(patientId);
    const note = (await charting.createNote(ctx(), patientId, { encounterId })).body as Note;
    const results = await Promise.allSettled([
      charting.updateNote(ctx(), patientId, note.id, 1, { plan: 'Plan A' }),
      charting.updateNote(ctx(), patientId, note.id, 1, { plan: 'Plan B' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(PreconditionFailedError);
    const stored = (await charting.read(ctx(), 'note', patientId, note.id)).body as Note;
    expect(stored.version).toBe(2);
    expect(['Plan A', 'Plan B']).toContain(stored.plan);
  });

  it('"no known allergies" and an active allergy never stand together, even when recorded at the same moment', async () => {
    const patientId = await newPatient();
    const nka = (
      await charting.createAllergy(ctx(), patientId, {
        noKnownAllergies: true,
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
      })
    ).body as Allergy;
    expect(nka.noKnownAllergies).toBe(true);
    const penicillin = {
      substance: { system: 'snomed' as const, code: '764146007', display: 'Penicillin' },
      clinicalStatus: 'active' as const,
      verificationStatus: 'confirmed' as const,
    };
    // Recording an allergy retires "no known allergies" in the same transaction.
    await charting.createAllergy(ctx(), patientId, penicillin);
    let chart = (await charting.chart(ctx(), patientId)).body as Chart;
    expect(chart.allergies.status).toBe('has-allergies');
    expect(chart.allergies.items.map((a) => a.substance?.display)).toEqual(['Penicillin']);
    await expect(
      charting.createAllergy(ctx(), patientId, {
        noKnownAllergies: true,
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
      }),
    ).rejects.toBeInstanceOf(ConflictError);

    // Racing writers on a fresh patient: the list lock makes them take turns.
    const racing = await newPatient();
    await Promise.allSettled([
      charting.createAllergy(ctx(), racing, {
        noKnownAllergies: true,
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
      }),
      charting.createAllergy(ctx(), racing, penicillin),
      charting.createAllergy(ctx(), racing, {
        noKnownAllergies: true,
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
      }),
    ]);
    chart = (await charting.chart(ctx(), racing)).body as Chart;
    const active = chart.allergies.items;
    expect(active.some((a) => a.noKnownAllergies) && active.some((a) => !a.noKnownAllergies)).toBe(false);
  });

  it('the results inbox: abnormal first; a corrected report returns for a fresh review', async () => {
    const patientId = await newPatient();
    const providerId = await newProvider();
    const report = (status: 'final' | 'preliminary', glucose: number, issued: string) => ({
      code: '24323-8',
      display: 'Comprehensive metabolic panel',
      status,
      orderingProviderId: providerId,
      issued,
      results: [
        {
          code: '2345-7',
          display: 'Glucose',
          value: glucose,
          unit: 'mg/dL',
          referenceRange: { low: 70, high: 99 },
        },
      ],
    });
    const normal = (
      await charting.createLabResult(ctx(), patientId, report('final', 85, '2026-01-01T10:00:00Z'))
    ).body as LabResult;
    const high = (
      await charting.createLabResult(ctx(), patientId, report('final', 250, '2026-01-02T10:00:00Z'))
    ).body as LabResult;
    const inboxIds = async () =>
      ((await charting.inbox(ctx(), { providerId, limit: 20 })).body as { items: LabResult[] }).items.map(
        (r) => r.id,
      );
    expect(await inboxIds()).toEqual([high.id, normal.id]);

    await charting.reviewLabResult(ctx(), patientId, normal.id, 1, {});
    expect(await inboxIds()).toEqual([high.id]);
    await expect(charting.reviewLabResult(ctx(), patientId, normal.id, 2, {})).rejects.toBeInstanceOf(
      ConflictError,
    );

    // The lab corrects the reviewed normal report: it is news again.
    const corrected = (
      await charting.updateLabResult(ctx(), patientId, normal.id, 2, {
        status: 'corrected',
        results: report('final', 60, '2026-01-01T10:00:00Z').results,
      })
    ).body as LabResult;
    expect(corrected).toMatchObject({ status: 'corrected', abnormal: true, version: 3 });
    expect(corrected.review).toBeUndefined();
    expect(await inboxIds()).toEqual([normal.id, high.id]);
  });

  it('replays an Idempotency-Key: the second create writes nothing and returns the first response', async () => {
    const patientId = await newPatient();
    const idempotency = {
      key: `k-${crypto.randomUUID()}`,
      scope: `${clinician.sub}#createProblem`,
      fingerprint: 'f',
    };
    const body = { code: 'I10', display: 'Essential hypertension', clinicalStatus: 'active' as const };
    const first = await charting.createProblem({ ...ctx(), idempotency }, patientId, body);
    const replay = await charting
      .createProblem({ ...ctx(), idempotency }, patientId, body)
      .catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(IdempotentReplay);
    expect((replay as IdempotentReplay).stored.response.body).toEqual(first.body);
    const list = (await charting.list(ctx(), 'problem', patientId, { limit: 20 })).body as {
      items: unknown[];
    };
    expect(list.items).toHaveLength(1);
  });
});
