// Builds, through the API, a chart that holds one of every kind of chart record (and every state that changes who
// may see it), each carrying a marker a test can look for in any representation: JSON, FHIR, NDJSON.

import { api, newPatientBody } from './api.ts';
import { idClaims, signWithPoolKey } from './tokens.ts';

/** Kinds of chart content, split by the state that decides who sees them. */
export const CONTENT_KINDS = [
  'encounter',
  'signedNote',
  'draftNote',
  'addendum',
  'problem',
  'medication',
  'allergy',
  'noKnownAllergies',
  'vitals',
  'finalLab',
  'preliminaryLab',
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export interface FullChart {
  patientId: string;
  providerId: string;
  ids: Record<ContentKind, string>;
  /**
   * Strings that appear only where the record does: a text marker for records with free text, else the record's
   * id (records no other record refers to), lower-cased (FHIR ids are).
   */
  markers: Record<ContentKind, string>;
  /** Other records the fixtures made, for tests that need them. */
  extra: { signedNoteVersion: number; draftNoteVersion: number };
}

const PROVIDER_ID = '01KAXDEM0000000000000000P1';

function check(res: { status: number; body: any }, what: string, status = 201) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A fresh patient with a full chart. */
export async function buildFullChart(tag = Math.random().toString(36).slice(2, 8)): Promise<FullChart> {
  const patient = check(
    await api('POST', '/v1/patients', { user: 'front-desk', body: newPatientBody() }),
    'patient',
  );
  const p = `/v1/patients/${patient.id}`;
  const mark = (kind: string) => `mk-${kind}-${tag}`;
  const encounter = check(
    await api('POST', `${p}/encounters`, {
      user: 'front-desk',
      body: {
        class: 'ambulatory',
        provider: { id: PROVIDER_ID, name: 'Dr. Rao' },
        reason: `Follow-up ${mark('encounter')}`,
      },
    }),
    'encounter',
  );
  const vitals = check(
    await api('POST', `${p}/vitals`, {
      user: 'nurse',
      body: { encounterId: encounter.id, bloodPressure: { systolic: 128, diastolic: 82 }, heartRate: 72 },
    }),
    'vitals',
  );
  const problem = check(
    await api('POST', `${p}/problems`, {
      user: 'clinician',
      body: {
        code: 'I10',
        display: `Essential hypertension ${mark('problem')}`,
        onset: '2024-05-01',
        treatmentPlan: [{ description: 'Home blood pressure log', status: 'in-progress' }],
      },
    }),
    'problem',
  );
  const medication = check(
    await api('POST', `${p}/medications`, {
      user: 'clinician',
      body: {
        code: '860975',
        display: `metformin 500 MG ${mark('medication')}`,
        dose: { value: 500, unit: 'mg' },
        route: 'oral',
        frequency: 'BID',
      },
    }),
    'medication',
  );
  // "No known allergies" first; the allergy recorded after it retires it (both stay in the partition).
  const nka = check(
    await api('POST', `${p}/allergies`, { user: 'nurse', body: { noKnownAllergies: true } }),
    'no known allergies',
  );
  const allergy = check(
    await api('POST', `${p}/allergies`, {
      user: 'nurse',
      body: {
        substance: { system: 'text', display: `Penicillin ${mark('allergy')}` },
        reactions: [{ manifestation: 'Hives', severity: 'mild' }],
      },
    }),
    'allergy',
  );
  const signed = check(
    await api('POST', `${p}/notes`, {
      user: 'clinician',
      body: {
        encounterId: encounter.id,
        title: `Visit note ${mark('signedNote')}`,
        subjective: `Feels well ${mark('signedNote')}`,
      },
    }),
    'note',
  );
  const signedNote = check(
    await api('POST', `${p}/notes/${signed.id}/sign`, {
      user: 'clinician',
      headers: { 'If-Match': `"${signed.version}"` },
    }),
    'sign',
    200,
  );
  const addendum = check(
    await api('POST', `${p}/notes/${signed.id}/addenda`, {
      user: 'clinician',
      body: { text: `Correction ${mark('addendum')}` },
    }),
    'addendum',
  );
  const draft = check(
    await api('POST', `${p}/notes`, {
      user: 'clinician',
      body: {
        encounterId: encounter.id,
        title: `Unfinished ${mark('draftNote')}`,
        subjective: `Half written ${mark('draftNote')}`,
      },
    }),
    'draft',
  );
  const lab = async (status: 'final' | 'preliminary', kind: ContentKind) =>
    check(
      await api('POST', `${p}/lab-results`, {
        user: 'nurse',
        body: {
          code: '24323-8',
          display: `Metabolic panel ${mark(kind)}`,
          status,
          orderingProviderId: PROVIDER_ID,
          issued: new Date(Date.now() - 60_000).toISOString(),
          encounterId: encounter.id,
          results: [
            {
              code: '2345-7',
              display: 'Glucose',
              value: 162,
              unit: 'mg/dL',
              referenceRange: { low: 70, high: 99 },
            },
          ],
        },
      }),
      `${status} lab`,
    );
  const finalLab = await lab('final', 'finalLab');
  const preliminaryLab = await lab('preliminary', 'preliminaryLab');
  const ids: Record<ContentKind, string> = {
    encounter: encounter.id,
    signedNote: signed.id,
    draftNote: draft.id,
    addendum: addendum.id,
    problem: problem.id,
    medication: medication.id,
    allergy: allergy.id,
    noKnownAllergies: nka.id,
    vitals: vitals.id,
    finalLab: finalLab.id,
    preliminaryLab: preliminaryLab.id,
  };
  const markers = Object.fromEntries(
    CONTENT_KINDS.map((k) => [
      k,
      ['vitals', 'noKnownAllergies'].includes(k) ? ids[k].toLowerCase() : mark(k).toLowerCase(),
    ]),
  ) as Record<ContentKind, string>;
  return {
    patientId: patient.id,
    providerId: PROVIDER_ID,
    ids,
    markers,
    extra: { signedNoteVersion: signedNote.version, draftNoteVersion: draft.version },
  };
}

/** Every string a representation carries, lower-cased, FHIR attachments (base64 note text) decoded. */
export function contentText(body: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown, key?: string) => {
    if (typeof value === 'string') {
      parts.push(value);
      if (key === 'data') parts.push(Buffer.from(value, 'base64').toString('utf8'));
    } else if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(body);
  return parts.join('\n').toLowerCase();
}

/** The chart content kinds whose markers appear in a representation. */
export function kindsIn(chart: FullChart, body: unknown): ContentKind[] {
  const text = contentText(body);
  return CONTENT_KINDS.filter((k) => text.includes(chart.markers[k]));
}

/** An ID token for the demo `patient` user, linked (as Cognito would link it) to another patient record. */
export async function patientTokenFor(patientId: string): Promise<string> {
  return signWithPoolKey({ ...idClaims('patient'), 'custom:patientId': patientId });
}
