// A patient's account on the single table: the AccountStore port and its DynamoDB adapter. The ledger is two Queries
// read side by side: the patient's ledger entries, and the patient's claims (gsi2), whose totals are the charges (a
// claim is the charge: the ledger never copies it, so a corrected or voided claim changes the charge with it); plus
// one GetItem of the profile only when both read nothing, for the 404. A payment is one TransactWriteItems (entry +
// audit + remembered response). Access patterns: docs/data-model.md.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#shared/audit.ts';
import { db, queryAll, tableName } from '#shared/dynamodb.ts';
import { ConflictError } from '#shared/errors.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import type { LedgerEntry } from './account-schemas.ts';
import { claimKeys } from './keys.ts';
import { ledgerIndexes, ledgerKeys } from './ledger-keys.ts';
import type { StoredClaim } from './model.ts';

export interface AccountHolder {
  id: string;
  name: string;
  address: string[];
}

export interface AccountStore {
  /** The patient's entries, oldest first; undefined when the patient does not exist. */
  ledger(patientId: string): Promise<LedgerEntry[] | undefined>;
  /** Name and postal address for the statement; undefined when the patient does not exist. */
  holder(patientId: string): Promise<AccountHolder | undefined>;
  post(ctx: WriteContext, entry: LedgerEntry, audit: AuditEvent[], response?: StoredResponse): Promise<void>;
}

const COLLECTIONS = new Set<LedgerEntry['kind']>(['insurance-payment', 'patient-payment', 'refund']);
const PATIENT_AR = new Set<LedgerEntry['kind']>(['patient-responsibility', 'patient-payment', 'refund']);

/** The Put of one ledger entry, for any write that posts to a patient's account (payments, remittances). */
export function ledgerEntryPut(entry: LedgerEntry): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: {
          ...ledgerKeys.entry(entry.patientId, entry.postedAt, entry.id),
          type: 'LedgerEntry',
          ...entry,
          ...(COLLECTIONS.has(entry.kind)
            ? {
                gsi1pk: ledgerIndexes.collections.pk,
                gsi1sk: ledgerIndexes.collections.sk(entry.postedAt, entry.id),
              }
            : {}),
          ...(PATIENT_AR.has(entry.kind)
            ? {
                gsi2pk: ledgerIndexes.patientAr.pk,
                gsi2sk: ledgerIndexes.patientAr.sk(entry.postedAt, entry.id),
              }
            : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () => new ConflictError('This ledger entry was already posted'),
  };
}

/**
 * A claim that carries the patient's charge: the primary payer's live claim. A secondary claim bills the same
 * services again (what the primary left), a replaced or voided one was superseded, so neither is a new charge.
 */
export function isCharge(claim: StoredClaim): boolean {
  return (
    claim.coverage.order === 'primary' &&
    claim.frequency !== '8' &&
    claim.status !== 'voided' &&
    claim.status !== 'corrected'
  );
}

export function chargeOf(claim: StoredClaim): LedgerEntry {
  return {
    id: claim.id,
    version: claim.version,
    createdAt: claim.createdAt,
    updatedAt: claim.updatedAt,
    createdBy: claim.createdBy,
    updatedBy: claim.updatedBy,
    patientId: claim.patientId,
    kind: 'charge',
    amount: claim.total,
    postedAt: claim.createdAt,
    claimId: claim.id,
    ...(claim.lines[0] ? { serviceDate: claim.lines[0].serviceDate } : {}),
    description: claim.lines.map((l) => [l.code, ...l.modifiers].join('-')).join(', '),
  };
}

/** A claim written off by the billing office (its write-off step) is an adjustment on the ledger, dated then. */
export function writeOffOf(claim: StoredClaim): LedgerEntry[] {
  if (!claim.writeOff || claim.writeOff.amount === 0) return [];
  const at = [...claim.history].reverse().find((h) => h.event === 'write-off')?.at ?? claim.updatedAt;
  return [
    {
      id: `${claim.id.slice(0, 25)}W`,
      version: 1,
      createdAt: at,
      updatedAt: at,
      createdBy: claim.updatedBy,
      updatedBy: claim.updatedBy,
      patientId: claim.patientId,
      kind: 'adjustment',
      amount: claim.writeOff.amount,
      postedAt: at,
      claimId: claim.id,
      ...(claim.lines[0] ? { serviceDate: claim.lines[0].serviceDate } : {}),
      description: `Written off: ${claim.writeOff.reason}`,
    },
  ];
}

async function profile(patientId: string) {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: ledgerKeys.profile(patientId), ConsistentRead: true }),
  );
  return out.Item;
}

export class DynamoAccountStore implements AccountStore {
  async ledger(patientId: string): Promise<LedgerEntry[] | undefined> {
    const { pk, skPrefix } = ledgerKeys.ledger(patientId);
    const [items, claims] = await Promise.all([
      queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ConsistentRead: true,
      }),
      queryAll({
        IndexName: claimKeys.byPatient.index,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': claimKeys.byPatient.pk(patientId) },
      }),
    ]);
    // Entries are written only while the patient exists: an empty ledger needs the profile to tell 404 from none.
    if (items.length === 0 && claims.length === 0 && !(await profile(patientId))) return undefined;
    const charges = claims
      .map((c) => recordOf<StoredClaim>(c))
      .filter(isCharge)
      .map(chargeOf);
    return [...charges, ...items.map((i) => recordOf<LedgerEntry>(i))].sort(
      (a, b) => a.postedAt.localeCompare(b.postedAt) || a.id.localeCompare(b.id),
    );
  }

  async holder(patientId: string): Promise<AccountHolder | undefined> {
    const item = await profile(patientId);
    if (!item) return undefined;
    const name = item.name as { family: string; given?: string[] } | undefined;
    const address = (
      item.contact as { address?: { line?: string[]; city?: string; state?: string; postalCode?: string } }
    )?.address;
    return {
      id: patientId,
      name: [...(name?.given ?? []), name?.family ?? ''].join(' ').trim(),
      address: address
        ? [
            ...(address.line ?? []),
            [address.city, address.state, address.postalCode].filter(Boolean).join(' '),
          ]
        : [],
    };
  }

  async post(ctx: WriteContext, entry: LedgerEntry, audit: AuditEvent[], response?: StoredResponse) {
    await commit(ctx, { ops: [ledgerEntryPut(entry)], audit, ...(response ? { response } : {}) });
  }
}
