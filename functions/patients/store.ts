// Patient persistence: the PatientStore port and its DynamoDB adapter.
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/dynamodb.ts';
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

export interface PatientStore {
  get(patientId: string): Promise<Patient | undefined>;
  create(ctx: WriteContext, patient: Patient, response: StoredResponse): Promise<void>;
  update(ctx: WriteContext, before: Patient, after: Patient, response: StoredResponse): Promise<void>;
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
    const out = await db().send(
      new GetCommand({
        TableName: tableName(),
        Key: { pk: patientKeys.partition(patientId), sk: patientKeys.profile },
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  /** Patient + MRN guard + audit (+ idempotency record): one TransactWriteItems. */
  async create(ctx: WriteContext, patient: Patient, response: StoredResponse): Promise<void> {
    await commit(ctx, {
      ops: createWrites(patient),
      audit: [
        {
          action: 'patient.create',
          resourceType: 'Patient',
          resourceId: patient.id,
          patientId: patient.id,
          outcome: 'success',
        },
      ],
      response,
    });
  }

  /** Conditional on the version read: a concurrent change makes this a 412 and writes nothing. */
  async update(ctx: WriteContext, before: Patient, after: Patient, response: StoredResponse): Promise<void> {
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
    await commit(ctx, {
      ops,
      audit: [
        {
          action: 'patient.update',
          resourceType: 'Patient',
          resourceId: after.id,
          patientId: after.id,
          outcome: 'success',
        },
      ],
      response,
    });
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
