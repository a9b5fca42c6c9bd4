// The external provider's use cases against DynamoDB Local: a grant opens exactly one referral and its patient's
// demographics, lapses with time, cancellation or another practitioner, and the answers move the referral.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerPatient } from '#functions/patients/index.ts';
import { auditKeys } from '#shared/audit.ts';
import { resetClock, setClock } from '#shared/clock.ts';
import { queryAll } from '#shared/dynamodb.ts';
import {
  ConcealedDenialError,
  ConflictError,
  ForbiddenError,
  PreconditionFailedError,
  UnprocessableError,
} from '#shared/errors.ts';
import { commit } from '#shared/write.ts';
import { DEMO_EXTERNAL_PRACTITIONER_ID } from '../../infra/local/seed.ts';
import { useLocalTable } from '../../test/support/local-env.ts';
import { cancelReferral, ORGANIZATION, sentReferral } from '../../test/support/referrals.ts';
import { ExternalReferralService } from './external-service.ts';
import { ReceivedDocumentService } from './received-documents.ts';
import { DynamoReferralStore } from './store.ts';

const external = (practitionerId: string | null = DEMO_EXTERNAL_PRACTITIONER_ID) => ({
  principal: {
    sub: `ext-${practitionerId ?? 'unbound'}`,
    username: 'external-provider',
    roles: ['external-provider' as const],
    ...(practitionerId ? { practitionerId } : {}),
  },
  requestId: `req-${crypto.randomUUID()}`,
});
const clinician = () => ({
  principal: { sub: 'clin', username: 'clinician', roles: ['clinician' as const] },
  requestId: `req-${crypto.randomUUID()}`,
});

async function newPatient(): Promise<string> {
  const ctx = clinician();
  const { patient, ops, audit } = registerPatient(ctx, {
    name: { given: ['Ref'], family: `Ext${crypto.randomUUID().replace(/[^a-f]/g, '')}` },
    birthDate: '1961-03-04',
    gender: 'male',
    contact: {
      phone: '+1 555 0123',
      email: 'secret@example.org',
      address: { line: ['9 Elm St'], city: 'Springfield', country: 'US' },
    },
  });
  await commit(ctx, { ops, audit });
  return patient.id;
}

let service: ExternalReferralService;
beforeAll(() => {
  useLocalTable();
  service = new ExternalReferralService();
});
afterEach(() => resetClock());

