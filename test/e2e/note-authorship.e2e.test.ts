// Who may edit a draft progress note (issue 18, finding 3): its author, and the colleagues the author added as
// contributors; nobody else. Contributors are listed on the note and on what the author signs.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, ifMatch, newPatientBody, tokenFor } from '../support/api.ts';

/** The `sub` claim of a demo user's ID token: the user id a colleague is added by. */
async function subOf(user: string): Promise<string> {
  const token = await tokenFor(user);
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')).sub;
}

let notes: string;
let encounterId: string;
let nurseSub: string;

beforeAll(async () => {
  const patient = await api('POST', '/v1/patients', { user: 'front-desk', body: newPatientBody() });
  notes = `/v1/patients/${patient.body.id}/notes`;
  const encounter = await api('POST', `/v1/patients/${patient.body.id}/encounters`, {
    user: 'front-desk',
    body: {
      class: 'ambulatory',
      provider: { id: '01KAXDEM0000000000000000P1', name: 'Dr. Rao' },
      reason: 'Follow-up',
    },
  });
  encounterId = encounter.body.id;
  nurseSub = await subOf('nurse');
}, 60_000);

async function draft(body: Record<string, unknown> = {}) {
  const res = await api('POST', notes, {
    user: 'clinician',
    body: { encounterId, assessment: 'The clinician’s assessment.', ...body },
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('a draft is edited by its author only', () => {
  it('a nurse may not rewrite a clinician’s draft: 403, and the note is unchanged', async () => {
    const note = await draft();
    expect(note.contributors).toEqual([]);
    const res = await api('PATCH', `${notes}/${note.id}`, {
      user: 'nurse',
      body: { assessment: 'Rewritten by someone else.' },
      headers: ifMatch(note.version),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const after = await api('GET', `${notes}/${note.id}`, { user: 'clinician' });
    expect(after.body).toMatchObject({ assessment: 'The clinician’s assessment.', version: note.version });
    // Nor may she make herself a contributor.
    const grab = await api('PATCH', `${notes}/${note.id}`, {
      user: 'nurse',
      body: { contributors: [{ userId: nurseSub, name: 'nurse' }] },
      headers: ifMatch(note.version),
    });
    expect(grab.status).toBe(403);
  });

  it('a contributor the author added may edit; she is listed, her edit is marked, and the signed note shows her', async () => {
    const note = await draft();
    const added = await api('PATCH', `${notes}/${note.id}`, {
      user: 'clinician',
      body: { contributors: [{ userId: nurseSub, name: 'Nurse Joy' }] },
      headers: ifMatch(note.version),
    });
    expect(added.status).toBe(200);
    expect(added.body.contributors).toEqual([
      { userId: nurseSub, name: 'Nurse Joy', addedAt: expect.any(String) },
    ]);
    const edited = await api('PATCH', `${notes}/${note.id}`, {
      user: 'nurse',
      body: { objective: 'BP 128/82 taken twice.' },
      headers: ifMatch(added.body.version),
    });
    expect(edited.status).toBe(200);
    expect(edited.body.objective).toBe('BP 128/82 taken twice.');
    expect(edited.body.updatedBy).toBe(nurseSub);
    expect(Date.parse(edited.body.contributors[0].lastEditedAt)).not.toBeNaN();
    // The contributor list is the author's alone.
    const widen = await api('PATCH', `${notes}/${note.id}`, {
      user: 'nurse',
      body: { contributors: [] },
      headers: ifMatch(edited.body.version),
    });
    expect(widen.status).toBe(403);
    // A replay of the nurse's edit with the version she read is stale, not a second write.
    const replay = await api('PATCH', `${notes}/${note.id}`, {
      user: 'nurse',
      body: { objective: 'BP 128/82 taken twice.' },
      headers: ifMatch(added.body.version),
    });
    expect(replay.status).toBe(412);
    const signed = await api('POST', `${notes}/${note.id}/sign`, {
      user: 'clinician',
      headers: ifMatch(edited.body.version),
    });
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('signed');
    expect(signed.body.contributors).toEqual([
      {
        userId: nurseSub,
        name: 'Nurse Joy',
        addedAt: expect.any(String),
        lastEditedAt: edited.body.contributors[0].lastEditedAt,
      },
    ]);
    // The note list (summaries) shows them too.
    const list = await api('GET', notes, { user: 'clinician' });
    expect(list.body.items.find((n: any) => n.id === note.id).contributors).toHaveLength(1);
    // A contributor may not sign.
    const other = await draft({ contributors: [{ userId: nurseSub, name: 'Nurse Joy' }] });
    expect(
      (await api('POST', `${notes}/${other.id}/sign`, { user: 'nurse', headers: ifMatch(other.version) }))
        .status,
    ).toBe(403);
  });

  it('removing a contributor takes the right away', async () => {
    const note = await draft({ contributors: [{ userId: nurseSub, name: 'Nurse Joy' }] });
    const removed = await api('PATCH', `${notes}/${note.id}`, {
      user: 'clinician',
      body: { contributors: [] },
      headers: ifMatch(note.version),
    });
    expect(removed.status).toBe(200);
    expect(removed.body.contributors).toEqual([]);
    const res = await api('PATCH', `${notes}/${note.id}`, {
      user: 'nurse',
      body: { plan: 'Late change.' },
      headers: ifMatch(removed.body.version),
    });
    expect(res.status).toBe(403);
  });

  it('the author cannot be a contributor, nor anyone twice: 422 naming the entry, nothing written', async () => {
    const note = await draft();
    const clinicianSub = await subOf('clinician');
    const self = await api('PATCH', `${notes}/${note.id}`, {
      user: 'clinician',
      body: { contributors: [{ userId: clinicianSub, name: 'Me' }] },
      headers: ifMatch(note.version),
    });
    expect(self.status).toBe(422);
    expect(self.body.errors.map((e: any) => e.field)).toEqual(['body.contributors.0.userId']);
    const twice = await api('PATCH', `${notes}/${note.id}`, {
      user: 'clinician',
      body: {
        contributors: [
          { userId: nurseSub, name: 'Nurse Joy' },
          { userId: nurseSub, name: 'Joy' },
        ],
      },
      headers: ifMatch(note.version),
    });
    expect(twice.status).toBe(422);
    expect(twice.body.errors.map((e: any) => e.field)).toEqual(['body.contributors.1.userId']);
    const bad = await api('PATCH', `${notes}/${note.id}`, {
      user: 'clinician',
      body: { contributors: [{ userId: 'not a user id!', name: 'x' }] },
      headers: ifMatch(note.version),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['body.contributors.0.userId']);
    expect((await api('GET', `${notes}/${note.id}`, { user: 'clinician' })).body.version).toBe(note.version);
  });
});
