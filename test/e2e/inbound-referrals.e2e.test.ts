// Referrals addressed to this practice, through the local gateway with real tokens: a C-CDA posted by a person and a
// Task another organisation put in the FHIR store both reach the inbound worklist; accepting one matches the patient
// (or registers them, never merging silently), files the packet in the chart, answers the sender's Task, and the
// visit is booked with what the answer offers.
import { convertCcdaToXml, convertFhirToCcda } from '@medplum/ccda';
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { api, eventually, newPatientBody, runtime } from '../support/api.ts';
import { setUpPractice } from '../support/scheduling.ts';

const ifMatch = (v: number) => ({ 'If-Match': `"${v}"` });
const key = () => ({ 'Idempotency-Key': `inbound-${crypto.randomUUID()}` });

interface Person {
  given: string;
  family: string;
  birthDate: string;
  gender: 'male' | 'female';
  phone?: string;
}

/** A referral note as another EHR would write it: the person, a problem, a medication and an allergy. */
function packetBundle(p: Person): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'document',
    entry: [
      {
        resource: {
          resourceType: 'Composition',
          id: 'comp',
          status: 'final',
          type: { coding: [{ system: 'http://loinc.org', code: '57133-1' }] },
          subject: { reference: 'Patient/p' },
          date: '2026-11-28T10:00:00Z',
          author: [{ display: 'Dr. Sender' }],
          title: 'Referral to primary care',
          section: [
            {
              title: 'Problems',
              code: { coding: [{ system: 'http://loinc.org', code: '11450-4' }] },
              entry: [{ reference: 'Condition/c' }],
            },
            {
              title: 'Allergies',
              code: { coding: [{ system: 'http://loinc.org', code: '48765-2' }] },
              entry: [{ reference: 'AllergyIntolerance/a' }],
            },
          ],
        },
      },
      {
        resource: {
          resourceType: 'Patient',
          id: 'p',
          identifier: [
            { system: 'urn:oid:2.16.840.1.113883.19.77', value: `SENDER-${crypto.randomUUID().slice(0, 8)}` },
          ],
          name: [{ given: [p.given], family: p.family }],
          birthDate: p.birthDate,
          gender: p.gender,
          ...(p.phone ? { telecom: [{ system: 'phone', value: p.phone }] } : {}),
        },
      },
      {
        resource: {
          resourceType: 'Condition',
          id: 'c',
          subject: { reference: 'Patient/p' },
          code: {
            coding: [
              { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9', display: 'Type 2 diabetes' },
            ],
          },
          clinicalStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
          },
        },
      },
      {
        resource: {
          resourceType: 'AllergyIntolerance',
          id: 'a',
          patient: { reference: 'Patient/p' },
          code: { text: 'Penicillin' },
        },
      },
    ],
  } as Bundle;
}

const ccdaOf = (p: Person) => convertCcdaToXml(convertFhirToCcda(packetBundle(p)));

function uniqueFamily(): string {
  return `Inb${crypto
    .randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 10)}`;
}

