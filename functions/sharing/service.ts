// Sharing use cases: read and set a patient's consent, backfill on demand.
// Setting the consent is one transaction (consent + audit); the stream mirror then mirrors the Consent, deletes
// what is no longer allowed and backfills what newly is.

import { patientKeys } from '#functions/patients/index.ts';
import { actorOf, recordAudit } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { getItem, tableName } from '#shared/dynamodb.ts';
import { NotFoundError, PreconditionFailedError, UnprocessableError } from '#shared/errors.ts';
import { etag, type HttpResult } from '#shared/http/result.ts';
import { commit, type WriteContext } from '#shared/write.ts';
import { theMirror } from './exchange.ts';
import { sharingKeys } from './keys.ts';
import { record } from './registry.ts';
import type { PutSharingBody, SharingConsent } from './schemas.ts';

export interface SharingContext extends WriteContext {
  principal: Principal;
}

async function currentConsent(patientId: string): Promise<SharingConsent> {
  const item = await getItem(sharingKeys.consent(patientId));
  return item ? record<SharingConsent>(item) : { patientId, mode: 'none', categories: [], version: 0 };
}

async function requirePatient(patientId: string): Promise<void> {
  if (!(await getItem({ pk: patientKeys.partition(patientId), sk: patientKeys.profile }))) {
    throw new NotFoundError('No such patient');
  }
}

export class SharingService {
  async get(ctx: SharingContext, patientId: string): Promise<HttpResult> {
    await requirePatient(patientId);
    const consent = await currentConsent(patientId);
    await recordAudit(
      [
        {
          action: 'sharing.read',
          resourceType: 'Consent',
          resourceId: patientId,
          patientId,
          outcome: 'success',
        },
      ],
      actorOf(ctx.principal, ctx.requestId),
    );
    return { status: 200, body: consent, headers: { ETag: etag(consent.version) } };
  }

  /** If-Match "0" records a first consent (the practice default, "none", has version 0). */
  async put(
    ctx: SharingContext,
    patientId: string,
    expectedVersion: number,
    body: PutSharingBody,
  ): Promise<HttpResult> {
    await requirePatient(patientId);
    const before = await currentConsent(patientId);
    if (before.version !== expectedVersion) {
      throw new PreconditionFailedError('The consent changed since you read it', [], {
        ETag: etag(before.version),
      });
    }
    const after: SharingConsent = {
      patientId,
      mode: body.mode,
      categories: body.mode === 'categories' ? [...new Set(body.categories)] : [],
      version: before.version + 1,
      updatedAt: nowIso(),
      updatedBy: ctx.principal.sub,
    };
    const result = { status: 200, body: after, headers: { ETag: etag(after.version) } };
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: { ...sharingKeys.consent(patientId), type: 'SharingConsent', ...after },
              ...(before.version === 0
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : {
                    ConditionExpression: 'version = :v',
                    ExpressionAttributeValues: { ':v': before.version },
                  }),
            },
          },
          onConditionFailed: () => new PreconditionFailedError('The consent changed since you read it'),
        },
      ],
      audit: [
        {
          action: 'sharing.update',
          resourceType: 'Consent',
          resourceId: patientId,
          patientId,
          outcome: 'success',
        },
      ],
      response: result,
    });
    return result;
  }

  /** Mirrors the patient's existing history that the consent allows (bundles ≤ 160 entries, ≤ 10/s). */
  async backfill(ctx: SharingContext, patientId: string): Promise<HttpResult> {
    await requirePatient(patientId);
    const consent = await currentConsent(patientId);
    if (consent.mode === 'none') {
      throw new UnprocessableError('The patient has not agreed to share anything', [
        { field: 'params.patientId', message: 'Consent is "none"' },
      ]);
    }
    const report = await theMirror().backfill(patientId);
    await recordAudit(
      [
        {
          action: 'sharing.backfill',
          resourceType: 'Consent',
          resourceId: patientId,
          patientId,
          outcome: 'success',
        },
      ],
      actorOf(ctx.principal, ctx.requestId),
    );
    return {
      status: 200,
      headers: {},
      body: {
        written: report.written,
        unchanged: report.unchanged,
        deleted: report.deleted,
        deadLettered: report.deadLettered,
        pending: report.failedKeys.size,
      },
    };
  }
}
