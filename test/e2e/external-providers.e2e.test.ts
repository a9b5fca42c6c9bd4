// An outside specialist as an `external-provider` user, through the local gateway with real tokens: it reaches the
// referral sent to it and nothing else, loses it when the grant expires or the referral is cancelled, and closes the
// loop by accepting, scheduling and returning the consult note into the referring practice's chart.
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { DEMO_EXTERNAL_PRACTITIONER_ID } from '../../infra/local/seed.ts';
import { api, newPatientBody } from '../support/api.ts';
import { buildFullChart } from '../support/chart.ts';
import { useLocalTable } from '../support/local-env.ts';
import { cancelReferral, ORGANIZATION, sentReferral } from '../support/referrals.ts';
import { idClaims, signWithPoolKey } from '../support/tokens.ts';

const EXTERNAL_ROUTES = routes.filter((r) => r.roles.includes('external-provider'));
const ifMatch = (v: number) => ({ 'If-Match': `"${v}"` });
const BODIES: Record<string, unknown> = {
  declineExternalReferral: { reason: 'No capacity' },
  scheduleExternalReferral: { appointmentDate: '2027-01-05' },
  returnConsultNote: { text: 'Consult' },
};

/** Every external route for one referral, as `token` (or the demo external provider). */
async function everyRoute(referralId: string, options: { token?: string } = {}) {
  const answers: Record<string, number> = {};
  for (const route of EXTERNAL_ROUTES) {
    const path = route.path.replace('{referralId}', referralId);
    const res = await api(route.method, path, {
      ...(options.token ? { token: options.token, user: null } : { user: 'external-provider' }),
      ...(route.method === 'POST' ? { body: BODIES[route.operationId] ?? {}, headers: ifMatch(1) } : {}),
    });
    answers[route.operationId] = res.status;
  }
  return answers;
}

async function patient(): Promise<string> {
  const res = await api('POST', '/v1/patients', { user: 'front-desk', body: newPatientBody() });
  return res.body.id;
}

beforeAll(() => useLocalTable());

