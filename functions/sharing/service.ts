// Sharing use cases: read and set a patient's consent, backfill on demand.
// Setting the consent is one transaction (consent + audit); the stream mirror then mirrors the Consent, deletes
// what is no longer allowed and backfills what newly is.

import { actorOf, auditRead, recordAudit, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { NotFoundError, PreconditionFailedError, UnprocessableError } from '#shared/errors.ts';
import { etag, type HttpResult, recordResult } from '#shared/http/result.ts';
import type { WriteContext } from '#shared/write.ts';
import { theMirror } from './exchange.ts';
import { defaultConsent, type PutSharingBody, type SharingConsent } from './schemas.ts';
import { DynamoSharingStore, type SharingStore } from './store.ts';

export interface SharingContext extends WriteContext {
  principal: Principal;
}

export class SharingService {
  private readonly store: SharingStore;

  constructor(store: SharingStore = new DynamoSharingStore()) {
    this.store = store;
  }

  async get(ctx: SharingContext, patientId: string): Promise<HttpResult> {
    const consent = await this.currentConsent(patientId);
    await auditRead(ctx, [succeeded('sharing.read', 'Consent', patientId, patientId)]);
    return recordResult(200, consent);
  }

  /** If-Match "0" records a first consent (the practice default, "none", has version 0). */
  async put(
    ctx: SharingContext,
    patientId: string,
    expectedVersion: number,
    body: PutSharingBody,
  ): Promise<HttpResult> {
    const before = await this.currentConsent(patientId);
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
    const result = recordResult(200, after);
    await this.store.putConsent(ctx, before.version, after, {
      audit: [succeeded('sharing.update', 'Consent', patientId, patientId)],
      response: { status: result.status, headers: result.headers ?? {}, body: after },
    });
    return result;
  }

  /** Mirrors the patient's existing history that the consent allows (bundles ≤ 160 entries, ≤ 10/s). */
  async backfill(ctx: SharingContext, patientId: string): Promise<HttpResult> {
    const consent = await this.currentConsent(patientId);
    if (consent.mode === 'none') {
      throw new UnprocessableError('The patient has not agreed to share anything', [
        { field: 'params.patientId', message: 'Consent is "none"' },
      ]);
    }
    const report = await theMirror().backfill(patientId);
    await recordAudit(
      [succeeded('sharing.backfill', 'Consent', patientId, patientId)],
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

  /** The patient's consent, or the practice default; a patient who does not exist is a 404. */
  private async currentConsent(patientId: string): Promise<SharingConsent> {
    if (!(await this.store.patientExists(patientId))) throw new NotFoundError('No such patient');
    return (await this.store.consent(patientId)) ?? defaultConsent(patientId);
  }
}
