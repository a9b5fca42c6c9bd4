// One visibility policy for every read of chart content: the longitudinal record (our chart as FHIR, merged with
// other organisations') shows each role what the chart shows it; a backfill of a full chart mirrors what consent
// allows, and nothing that is not a record of its own (issue 18, findings 1 and 2).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  eventually,
  expectData,
  fhir,
  MIRROR_WAIT_MS,
  fhirResource as read,
  setConsent,
} from '../support/api.ts';
import { buildFullChart, type FullChart, kindsIn, patientTokenFor } from '../support/chart.ts';

async function consentAll(patientId: string) {
  expectData(await setConsent(patientId, { mode: 'all' }), 200);
}

/** Another organisation's copy of the same person, with a final and a preliminary report and a condition. */
async function shareFromElsewhere(chart: FullChart) {
  const profile = (await api('GET', `/v1/patients/${chart.patientId}`, { user: 'front-desk' })).body;
  const post = async (resource: Record<string, unknown>) =>
    (
      await fhir(resource.resourceType as string, {
        method: 'POST',
        headers: { 'Content-Type': 'application/fhir+json' },
        body: JSON.stringify({ ...resource, meta: { source: 'urn:example:riverside-hospital' } }),
      })
    ).json();
  const other = await post({
    resourceType: 'Patient',
    name: [{ family: profile.name.family, given: profile.name.given }],
    birthDate: profile.birthDate,
  });
  const subject = { reference: `Patient/${other.id}` };
  const report = (status: string, text: string) =>
    post({
      resourceType: 'DiagnosticReport',
      status,
      code: { text },
      subject,
      issued: '2025-03-01T10:00:00Z',
    });
  return {
    final: await report('final', 'riverside-final-report'),
    preliminary: await report('preliminary', 'riverside-preliminary-report'),
    condition: await post({
      resourceType: 'Condition',
      subject,
      code: { text: 'riverside-asthma' },
      recordedDate: '2025-02-01',
    }),
  };
}

let chart: FullChart;
let patientToken: string;

beforeAll(async () => {
  chart = await buildFullChart();
  patientToken = await patientTokenFor(chart.patientId);
}, 60_000);

describe('backfill of a chart that holds every kind of item (finding 2)', () => {
  it('answers 200 and mirrors every shareable record, a draft note and the list items never', async () => {
    await consentAll(chart.patientId);
    const backfill = await api('POST', `/v1/patients/${chart.patientId}/sharing/backfill`, {
      user: 'clinician',
      body: {},
    });
    expect(backfill.status).toBe(200);
    expect(backfill.body).toMatchObject({ deadLettered: 0, pending: 0 });
    const { ids } = chart;
    const expected: [string, string][] = [
      ['Patient', chart.patientId],
      ['Consent', `consent-${chart.patientId}`],
      ['Encounter', ids.encounter],
      ['Condition', ids.problem],
      ['CarePlan', `${ids.problem}-plan`],
      ['MedicationRequest', ids.medication],
      ['AllergyIntolerance', ids.allergy],
      ['AllergyIntolerance', ids.noKnownAllergies],
      ['DocumentReference', ids.signedNote],
      ['DocumentReference', ids.addendum],
      ['DiagnosticReport', ids.finalLab],
      ['Observation', `${ids.finalLab}-1`],
      ['DiagnosticReport', ids.preliminaryLab],
      ['Observation', `${ids.preliminaryLab}-1`],
    ];
    for (const [type, id] of expected) {
      const resource = await eventually(() => read(type, id), MIRROR_WAIT_MS);
      expect(resource.meta.source).toBe('urn:continuum:local');
    }
    expect((await read('DiagnosticReport', ids.preliminaryLab)).status).toBe('preliminary');
    expect((await read('AllergyIntolerance', ids.noKnownAllergies)).code.coding[0].code).toBe('716186003');
    const vitals = await eventually(async () => {
      const bundle = await (
        await fhir(`Observation?patient=Patient/${chart.patientId.toLowerCase()}&category=vital-signs`)
      ).json();
      return (bundle.entry?.length ?? 0) >= 2 ? bundle.entry : undefined;
    }, MIRROR_WAIT_MS);
    expect(vitals.length).toBeGreaterThanOrEqual(2);
    // The draft is not a document yet; note summaries and the allergy list never leave.
    expect(await read('DocumentReference', ids.draftNote)).toBeUndefined();
    const documents = await (
      await fhir(`DocumentReference?patient=Patient/${chart.patientId.toLowerCase()}`)
    ).json();
    expect(documents.entry.map((e: any) => e.resource.id).sort()).toEqual(
      [ids.signedNote, ids.addendum].map((id) => id.toLowerCase()).sort(),
    );
    // Safe to repeat: the second run rewrites nothing.
    const again = await api('POST', `/v1/patients/${chart.patientId}/sharing/backfill`, {
      user: 'admin',
      body: {},
    });
    expect(again.status).toBe(200);
    expect(again.body.written).toBe(0);
  });
});