describe('an external provider and the referral granted to it', () => {
  it('reads its referral, the packet as sent and the patient’s demographics, and nothing of another referral', async () => {
    const patientId = await newPatient();
    const { referral, bundle, ccda } = await sentReferral(patientId);
    const other = await sentReferral(patientId, { practitionerId: '01KAXDEM0000000000000000D2' });

    const read = await service.read(external(), referral.id);
    expect(read.body).toMatchObject({ id: referral.id, status: 'sent', patientId });
    expect(read.headers?.ETag).toBe('"1"');
    expect((await service.packet(external(), referral.id, 'fhir')).raw).toBe(bundle);
    expect((await service.packet(external(), referral.id, 'ccda')).raw).toBe(ccda);

    const patient = (await service.patient(external(), referral.id)).body as Record<string, unknown>;
    expect(patient).toMatchObject({ id: patientId, birthDate: '1961-03-04', phone: '+1 555 0123' });
    expect(JSON.stringify(patient)).not.toMatch(/secret@example\.org|Elm St/);

    await expect(service.read(external(), other.referral.id)).rejects.toBeInstanceOf(ConcealedDenialError);
    await expect(service.patient(external(), other.referral.id)).rejects.toBeInstanceOf(ConcealedDenialError);
    const listed = (await service.list(external())).body as { items: { id: string }[] };
    expect(listed.items.map((r) => r.id)).toContain(referral.id);
    expect(listed.items.map((r) => r.id)).not.toContain(other.referral.id);
  });

  it('conceals the referral from another practitioner, and refuses an account bound to none', async () => {
    const { referral } = await sentReferral(await newPatient());
    await expect(service.read(external('01KAXDEM0000000000000000D2'), referral.id)).rejects.toBeInstanceOf(
      ConcealedDenialError,
    );
    await expect(service.read(external(null), referral.id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('loses the referral once the grant has expired, even while the item is still stored', async () => {
    const sentAt = new Date(Date.now() - 89 * 86_400_000).toISOString();
    const { referral } = await sentReferral(await newPatient(), { sentAt });
    await expect(service.read(external(), referral.id)).resolves.toMatchObject({ status: 200 });
    setClock(Date.now() + 2 * 86_400_000);
    await expect(service.read(external(), referral.id)).rejects.toBeInstanceOf(ConcealedDenialError);
    await expect(service.packet(external(), referral.id, 'fhir')).rejects.toBeInstanceOf(
      ConcealedDenialError,
    );
    const listed = (await service.list(external())).body as { items: { id: string }[] };
    expect(listed.items.map((r) => r.id)).not.toContain(referral.id);
  });

  it('loses the referral when the referring practice cancels it (the grant is revoked in the same write)', async () => {
    const { referral } = await sentReferral(await newPatient());
    await cancelReferral(referral);
    await expect(service.read(external(), referral.id)).rejects.toBeInstanceOf(ConcealedDenialError);
  });

  it('grants no one when the referral went to an organisation', async () => {
    const { referral } = await sentReferral(await newPatient(), { kind: 'organization' });
    await expect(service.read(external(), referral.id)).rejects.toBeInstanceOf(ConcealedDenialError);
  });

  it('accepts, schedules and returns the consult note, which lands in the chart; every step If-Match guarded', async () => {
    const patientId = await newPatient();
    const { referral } = await sentReferral(patientId);
    await expect(service.accept(external(), referral.id, 7)).rejects.toBeInstanceOf(PreconditionFailedError);
    await service.accept(external(), referral.id, 1);
    await expect(service.decline(external(), referral.id, 2, { reason: 'x' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await service.schedule(external(), referral.id, 2, { appointmentDate: '2026-12-20' });
    await expect(
      service.returnConsultNote(external(), referral.id, 3, {
        title: 'Consult',
        attachment: { contentType: 'application/pdf', data: Buffer.from('not a pdf').toString('base64') },
      }),
    ).rejects.toBeInstanceOf(UnprocessableError);
    const pdf = Buffer.from('%PDF-1.4\n% consult\n').toString('base64');
    const done = await service.returnConsultNote(external(), referral.id, 3, {
      title: 'Cardiology consult',
      text: 'Rate control; see in 3 months.',
      attachment: { contentType: 'application/pdf', data: pdf },
    });
    expect(done.body).toMatchObject({
      status: 'consult-note-received',
      version: 4,
      appointmentDate: '2026-12-20',
    });

    const stored = await new DynamoReferralStore().referral(referral.id);
    expect(stored?.history.map((h) => h.status)).toEqual([
      'sent',
      'accepted',
      'scheduled',
      'consult-note-received',
    ]);
    expect(stored?.history.at(-1)?.by.organization).toBe(ORGANIZATION.name);

    const documents = new ReceivedDocumentService();
    const page = (await documents.list(clinician(), patientId, { limit: 20 })).body as {
      items: { id: string; kind: string; contents: { contentType: string; data?: string }[] }[];
    };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ kind: 'consult-note', referralId: referral.id });
    expect(page.items[0]?.contents.map((c) => c.contentType)).toEqual(['text/plain', 'application/pdf']);
    expect(page.items[0]?.contents[0]?.data).toBeUndefined();
    const doc = (await documents.read(clinician(), patientId, page.items[0]?.id as string)).body as {
      contents: { data: string }[];
    };
    expect(Buffer.from(doc.contents[0]?.data as string, 'base64').toString()).toBe(
      'Rate control; see in 3 months.',
    );
    expect(doc.contents[1]?.data).toBe(pdf);
  });

  it('audits every access with the provider’s organisation, under the patient', async () => {
    const patientId = await newPatient();
    const { referral } = await sentReferral(patientId);
    await service.read(external(), referral.id);
    await service.patient(external(), referral.id);
    const records = await queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': auditKeys.partition(patientId) },
    });
    const byExternal = records.filter((r) =>
      (r.actor as { roles: string[] }).roles.includes('external-provider'),
    );
    expect(byExternal.map((r) => r.action).sort()).toEqual(['patient.read', 'referral.read']);
    for (const r of byExternal) expect(r.organization).toEqual(ORGANIZATION);
  });
});
