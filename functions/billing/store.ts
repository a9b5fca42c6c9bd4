// The billing store's DynamoDB adapter: items, keys and conditions for the port in ports.ts. Every write is one
// TransactWriteItems through shared/write.ts (the records, their audit records, the idempotent response).
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Patient, patientKeys } from '#functions/patients/index.ts';
import type { AuditEvent } from '#shared/audit.ts';
import { db, getItems, itemAt, queryAll, tableName } from '#shared/dynamodb.ts';
import { ConflictError, PreconditionFailedError, UnprocessableError } from '#shared/errors.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import { accountKeys, batchKeys, billingKeys, claimKeys, feeKeys, payerKeys } from './keys.ts';
import type {
  ClaimBatch,
  ClaimPatient,
  EncounterCharges,
  FeeScheduleEntry,
  StoredBillingProfile,
  StoredClaim,
  StoredCoverage,
  StoredPayer,
} from './model.ts';
import type {
  BillingStore,
  ClaimChange,
  ClaimQuery,
  ClaimSource,
  NewBatch,
  Page,
  RecordWrite,
} from './ports.ts';

type Key = { pk: string; sk: string };
type Item = Record<string, unknown>;

const TYPE = {
  profile: 'BillingProfile',
  payer: 'Payer',
  fee: 'FeeScheduleEntry',
  coverage: 'Coverage',
  charges: 'EncounterCharges',
  claim: 'Claim',
  controlNumber: 'ClaimControlNumber',
  guard: 'ClaimGuard',
  batch: 'ClaimBatch',
  batchFile: 'ClaimBatchFile',
  counter: 'ControlNumberCounter',
} as const;

const record = <T>(item: Item | undefined): T | undefined => (item ? recordOf<T>(item) : undefined);

/** A Put of a versioned record: new (must not exist) or the next version of the one read. */
function putVersioned(item: Item, before: { version: number } | undefined, what: string): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: item,
        ...(before
          ? {
              ConditionExpression: 'attribute_exists(pk) AND version = :expected',
              ExpressionAttributeValues: { ':expected': before.version },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    onConditionFailed: () =>
      before
        ? new PreconditionFailedError(`The ${what} changed since you read it; read it again`)
        : new ConflictError(`The ${what} already exists`),
  };
}

async function get(key: Key): Promise<Item | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return out.Item;
}

async function partition(pk: string, prefix: string): Promise<Item[]> {
  return queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ConsistentRead: true,
  });
}

// ── Items ──────────────────────────────────────────────────────────────────────────────────────────────────
const profileItem = (p: StoredBillingProfile): Item => ({ ...p, ...billingKeys.profile, type: TYPE.profile });
const payerItem = (p: StoredPayer): Item => ({ ...p, ...payerKeys.item(p.id), type: TYPE.payer });
const feeItem = (f: FeeScheduleEntry): Item => ({
  ...f,
  ...feeKeys.item(f.code, f.modifier),
  type: TYPE.fee,
});
const coverageItem = (c: StoredCoverage): Item => ({
  ...c,
  ...accountKeys.coverage(c.patientId, c.id),
  type: TYPE.coverage,
});
const chargesItem = (c: EncounterCharges): Item => ({
  ...c,
  ...accountKeys.charges(c.patientId, c.encounterId),
  type: TYPE.charges,
});

/** A claim's item: by id, with its status (gsi1) and patient (gsi2) index keys. Exported for bill-remit's posting. */
export function claimItem(c: StoredClaim): Item {
  return {
    ...c,
    ...claimKeys.item(c.id),
    type: TYPE.claim,
    gsi1pk: claimKeys.byStatus.pk(c.status),
    gsi1sk: claimKeys.byStatus.sk(c.createdAt, c.id),
    gsi2pk: claimKeys.byPatient.pk(c.patientId),
    gsi2sk: claimKeys.byPatient.sk(c.createdAt, c.id),
  };
}

/** The Put of a claim's next version, conditional on the version and status read. */
export function claimUpdate(before: StoredClaim, after: StoredClaim): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: claimItem(after),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected AND #status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expected': before.version, ':status': before.status },
      },
    },
    onConditionFailed: () =>
      new PreconditionFailedError('The claim changed since you read it; read it again'),
  };
}