async function receive(p: Person) {
  const res = await api('POST', '/v1/inbound-referrals', {
    user: 'front-desk',
    body: { ccda: ccdaOf(p), sender: 'Riverside Family Practice', urgency: 'urgent' },
    headers: key(),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('inbound referrals', () => {
  it('a C-CDA referral for someone new is accepted (registered), filed in the chart and booked', async () => {
    const person: Person = {
      given: 'Nadia',
      family: uniqueFamily(),
      birthDate: '1979-05-06',
      gender: 'female',
    };
    const inbound = await receive(person);
    expect(inbound).toMatchObject({ status: 'received', contents: { problems: 1, allergies: 1 } });
    const open = await api('GET', '/v1/inbound-referrals?status=open&limit=100', { user: 'clinician' });
    expect(open.body.items.map((r: { id: string }) => r.id)).toContain(inbound.id);

    const matches = await api('GET', `/v1/inbound-referrals/${inbound.id}/matches`, { user: 'front-desk' });
    expect(matches.body).toEqual({ decision: 'none', candidates: [] });

    const accepted = await api('POST', `/v1/inbound-referrals/${inbound.id}/accept`, {
      user: 'front-desk',
      body: {},
      headers: { ...ifMatch(1), ...key() },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.inboundReferral).toMatchObject({ status: 'accepted', match: 'registered' });
    const patientId = accepted.body.patientId as string;
    const patient = await api('GET', `/v1/patients/${patientId}`, { user: 'front-desk' });
    expect(patient.body).toMatchObject({ name: { family: person.family }, birthDate: person.birthDate });

    const docs = await api('GET', `/v1/patients/${patientId}/received-documents`, { user: 'clinician' });
    expect(docs.body.items).toEqual([
      expect.objectContaining({
        kind: 'referral-packet',
        inboundReferralId: inbound.id,
        id: accepted.body.documentIds[0],
      }),
    ]);

    // Booking with what the answer offers: scheduling's find-a-time, then the appointment.
    const { href, params } = accepted.body.booking;
    expect(href).toBe('/v1/availability');
    const practice = await setUpPractice();
    const search = new URLSearchParams({
      providerId: practice.providerId,
      appointmentTypeId: practice.typeId,
      from: params.from,
      to: params.to,
    });
    const slots = await api('GET', `${href}?${search}`, { user: 'front-desk' });
    expect(slots.status, JSON.stringify(slots.body)).toBe(200);
    const booked = await api('POST', '/v1/appointments', {
      user: 'front-desk',
      body: {
        patientId: params.patientId,
        providerId: practice.providerId,
        appointmentTypeId: practice.typeId,
        start: slots.body.slots.at(-1).start,
      },
      headers: key(),
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.patientId).toBe(patientId);

    const again = await api('POST', `/v1/inbound-referrals/${inbound.id}/accept`, {
      user: 'front-desk',
      body: {},
      headers: ifMatch(2),
    });
    expect(again.status).toBe(409);
  });

  it('takes the one exact match; asks a person when two patients may be the person, and changes nothing', async () => {
    const family = uniqueFamily();
    const known = await api('POST', '/v1/patients', {
      user: 'front-desk',
      body: newPatientBody({
        name: { given: ['Omar'], family },
        birthDate: '1965-02-03',
        gender: 'male',
        contact: { phone: '+1 555 0142' },
      }),
    });
    const person: Person = {
      given: 'Omar',
      family,
      birthDate: '1965-02-03',
      gender: 'male',
      phone: '+1 555 0142',
    };
    const first = await receive(person);
    const matched = await api('POST', `/v1/inbound-referrals/${first.id}/accept`, {
      user: 'clinician',
      body: {},
      headers: ifMatch(1),
    });
    expect(matched.body).toMatchObject({
      patientId: known.body.id,
      inboundReferral: { match: 'demographics' },
    });

    // A second Omar with that birth date: the referral could be either. Nobody is chosen for the person.
    await api('POST', '/v1/patients', {
      user: 'front-desk',
      body: newPatientBody({ name: { given: ['Omar'], family }, birthDate: '1965-02-03', gender: 'male' }),
    });
    const second = await receive(person);
    const matches = await api('GET', `/v1/inbound-referrals/${second.id}/matches`, { user: 'clinician' });
    expect(matches.body.decision).toBe('choose');
    expect(matches.body.candidates).toHaveLength(2);
    const refused = await api('POST', `/v1/inbound-referrals/${second.id}/accept`, {
      user: 'clinician',
      body: {},
      headers: ifMatch(1),
    });
    expect(refused.status).toBe(409);
    expect((await api('GET', `/v1/inbound-referrals/${second.id}`, { user: 'clinician' })).body.status).toBe(
      'received',
    );
    const chosen = await api('POST', `/v1/inbound-referrals/${second.id}/accept`, {
      user: 'clinician',
      body: { patientId: known.body.id },
      headers: ifMatch(1),
    });
    expect(chosen.body).toMatchObject({ patientId: known.body.id, inboundReferral: { match: 'chosen' } });
  });

  it('refuses what is not a C-CDA, naming the field, and writes nothing', async () => {
    const res = await api('POST', '/v1/inbound-referrals', {
      user: 'front-desk',
      body: { ccda: `<html>${'x'.repeat(200)}</html>`, sender: 'Someone' },
      headers: key(),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('body.ccda');
  });

  it('a Task addressed to the practice in the FHIR store arrives by itself; declining it answers the sender', async () => {
    const fhir = runtime().fhirBaseUrl;
    const person: Person = {
      given: 'Lea',
      family: uniqueFamily(),
      birthDate: '1990-09-09',
      gender: 'female',
    };
    const taskId = `inbound-${crypto.randomUUID()}`;
    const put = await fetch(`${fhir}/Task/${taskId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Task',
        id: taskId,
        status: 'requested',
        intent: 'order',
        priority: 'routine',
        description: 'Diabetes follow-up',
        owner: { reference: 'Organization/continuum-local' },
        requester: { display: 'Lakeside Endocrinology' },
        input: [
          {
            type: { text: 'Referral packet' },
            valueAttachment: {
              contentType: 'application/fhir+json',
              data: Buffer.from(JSON.stringify(packetBundle(person))).toString('base64'),
            },
          },
        ],
      }),
    });
    expect(put.status).toBeLessThan(300);
    const arrived = await eventually(async () => {
      const open = await api('GET', '/v1/inbound-referrals?status=open&limit=100', { user: 'clinician' });
      return open.body.items.find((r: { source: { taskId?: string } }) => r.source.taskId === taskId);
    }, 30_000);
    expect(arrived).toMatchObject({ source: { via: 'fhir', sender: { name: 'Lakeside Endocrinology' } } });
    const declined = await api('POST', `/v1/inbound-referrals/${arrived.id}/decline`, {
      user: 'clinician',
      body: { reason: 'Outside our scope' },
      headers: ifMatch(1),
    });
    expect(declined.body.status).toBe('declined');
    const task = await (await fetch(`${fhir}/Task/${taskId}`)).json();
    expect(task).toMatchObject({ status: 'rejected', statusReason: { text: 'Outside our scope' } });
  });

  it('accepting a Task-borne referral updates the sender’s Task to accepted', async () => {
    const fhir = runtime().fhirBaseUrl;
    const person: Person = { given: 'Ivo', family: uniqueFamily(), birthDate: '1955-01-01', gender: 'male' };
    const taskId = `inbound-${crypto.randomUUID()}`;
    await fetch(`${fhir}/Task/${taskId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Task',
        id: taskId,
        status: 'requested',
        intent: 'order',
        owner: { reference: 'Organization/continuum-local' },
        requester: { display: 'Lakeside Endocrinology' },
        input: [
          {
            type: { text: 'Referral packet' },
            valueAttachment: {
              contentType: 'application/xml',
              data: Buffer.from(ccdaOf(person)).toString('base64'),
            },
          },
        ],
      }),
    });
    const arrived = await eventually(async () => {
      const open = await api('GET', '/v1/inbound-referrals?status=open&limit=100', { user: 'clinician' });
      return open.body.items.find((r: { source: { taskId?: string } }) => r.source.taskId === taskId);
    }, 30_000);
    const accepted = await api('POST', `/v1/inbound-referrals/${arrived.id}/accept`, {
      user: 'clinician',
      body: {},
      headers: ifMatch(1),
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const task = await (await fetch(`${fhir}/Task/${taskId}`)).json();
    expect(task).toMatchObject({ status: 'accepted', businessStatus: { text: 'Accepted' } });
    const read = await api('GET', `/v1/inbound-referrals/${arrived.id}`, { user: 'clinician' });
    expect(read.body.answeredAt).toBeDefined();
  });
});
