// The referral exchange end to end, as "the specialist" sees it: sending puts a ServiceRequest and a Task (owner:
// the recipient's Organization, input: the packet's DocumentReference) into the local FHIR store; the specialist
// updates the Task there (accepted, in progress with an appointment, completed with the consult note) and the
// runtime's poller moves the referral to scheduled and then closed, the consult note downloadable.
import { describe, expect, it } from 'vitest';
import { api, eventually, newPatientBody, runtime } from '../support/api.ts';

const CARDIOLOGIST = '01KAXDEM000000000000000RD1';
const CARDIOLOGY_GROUP = '01KAXDEM000000000000000RG1';
const PROVIDER = '01KAXDEM0000000000000000P1';

async function fhir(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${runtime().fhirBaseUrl}/${path}`, {
    method,
    headers: { 'Content-Type': 'application/fhir+json', ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

/** The specialist's change: the Task they read, changed, written back on its version. */
async function specialistUpdates(taskId: string, change: (task: any) => void) {
  const task = (await fhir('GET', `Task/${taskId}`)).body;
  change(task);
  const res = await fhir('PUT', `Task/${taskId}`, task, { 'If-Match': `W/"${task.meta.versionId}"` });
  expect(res.status).toBe(200);
}

const referralStatus = async (id: string, status: string) => {
  const res = await api('GET', `/v1/referrals/${id}`, { user: 'front-desk' });
  return res.body.status === status ? res.body : undefined;
};

describe('the referral exchange through the FHIR store', () => {
  it('sends the Task, and the specialist’s updates move the referral to scheduled and then closed', async () => {
    const patient = (await api('POST', '/v1/patients', { user: 'front-desk', body: newPatientBody() })).body;
    const encounter = (
      await api('POST', `/v1/patients/${patient.id}/encounters`, {
        user: 'front-desk',
        body: {
          class: 'ambulatory',
          provider: { id: PROVIDER, name: 'Dr. Anika Rao' },
          reason: 'Palpitations',
        },
      })
    ).body;
    await api('POST', `/v1/patients/${patient.id}/problems`, {
      user: 'clinician',
      body: { code: 'I48.91', display: 'Atrial fibrillation' },
    });
    const sent = await api('POST', `/v1/patients/${patient.id}/referrals`, {
      user: 'clinician',
      body: {
        encounterId: encounter.id,
        recipientId: CARDIOLOGIST,
        reason: { code: 'I48.91', text: 'New atrial fibrillation' },
        urgency: 'urgent',
        clinicalQuestion: 'Rate or rhythm control?',
      },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const referral = sent.body;
    const taskId = referral.exchange.taskId;

    // The Task reaches the FHIR store: owned by the recipient's organisation, pointing at the packet.
    const task = await eventually(async () => {
      const res = await fhir('GET', `Task/${taskId}`);
      return res.status === 200 ? res.body : undefined;
    }, 30_000);
    expect(task).toMatchObject({
      status: 'requested',
      intent: 'order',
      focus: { reference: `ServiceRequest/${referral.exchange.serviceRequestId}` },
      owner: { reference: `Organization/${CARDIOLOGY_GROUP.toLowerCase()}` },
      input: [{ valueReference: { reference: `DocumentReference/${referral.packet.documentReferenceId}` } }],
    });
    const packet = await fhir('GET', `DocumentReference/${referral.packet.documentReferenceId}`);
    const bundle = JSON.parse(Buffer.from(packet.body.content[0].attachment.data, 'base64').toString('utf8'));
    expect(bundle.type).toBe('document');
    expect(
      (await fhir('GET', `ServiceRequest/${referral.exchange.serviceRequestId}`)).body.reasonCode[0].coding[0]
        .code,
    ).toBe('I48.91');

    // The specialist accepts, then books the patient.
    await specialistUpdates(taskId, (t) => {
      t.status = 'accepted';
    });
    await eventually(() => referralStatus(referral.id, 'accepted'), 30_000);
    await specialistUpdates(taskId, (t) => {
      t.status = 'in-progress';
      t.executionPeriod = { start: '2026-12-15T09:30:00Z' };
    });
    const scheduled = await eventually(() => referralStatus(referral.id, 'scheduled'), 30_000);
    expect(scheduled.appointmentDate).toBe('2026-12-15');
    expect(scheduled.history.at(-1)).toMatchObject({ status: 'scheduled', via: 'fhir' });

    // The consult note comes back as the Task's output: the loop closes.
    const note = 'Consult note: paroxysmal AF, CHA2DS2-VASc 2; start apixaban 5 mg twice daily.';
    const doc = await fhir('POST', 'DocumentReference', {
      resourceType: 'DocumentReference',
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
      subject: { reference: `Patient/${patient.id.toLowerCase()}` },
      author: [{ display: 'Dr. Lena Okafor' }],
      content: [
        {
          attachment: {
            contentType: 'text/plain',
            data: Buffer.from(note).toString('base64'),
            title: 'Cardiology consult',
          },
        },
      ],
    });
    expect(doc.status).toBe(201);
    await specialistUpdates(taskId, (t) => {
      t.status = 'completed';
      t.output = [
        { type: { text: 'Consult note' }, valueReference: { reference: `DocumentReference/${doc.body.id}` } },
      ];
    });
    const closed = await eventually(() => referralStatus(referral.id, 'closed'), 30_000);
    expect(closed.history.map((h: { status: string }) => h.status)).toEqual([
      'draft',
      'sent',
      'accepted',
      'scheduled',
      'consult-note-received',
      'closed',
    ]);
    const consult = await fetch(`${runtime().apiUrl}/v1/referrals/${referral.id}/consult-note`, {
      headers: { Authorization: `Bearer ${await (await import('../support/api.ts')).tokenFor('clinician')}` },
    });
    expect(consult.status).toBe(200);
    expect(await consult.text()).toBe(note);
    // A closed referral leaves the worklist.
    const worklist = await api('GET', '/v1/referrals?limit=100', { user: 'front-desk' });
    expect(worklist.body.items.map((r: { id: string }) => r.id)).not.toContain(referral.id);
  }, 180_000);

  it('tells a cancellation to the recipient’s Task', async () => {
    const patient = (await api('POST', '/v1/patients', { user: 'front-desk', body: newPatientBody() })).body;
    const encounter = (
      await api('POST', `/v1/patients/${patient.id}/encounters`, {
        user: 'front-desk',
        body: { class: 'ambulatory', provider: { id: PROVIDER, name: 'Dr. Anika Rao' }, reason: 'Rash' },
      })
    ).body;
    const referral = (
      await api('POST', `/v1/patients/${patient.id}/referrals`, {
        user: 'clinician',
        body: {
          encounterId: encounter.id,
          recipientId: CARDIOLOGIST,
          reason: { code: 'R00.2', text: 'Palpitations' },
          urgency: 'routine',
          clinicalQuestion: 'Holter?',
        },
      })
    ).body;
    await eventually(
      async () => ((await fhir('GET', `Task/${referral.exchange.taskId}`)).status === 200 ? true : undefined),
      30_000,
    );
    const cancelled = await api('POST', `/v1/referrals/${referral.id}/cancel`, {
      user: 'front-desk',
      body: { reason: 'Patient moved away' },
      headers: { 'If-Match': `"${referral.version}"` },
    });
    expect(cancelled.status).toBe(200);
    const task = await eventually(async () => {
      const t = (await fhir('GET', `Task/${referral.exchange.taskId}`)).body;
      return t.status === 'cancelled' ? t : undefined;
    }, 30_000);
    expect(task.statusReason.text).toBe('Patient moved away');
  }, 120_000);
});