describe('an external provider', () => {
  it('is admitted by the external routes only, each of them tested here', () => {
    expect(EXTERNAL_ROUTES.map((r) => r.operationId).sort()).toEqual(
      [
        'acceptExternalReferral',
        'declineExternalReferral',
        'getExternalReferral',
        'getExternalReferralPacket',
        'getExternalReferralPatient',
        'listExternalReferrals',
        'returnConsultNote',
        'scheduleExternalReferral',
      ].sort(),
    );
  });

  it('finds nothing on any route once the grant has expired, or the referral was cancelled', async () => {
    const patientId = await patient();
    const expired = await sentReferral(patientId, {
      sentAt: new Date(Date.now() - 91 * 86_400_000).toISOString(),
    });
    const cancelled = await sentReferral(patientId);
    await cancelReferral(cancelled.referral);
    for (const { referral } of [expired, cancelled]) {
      const answers = await everyRoute(referral.id);
      const { listExternalReferrals: listed, ...perReferral } = answers;
      expect(listed).toBe(200);
      expect(
        Object.values(perReferral).every((s) => s === 404),
        JSON.stringify(answers),
      ).toBe(true);
    }
    const list = await api('GET', '/v1/external/referrals', { user: 'external-provider' });
    const ids = list.body.items.map((r: { id: string }) => r.id);
    expect(ids).not.toContain(expired.referral.id);
    expect(ids).not.toContain(cancelled.referral.id);
  });

  it('bound to another practitioner sees 404 on every route of this referral; unbound, 403', async () => {
    const { referral } = await sentReferral(await patient());
    const other = await signWithPoolKey({
      ...idClaims('external-provider'),
      'custom:practitionerId': '01KAXDEM0000000000000000D2',
    });
    const answers = await everyRoute(referral.id, { token: other });
    const { listExternalReferrals: listed, ...perReferral } = answers;
    expect(listed).toBe(200);
    expect(
      Object.values(perReferral).every((s) => s === 404),
      JSON.stringify(answers),
    ).toBe(true);

    const { 'custom:practitionerId': _bound, ...claims } = idClaims('external-provider');
    const unbound = await signWithPoolKey(claims);
    const refused = await everyRoute(referral.id, { token: unbound });
    expect(
      Object.values(refused).every((s) => s === 403),
      JSON.stringify(refused),
    ).toBe(true);
  });

  it('may not reach the chart, search patients, or read another patient', async () => {
    const { referral } = await sentReferral(await patient());
    for (const path of [
      `/v1/patients/${referral.patientId}`,
      `/v1/patients/${referral.patientId}/problems`,
      `/v1/patients/${referral.patientId}/received-documents`,
      '/v1/patients?family=a',
    ])
      expect((await api('GET', path, { user: 'external-provider' })).status, path).toBe(403);
  });

  it('closes the loop: reads, downloads the packet, accepts, schedules and returns the note into the chart', async () => {
    const patientId = await patient();
    const { referral, bundle, ccda } = await sentReferral(patientId);
    expect(DEMO_EXTERNAL_PRACTITIONER_ID).toBe(referral.recipient.id);
    const as = { user: 'external-provider' };

    const list = await api('GET', '/v1/external/referrals', as);
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(referral.id);
    const read = await api('GET', `/v1/external/referrals/${referral.id}`, as);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    const fhir = await api('GET', `/v1/external/referrals/${referral.id}/packet?format=fhir`, as);
    expect(fhir.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    expect(JSON.stringify(fhir.body)).toBe(bundle);
    const xml = await api('GET', `/v1/external/referrals/${referral.id}/packet?format=ccda`, as);
    expect(xml.body).toBe(ccda);
    const person = await api('GET', `/v1/external/referrals/${referral.id}/patient`, as);
    expect(Object.keys(person.body).sort()).toEqual(
      ['birthDate', 'gender', 'id', 'mrn', 'name', 'phone', 'preferredLanguage'].sort(),
    );

    const accept = { ...as, body: {}, headers: { ...ifMatch(1), 'Idempotency-Key': `acc-${referral.id}` } };
    expect((await api('POST', `/v1/external/referrals/${referral.id}/accept`, accept)).status).toBe(200);
    // A retry with the same key answers the same, and changes nothing.
    const retried = await api('POST', `/v1/external/referrals/${referral.id}/accept`, accept);
    expect(retried.status).toBe(200);
    expect(retried.body.version).toBe(2);
    expect(
      (
        await api('POST', `/v1/external/referrals/${referral.id}/schedule`, {
          ...as,
          body: { appointmentDate: '2027-01-06' },
          headers: ifMatch(1),
        })
      ).status,
    ).toBe(412);
    const scheduled = await api('POST', `/v1/external/referrals/${referral.id}/schedule`, {
      ...as,
      body: { appointmentDate: '2027-01-06' },
      headers: ifMatch(2),
    });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', appointmentDate: '2027-01-06' });
    const tooBig = Buffer.alloc(160_000, 1).toString('base64');
    const refused = await api('POST', `/v1/external/referrals/${referral.id}/consult-note`, {
      ...as,
      body: { attachment: { contentType: 'application/pdf', data: tooBig } },
      headers: ifMatch(3),
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toContain('body.attachment.data');
    const noted = await api('POST', `/v1/external/referrals/${referral.id}/consult-note`, {
      ...as,
      body: { title: 'Cardiology consult', text: 'Rate control with metoprolol.' },
      headers: ifMatch(3),
    });
    expect(noted.body).toMatchObject({ status: 'consult-note-received', version: 4 });

    const docs = await api('GET', `/v1/patients/${patientId}/received-documents`, { user: 'clinician' });
    expect(docs.body.items).toHaveLength(1);
    expect(docs.body.items[0]).toMatchObject({
      kind: 'consult-note',
      title: 'Cardiology consult',
      referralId: referral.id,
      from: { organizationName: ORGANIZATION.name },
    });
    const doc = await api('GET', `/v1/patients/${patientId}/received-documents/${docs.body.items[0].id}`, {
      user: 'nurse',
    });
    expect(Buffer.from(doc.body.contents[0].data, 'base64').toString()).toBe('Rate control with metoprolol.');
    expect(
      (await api('GET', `/v1/patients/${patientId}/received-documents`, { user: 'front-desk' })).status,
    ).toBe(403);

    const audit = await api('GET', `/v1/audit?patientId=${patientId}&limit=100`, { user: 'admin' });
    const external = audit.body.items.filter((r: { actor: { roles: string[] } }) =>
      r.actor.roles.includes('external-provider'),
    );
    expect(new Set(external.map((r: { action: string }) => r.action))).toEqual(
      new Set([
        'referral.read',
        'referral.packet.read',
        'patient.read',
        'referral.accept',
        'referral.schedule',
        'referral.return-consult-note',
        'received-document.create',
      ]),
    );
    // What the use cases recorded names the organisation; the stack's record of a replay names the account only.
    for (const r of external.filter(
      (r: { outcome: string; replayed?: boolean }) => r.outcome === 'success' && !r.replayed,
    ))
      expect(r.organization, r.action).toEqual(ORGANIZATION);
  });

  it('receives a referral a clinician sent through the API, with its real packet, and the referring side sees the answer', async () => {
    const chart = await buildFullChart();
    const sent = await api('POST', `/v1/patients/${chart.patientId}/referrals`, {
      user: 'clinician',
      body: {
        encounterId: chart.ids.encounter,
        recipientId: DEMO_EXTERNAL_PRACTITIONER_ID,
        reason: { code: 'I48.91', text: 'Palpitations, irregular pulse' },
        urgency: 'urgent',
        clinicalQuestion: 'Rate or rhythm control?',
      },
      headers: { 'Idempotency-Key': `ext-send-${chart.patientId}` },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const id = sent.body.id as string;
    const as = { user: 'external-provider' };
    const read = await api('GET', `/v1/external/referrals/${id}`, as);
    expect(read.body).toMatchObject({
      status: 'sent',
      urgency: 'urgent',
      recipient: { name: 'Dr. Lena Okafor' },
    });
    const bundle = await api('GET', `/v1/external/referrals/${id}/packet?format=fhir`, as);
    expect(bundle.body.resourceType).toBe('Bundle');
    expect(bundle.body.type).toBe('document');
    const accepted = await api('POST', `/v1/external/referrals/${id}/accept`, {
      ...as,
      body: {},
      headers: ifMatch(read.body.version),
    });
    expect(accepted.status).toBe(200);
    // The referring practice sees the recipient's answer on its own record.
    const referring = await api('GET', `/v1/referrals/${id}`, { user: 'clinician' });
    expect(referring.body.status).toBe('accepted');
    // Cancelled by the practice (the grant goes in the same write): the provider no longer finds it.
    const cancelled = await api('POST', `/v1/referrals/${id}/cancel`, {
      user: 'front-desk',
      body: { reason: 'Patient moved away' },
      headers: ifMatch(referring.body.version),
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect((await api('GET', `/v1/external/referrals/${id}`, as)).status).toBe(404);
  });
});