/** A new claim with its control-number lookup and (for the claim that bills an encounter) its guard. */
function claimCreation(
  claim: StoredClaim,
  guard: 'take' | 'transfer' | 'none',
  from?: StoredClaim,
): WriteOp[] {
  const ops: WriteOp[] = [
    putVersioned(claimItem(claim), undefined, 'claim'),
    {
      item: {
        Put: {
          TableName: tableName(),
          Item: {
            ...claimKeys.byControlNumber(claim.controlNumber),
            type: TYPE.controlNumber,
            claimId: claim.id,
            patientId: claim.patientId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () => new ConflictError('The claim control number is taken; retry the request'),
    },
  ];
  const guardKey = claimKeys.encounterPayerGuard(claim.encounterId, claim.payerId);
  if (guard === 'take') {
    ops.push({
      item: {
        Put: {
          TableName: tableName(),
          Item: { ...guardKey, type: TYPE.guard, claimId: claim.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () =>
        new ConflictError(
          'A claim for this encounter and payer is already open; correct or void it instead',
          [{ field: 'body.encounterId', message: 'Already billed to this payer', rule: 'duplicate-claim' }],
        ),
    });
  } else if (guard === 'transfer' && from) {
    ops.push({
      item: {
        Put: {
          TableName: tableName(),
          Item: { ...guardKey, type: TYPE.guard, claimId: claim.id },
          ConditionExpression: 'attribute_not_exists(pk) OR claimId = :from',
          ExpressionAttributeValues: { ':from': from.id },
        },
      },
      onConditionFailed: () => new ConflictError('Another claim for this encounter and payer is open'),
    });
  }
  return ops;
}

export class DynamoBillingStore implements BillingStore {
  // ── Set-up data ──────────────────────────────────────────────────────────────────────────────────────────
  async getProfile(): Promise<StoredBillingProfile | undefined> {
    return record(await get(billingKeys.profile));
  }

  async putProfile(ctx: WriteContext, w: RecordWrite<StoredBillingProfile>): Promise<void> {
    await commit(ctx, {
      ops: [putVersioned(profileItem(w.after), w.before, 'billing profile')],
      audit: w.audit,
      response: w.response,
    });
  }

  async listPayers(): Promise<StoredPayer[]> {
    return (await partition(payerKeys.partition, payerKeys.prefix)).map((i) => recordOf<StoredPayer>(i));
  }

  async getPayer(id: string): Promise<StoredPayer | undefined> {
    return record(await get(payerKeys.item(id)));
  }

  async putPayer(ctx: WriteContext, w: RecordWrite<StoredPayer>): Promise<void> {
    await commit(ctx, {
      ops: [putVersioned(payerItem(w.after), w.before, 'payer')],
      audit: w.audit,
      response: w.response,
    });
  }

  async listFees(): Promise<FeeScheduleEntry[]> {
    return (await partition(feeKeys.partition, feeKeys.prefix)).map((i) => recordOf<FeeScheduleEntry>(i));
  }

  async putFee(ctx: WriteContext, w: RecordWrite<FeeScheduleEntry>): Promise<void> {
    await commit(ctx, {
      ops: [putVersioned(feeItem(w.after), w.before, 'fee schedule entry')],
      audit: w.audit,
      response: w.response,
    });
  }

  async listCoverages(patientId: string): Promise<StoredCoverage[]> {
    return (await partition(accountKeys.partition(patientId), accountKeys.coveragePrefix)).map((i) =>
      recordOf<StoredCoverage>(i),
    );
  }

  async getCoverage(patientId: string, id: string): Promise<StoredCoverage | undefined> {
    return record(await get(accountKeys.coverage(patientId, id)));
  }

  async putCoverage(ctx: WriteContext, w: RecordWrite<StoredCoverage>): Promise<void> {
    await commit(ctx, {
      ops: [putVersioned(coverageItem(w.after), w.before, 'coverage')],
      audit: w.audit,
      response: w.response,
    });
  }

  // ── Charges ──────────────────────────────────────────────────────────────────────────────────────────────
  async getCharges(patientId: string, encounterId: string): Promise<EncounterCharges | undefined> {
    return record(await get(accountKeys.charges(patientId, encounterId)));
  }

  async putCharges(ctx: WriteContext, w: RecordWrite<EncounterCharges>): Promise<void> {
    await commit(ctx, {
      ops: [putVersioned(chargesItem(w.after), w.before, "encounter's charges")],
      audit: w.audit,
      response: w.response,
    });
  }

  // ── Claims ───────────────────────────────────────────────────────────────────────────────────────────────
  /** One Query: this encounter's charges through the patient's last coverage (keys.ts: claimSource). */
  async claimSource(patientId: string, encounterId: string): Promise<ClaimSource> {
    const range = accountKeys.claimSource(encounterId);
    const charges = accountKeys.charges(patientId, encounterId);
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        // Newer encounters' charges fall in the range; the filter drops them before they leave DynamoDB.
        FilterExpression: '(#type = :chargesType AND encounterId = :encounter) OR #type = :coverage',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':pk': charges.pk,
          ':from': range.from,
          ':to': range.to,
          ':chargesType': TYPE.charges,
          ':encounter': encounterId,
          ':coverage': TYPE.coverage,
        },
        ConsistentRead: true,
      }),
    );
    if (out.LastEvaluatedKey) {
      // Over 1 MB of newer charges: not a practice's reality, but never answer from half a range.
      throw new UnprocessableError("The patient's account is too large to read in one request");
    }
    const items = out.Items ?? [];
    const found = items.find((i) => i.sk === charges.sk);
    return {
      charges: record<EncounterCharges>(found),
      coverages: items.filter((i) => i.type === TYPE.coverage).map((i) => recordOf<StoredCoverage>(i)),
    };
  }

  async createClaim(
    ctx: WriteContext,
    claim: StoredClaim,
    audit: AuditEvent[],
    response: StoredResponse,
  ): Promise<void> {
    await commit(ctx, { ops: claimCreation(claim, 'take'), audit, response });
  }

  async getClaim(id: string): Promise<StoredClaim | undefined> {
    return record(await get(claimKeys.item(id)));
  }

  async getClaimByControlNumber(controlNumber: string): Promise<StoredClaim | undefined> {
    const lookup = await get(claimKeys.byControlNumber(controlNumber));
    return lookup ? this.getClaim(lookup.claimId as string) : undefined;
  }

  async guardHolder(encounterId: string, payerId: string): Promise<string | undefined> {
    const guard = await get(claimKeys.encounterPayerGuard(encounterId, payerId));
    return guard?.claimId as string | undefined;
  }

  /** One Query page: by status (gsi1) or by patient (gsi2), narrowed by payer and status filters. */
  async listClaims(query: ClaimQuery): Promise<Page<StoredClaim>> {
    const byPatient = query.patientId !== undefined;
    const index = byPatient ? claimKeys.byPatient : claimKeys.byStatus;
    const filters: string[] = [];
    const values: Record<string, unknown> = {
      ':pk': byPatient
        ? claimKeys.byPatient.pk(query.patientId as string)
        : claimKeys.byStatus.pk(query.status as string),
    };
    const names: Record<string, string> = { '#pk': `${index.index}pk` };
    if (byPatient && query.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.payerId) {
      filters.push('payerId = :payer');
      values[':payer'] = query.payerId;
    }
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index.index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: query.limit,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(query.after ? { ExclusiveStartKey: query.after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => recordOf<StoredClaim>(i)),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
    };
  }

  async changeClaim(ctx: WriteContext, change: ClaimChange): Promise<void> {
    const ops: WriteOp[] = [claimUpdate(change.before, change.after)];
    if (change.created) {
      ops.push(
        ...claimCreation(change.created, change.guard === 'transfer' ? 'transfer' : 'none', change.before),
      );
    }
    if (change.guard === 'release') {
      ops.push({
        item: {
          Delete: {
            TableName: tableName(),
            Key: claimKeys.encounterPayerGuard(change.before.encounterId, change.before.payerId),
            ConditionExpression: 'attribute_not_exists(pk) OR claimId = :id',
            ExpressionAttributeValues: { ':id': change.before.id },
          },
        },
      });
    }
    await commit(ctx, { ops, audit: change.audit, response: change.response });
  }

  // ── Batches ──────────────────────────────────────────────────────────────────────────────────────────────
  async readControlNumber(): Promise<number> {
    const counter = await get(billingKeys.controlNumbers);
    return (counter?.value as number | undefined) ?? 0;
  }

  /**
   * The batch, its file, every claim's move to submitted and the control-number counter: one transaction, so a
   * control number is taken only by a batch that exists, and a claim is submitted only in the batch that holds it.
   */
  async createBatch(ctx: WriteContext, w: NewBatch): Promise<void> {
    const { batch } = w;
    const ops: WriteOp[] = [
      {
        item: {
          Update: {
            TableName: tableName(),
            Key: billingKeys.controlNumbers,
            UpdateExpression: 'SET #value = :next, #type = :type',
            ConditionExpression: w.controlNumber.read === 0 ? 'attribute_not_exists(pk)' : '#value = :read',
            ExpressionAttributeNames: { '#value': 'value', '#type': 'type' },
            ExpressionAttributeValues: {
              ':next': w.controlNumber.next,
              ':type': TYPE.counter,
              ...(w.controlNumber.read === 0 ? {} : { ':read': w.controlNumber.read }),
            },
          },
        },
        onConditionFailed: () => new ConflictError('Another batch took this control number; retry'),
      },
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: {
              ...batch,
              ...batchKeys.item(batch.id),
              type: TYPE.batch,
              gsi1pk: batchKeys.list.pk,
              gsi1sk: batchKeys.list.sk(batch.createdAt, batch.id),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: { ...batchKeys.file(batch.id), type: TYPE.batchFile, x12: w.x12 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      ...w.claims.map(({ before, after }) => claimUpdate(before, after)),
    ];
    await commit(ctx, { ops, audit: w.audit, response: w.response });
  }

  async getBatch(id: string): Promise<ClaimBatch | undefined> {
    return record(await get(batchKeys.item(id)));
  }

  async getBatchFile(id: string): Promise<string | undefined> {
    return (await get(batchKeys.file(id)))?.x12 as string | undefined;
  }

  /** Sending changes no one's data but the batch's own state: one conditional UpdateItem, no audit needed. */
  async markBatchSent(batch: ClaimBatch, sentAt: string): Promise<ClaimBatch> {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: batchKeys.item(batch.id),
        UpdateExpression: 'SET #status = :sent, sentAt = :at, version = version + :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': sentAt, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return recordOf<ClaimBatch>(out.Attributes as Item);
  }

  /** One BatchGetItem per 100 patients: the demographics a claim prints. */
  async claimPatients(patientIds: string[]): Promise<Map<string, ClaimPatient>> {
    const found = new Map<string, ClaimPatient>();
    for (let i = 0; i < patientIds.length; i += 100) {
      const keys = patientIds
        .slice(i, i + 100)
        .map((id) => ({ pk: patientKeys.partition(id), sk: patientKeys.profile }));
      const items = await getItems(keys);
      for (const key of keys) {
        const item = itemAt(items, key);
        if (!item) continue;
        const patient = recordOf<Patient>(item);
        found.set(patient.id, claimPatientOf(patient));
      }
    }
    return found;
  }
}

/** A patient as an 837 prints them (NM1*QC / DMG / N3 N4). */
function claimPatientOf(patient: Patient): ClaimPatient {
  const address = patient.contact?.address;
  return {
    name: { family: patient.name.family, given: patient.name.given },
    birthDate: patient.birthDate,
    sex: patient.gender === 'male' || patient.gender === 'female' ? patient.gender : 'unknown',
    address: {
      line: address?.line ?? [],
      city: address?.city ?? '',
      state: address?.state ?? '',
      postalCode: (address?.postalCode ?? '').replace('-', ''),
    },
  };
}
