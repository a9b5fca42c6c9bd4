// What other contexts put into their own transaction to prove that a provider, location or appointment of this
// practice exists: ConditionCheck items, so the check costs no extra request and cannot race the write.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-apis-txwriteitems
import { tableName } from '#shared/dynamodb.ts';
import { UnprocessableError } from '#shared/errors.ts';
import type { WriteOp } from '#shared/write.ts';
import { appointmentKeys, locationKeys, providerKeys } from './keys.ts';

/** A record of the practice that a body names, and where the body names it (`body.provider.id`). */
export type Reference =
  | { kind: 'provider'; id: string; field: string }
  | { kind: 'location'; id: string; field: string }
  /** An appointment must also be the patient's: a chart record cannot point at another patient's visit. */
  | { kind: 'appointment'; id: string; field: string; patientId: string };

const NOUN = { provider: 'provider', location: 'location', appointment: 'appointment' } as const;

function keyOf(ref: Reference) {
  if (ref.kind === 'provider') return providerKeys.profile(ref.id);
  if (ref.kind === 'location') return locationKeys.item(ref.id);
  return appointmentKeys.item(ref.id);
}

/** The ConditionCheck for one reference; when it fails the write is a 422 naming the field. */
export function referenceMustExist(ref: Reference): WriteOp {
  const key = keyOf(ref);
  const check =
    ref.kind === 'appointment'
      ? {
          ConditionExpression: 'attribute_exists(pk) AND patientId = :patientId',
          ExpressionAttributeValues: { ':patientId': ref.patientId },
        }
      : { ConditionExpression: 'attribute_exists(pk)' };
  const message =
    ref.kind === 'appointment' ? 'No such appointment for this patient' : `No such ${NOUN[ref.kind]}`;
  return {
    item: { ConditionCheck: { TableName: tableName(), Key: key, ...check } },
    onConditionFailed: () =>
      new UnprocessableError(`The ${NOUN[ref.kind]} named in ${ref.field} does not exist`, [
        { field: ref.field, message },
      ]),
  };
}

/**
 * One check per distinct record named (a transaction may not touch the same item twice); the first field naming
 * it is the one reported.
 */
export function referencesMustExist(refs: readonly Reference[]): WriteOp[] {
  const seen = new Set<string>();
  const ops: WriteOp[] = [];
  for (const ref of refs) {
    const key = keyOf(ref);
    const id = `${key.pk}|${key.sk}`;
    if (seen.has(id)) continue;
    seen.add(id);
    ops.push(referenceMustExist(ref));
  }
  return ops;
}
