// A referral as sent, written through the referrals store with the grant its send transaction carries: what the
// external provider's tests start from. The packet documents are small stand-ins with real hashes.
import { createHash } from 'node:crypto';
import { grantWrites, revokeWrites } from '../../functions/referrals/grants.ts';
import type { Referral } from '../../functions/referrals/schemas.ts';
import { DynamoReferralStore } from '../../functions/referrals/store.ts';
import { DEMO_EXTERNAL_PRACTITIONER_ID } from '../../infra/local/seed.ts';
import { nowIso } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';

const ctx = () => ({
  principal: { sub: 'test:referrer', username: 'clinician', roles: ['clinician' as const] },
  requestId: `req-${crypto.randomUUID()}`,
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export const ORGANIZATION = { id: '01KAXDEM0000000000000000G1', name: 'Springfield Heart Center' };

/** Writes a sent referral of `patientId` to `practitionerId` (the demo external practitioner by default). */
export async function sentReferral(
  patientId: string,
  options: { practitionerId?: string; sentAt?: string; kind?: 'practitioner' | 'organization' } = {},
): Promise<{ referral: Referral; bundle: string; ccda: string }> {
  const id = newId();
  const sentAt = options.sentAt ?? nowIso();
  const bundle = JSON.stringify({ resourceType: 'Bundle', id: `packet-${id}`, type: 'document', entry: [] });
  const ccda = `<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>Referral ${id}</title></ClinicalDocument>`;
  const referral: Referral = {
    id,
    version: 1,
    createdAt: sentAt,
    updatedAt: sentAt,
    createdBy: 'test:referrer',
    updatedBy: 'test:referrer',
    direction: 'outbound',
    status: 'sent',
    patientId,
    recipient: {
      id: options.practitionerId ?? DEMO_EXTERNAL_PRACTITIONER_ID,
      kind: options.kind ?? 'practitioner',
      name: 'Dr. Lena Okafor',
      npi: '1234567893',
      organizationId: ORGANIZATION.id,
      organizationName: ORGANIZATION.name,
    },
    specialty: { code: '207RC0000X', display: 'Cardiovascular Disease' },
    reason: { code: 'I48.91', text: 'Atrial fibrillation, new' },
    urgency: 'routine',
    clinicalQuestion: 'Rate or rhythm control?',
    dueDate: sentAt.slice(0, 10),
    referrer: { sub: 'test:referrer', name: 'Dr. Anika Rao' },
    packet: {
      selection: { problems: [], medications: [], allergies: [], vitals: [], labs: [], notes: [] },
      builtAt: sentAt,
      bundleSha256: sha(bundle),
      ccdaSha256: sha(ccda),
      bundleId: `packet-${id}`,
      documentReferenceId: `packet-doc-${id}`,
      entries: 1,
    },
    sentAt,
    history: [{ status: 'sent', at: sentAt, by: { sub: 'test:referrer' }, via: 'api' }],
  };
  await new DynamoReferralStore().createReferral(
    ctx(),
    referral,
    { bundle, ccda },
    {
      audit: [
        { action: 'referral.send', resourceType: 'Referral', resourceId: id, patientId, outcome: 'success' },
      ],
      ops: grantWrites(referral),
    },
  );
  return { referral, bundle, ccda };
}

/** Cancels a referral the way the referring practice does: the new status and the grant's revocation together. */
export async function cancelReferral(referral: Referral): Promise<Referral> {
  const store = new DynamoReferralStore();
  const before = (await store.referral(referral.id)) as Referral;
  const at = nowIso();
  const after: Referral = {
    ...before,
    status: 'cancelled',
    cancelledAt: at,
    version: before.version + 1,
    updatedAt: at,
    history: [...before.history, { status: 'cancelled', at, by: { sub: 'test:referrer' }, via: 'api' }],
  };
  await store.replaceReferral(ctx(), before, after, {
    audit: [
      {
        action: 'referral.cancel',
        resourceType: 'Referral',
        resourceId: after.id,
        patientId: after.patientId,
        outcome: 'success',
      },
    ],
    ops: revokeWrites(after),
  });
  return after;
}
