// Patient persistence: the PatientStore port and its DynamoDB adapter. Reads are one GetItem or one Query page;
// writes are one TransactWriteItems (through commit(), with the audit records the use case names).
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#shared/audit.ts';
import { db, getItem, tableName } from '#shared/dynamodb.ts';
import { ConflictError, PreconditionFailedError } from '#shared/errors.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { recordOf } from '#shared/table.ts';
import { searchable } from '#shared/text.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import { patientKeys } from './keys.ts';
import type { Patient } from './schemas.ts';

export interface PatientSearch {
  family?: string;
  given?: string;
  birthDate?: string;
  mrn?: string;
  limit: number;
  /** DynamoDB position to continue from. */
  after?: Record<string, unknown>;
}

export interface PatientPage {
  items: Patient[];
  after?: Record<string, unknown>;
}

/** What a write stores besides the patient: its audit records and the response an Idempotency-Key replays. */
export interface PatientWrite {
  audit: AuditEvent[];
  response: StoredResponse;
}

export interface PatientStore {
  get(patientId: string): Promise<Patient | undefined>;
  /** The patient and the guard of its MRN; a taken MRN is a ConflictError naming body.mrn. */
  create(ctx: WriteContext, patient: Patient, write: PatientWrite): Promise<void>;
  /** Conditional on the version read: a concurrent change is a PreconditionFailedError and writes nothing. */
  update(ctx: WriteContext, before: Patient, after: Patient, write: PatientWrite): Promise<void>;
  search(search: PatientSearch): Promise<PatientPage>;
}

function toItem(patient: Patient): Record<string, unknown> {
  return {
    pk: patientKeys.partition(patient.id),
    sk: patientKeys.profile,
    type: 'Patient',
    gsi1pk: patientKeys.byMrn.pk(patient.mrn),
    gsi1sk: patientKeys.byMrn.sk,
    gsi2pk: patientKeys.byName.pk,
    gsi2sk: patientKeys.byName.sk(patient.name.family, patient.name.given, patient.id),
    givenSearch: searchable(patient.name.given.join(' ')),
    ...patient,
  };
}

function fromItem(item: Record<string, unknown>): Patient {
  return recordOf<Patient>(item);
}

function mrnGuardPut(patient: Patient): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: { ...patientKeys.mrnGuard(patient.mrn), type: 'MrnGuard', patientId: patient.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () =>
      new ConflictError('Another patient already has this MRN', [
        { field: 'body.mrn', message: 'Already in use' },
      ]),
  };
}

/** The patient item and its MRN guard, each failing if taken: a registration's writes. */
export function createWrites(patient: Patient): WriteOp[] {
  return [
    {
      item: {
        Put: {
          TableName: tableName(),
          Item: toItem(patient),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () => new ConflictError('A patient with this id already exists'),
    },
    mrnGuardPut(patient),
  ];
}

export class DynamoPatientStore implements PatientStore {
  async get(patientId: string): Promise<Patient | undefined> {
    const item = await getItem({ pk: patientKeys.partition(patientId), sk: patientKeys.profile });
    return item ? fromItem(item) : undefined;
  }

  /** Patient + MRN guard + audit (+ idempotency record): one TransactWriteItems. */
  async create(ctx: WriteContext, patient: Patient, write: PatientWrite): Promise<void> {
    await commit(ctx, {
      ops: createWrites(patient),
      audit: write.audit,
      response: write.response,
    });
  }

  async update(ctx: WriteContext, before: Patient, after: Patient, write: PatientWrite): Promise<void> {
    const ops: WriteOp[] = [
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: toItem(after),
            ConditionExpression: 'attribute_exists(pk) AND version = :expected',
            ExpressionAttributeValues: { ':expected': before.version },
          },
        },
        onConditionFailed: () =>
          new PreconditionFailedError('The patient changed since you read it; read it again'),
      },
    ];
    if (after.mrn !== before.mrn) {
      ops.push(mrnGuardPut(after), {
        item: {
          Delete: {
            TableName: tableName(),
            Key: patientKeys.mrnGuard(before.mrn),
            ConditionExpression: 'patientId = :id',
            ExpressionAttributeValues: { ':id': before.id },
          },
        },
      });
    }
    await commit(ctx, { ops, audit: write.audit, response: write.response });
  }

  /** One Query page: by MRN on gsi1, otherwise by name prefix on gsi2 with optional filters. */
  async search(search: PatientSearch): Promise<PatientPage> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const filters: string[] = [];
    let keyCondition: string;
    let index: string;
    if (search.mrn) {
      index = patientKeys.byMrn.index;
      keyCondition = '#pk = :pk';
      names['#pk'] = 'gsi1pk';
      values[':pk'] = patientKeys.byMrn.pk(search.mrn);
    } else {
      index = patientKeys.byName.index;
      names['#pk'] = 'gsi2pk';
      values[':pk'] = patientKeys.byName.pk;
      keyCondition = '#pk = :pk';
      const family = search.family ? searchable(search.family) : '';
      if (family) {
        keyCondition += ' AND begins_with(#sk, :family)';
        names['#sk'] = 'gsi2sk';
        values[':family'] = family;
      }
    }
    const given = search.given ? searchable(search.given) : '';
    if (given) {
      filters.push('begins_with(givenSearch, :given)');
      values[':given'] = given;
    }
    if (search.birthDate) {
      filters.push('birthDate = :birthDate');
      values[':birthDate'] = search.birthDate;
    }
    const input: QueryCommandInput = {
      TableName: tableName(),
      IndexName: index,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: search.limit,
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(search.after ? { ExclusiveStartKey: search.after } : {}),
    };
    const out = await db().send(new QueryCommand(input));
    return {
      items: (out.Items ?? []).map(fromItem),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
    };
  }
}