describe('the longitudinal record follows the chart’s visibility (finding 1)', () => {
  let riverside: Awaited<ReturnType<typeof shareFromElsewhere>>;
  beforeAll(async () => {
    riverside = await shareFromElsewhere(chart);
  });

  it('admin gets no chart content: 403, as on the chart itself', async () => {
    const longitudinal = await api('GET', `/v1/patients/${chart.patientId}/longitudinal`, { user: 'admin' });
    expect(longitudinal.status).toBe(403);
    expect(kindsIn(chart, longitudinal.body)).toEqual([]);
    expect((await api('GET', `/v1/patients/${chart.patientId}/chart`, { user: 'admin' })).status).toBe(403);
  });

  it('the patient sees signed and final only: no draft note, no preliminary report (ours or theirs), no encounter', async () => {
    const res = await api('GET', `/v1/patients/${chart.patientId}/longitudinal`, {
      user: null,
      token: patientToken,
    });
    expect(res.status).toBe(200);
    expect(kindsIn(chart, res.body).sort()).toEqual(
      [
        'signedNote',
        'addendum',
        'problem',
        'medication',
        'allergy',
        'noKnownAllergies',
        'vitals',
        'finalLab',
      ].sort(),
    );
    const reports = res.body.entries.filter((e: any) => e.resourceType === 'DiagnosticReport');
    expect(reports.map((e: any) => e.resource.status)).not.toContain('preliminary');
    expect(reports.map((e: any) => e.resource.id)).toEqual(
      expect.arrayContaining([chart.ids.finalLab.toLowerCase(), riverside.final.id]),
    );
    expect(reports.map((e: any) => e.resource.id)).not.toContain(riverside.preliminary.id);
    // The same as the chart shows the patient.
    const own = await api('GET', `/v1/patients/${chart.patientId}/chart`, {
      user: null,
      token: patientToken,
    });
    expect(kindsIn(chart, own.body).every((k) => kindsIn(chart, res.body).includes(k))).toBe(true);
    expect(kindsIn(chart, own.body)).not.toContain('draftNote');
  });

  it('the care team sees everything, drafts aside (a draft is not a document), and other organisations’ records', async () => {
    const res = await api('GET', `/v1/patients/${chart.patientId}/longitudinal`, { user: 'nurse' });
    expect(res.status).toBe(200);
    expect(kindsIn(chart, res.body)).not.toContain('draftNote');
    expect(kindsIn(chart, res.body)).toContain('preliminaryLab');
    expect(kindsIn(chart, res.body)).toContain('encounter');
    const external = res.body.entries
      .filter((e: any) => e.origin === 'external')
      .map((e: any) => e.resource.id);
    expect(external).toEqual(
      expect.arrayContaining([riverside.final.id, riverside.preliminary.id, riverside.condition.id]),
    );
  });

  it('another patient’s longitudinal record is concealed from a patient; roles that may not read the chart get 403', async () => {
    const other = await api('GET', '/v1/patients/01KAXDEM0PAT1ENT0000000001/longitudinal', {
      user: null,
      token: patientToken,
    });
    expect(other.status).toBe(404);
    for (const user of ['front-desk', 'billing', 'external-provider']) {
      const res = await api('GET', `/v1/patients/${chart.patientId}/longitudinal`, { user });
      expect(res.status).toBe(403);
      expect(kindsIn(chart, res.body)).toEqual([]);
    }
  });
});

describe('exports follow the same policy (finding 1)', () => {
  it('an admin’s export holds the patient and the consent but no chart content', async () => {
    await consentAll(chart.patientId);
    await eventually(() => read('Condition', chart.ids.problem), MIRROR_WAIT_MS);
    const started = await api('POST', '/v1/exports', { user: 'admin', body: {} });
    expect(started.status).toBe(202);
    const files = started.body.output.map((o: any) => ({
      type: o.type,
      lines: readFileSync(o.location, 'utf8')
        .trim()
        .split('\n')
        .map((l: string) => JSON.parse(l)),
    }));
    expect(files.map((f: any) => f.type)).toEqual(expect.arrayContaining(['Patient', 'Consent']));
    expect(files.map((f: any) => f.type)).not.toContain('Condition');
    const everything = files.flatMap((f: any) => f.lines);
    expect(everything.some((r: any) => r.id === chart.patientId.toLowerCase())).toBe(true);
    expect(kindsIn(chart, everything)).toEqual([]);
  });
});
