// Claim batches: ready claims → one X12 837P interchange with persisted control numbers, recorded with the claims'
// move to submitted in one transaction, then handed to the EDI outbox. A batch is never rebuilt: its file is kept
// and sent again unchanged when the hand-over must be repeated.
import { auditRead, succeeded, touchesPatient } from '#shared/audit.ts';
import { nowIso, nowMs } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { ConflictError, type FieldIssue, NotFoundError, UnprocessableError } from '#shared/errors.ts';
import { type HttpResult, recordResult } from '#shared/http/result.ts';
import { newId } from '#shared/ids.ts';
import { logger } from '#shared/logger.ts';
import { newRecord, nextVersion } from '#shared/records.ts';
import { ClaimService } from './claims.ts';
import { type ClaimBatch, type StoredClaim, toClaim } from './model.ts';
import { sum } from './money.ts';
import { type EdiOutbox, ediOutbox } from './outbox.ts';
import type { BillingStore } from './ports.ts';
import type { BillingContext } from './setup.ts';
import { DynamoBillingStore } from './store.ts';
import { buildClaimBatch } from './x12/claim-837p.ts';

/** Claims per batch: each is a claim write and an audit record in the batch's one transaction (≤ 100 items). */
export const MAX_BATCH_CLAIMS = 40;
const MAX_ATTEMPTS = 3;

export function batchFileName(interchangeControlNumber: number): string {
  return `837P-${String(interchangeControlNumber).padStart(9, '0')}.x12`;
}

export class ClaimBatchService {
  private readonly store: BillingStore;
  private readonly outbox: () => EdiOutbox | undefined;
  private readonly claims: ClaimService;

  constructor(
    store: BillingStore = new DynamoBillingStore(),
    outbox: () => EdiOutbox | undefined = ediOutbox,
  ) {
    this.store = store;
    this.outbox = outbox;
    this.claims = new ClaimService(store);
  }

  private async readyClaims(claimIds: string[] | undefined): Promise<StoredClaim[]> {
    if (!claimIds) {
      const page = await this.store.listClaims({ status: 'ready', limit: MAX_BATCH_CLAIMS });
      if (page.items.length === 0) {
        throw new UnprocessableError('No claims are ready to send', [
          { field: 'body.claimIds', message: 'None ready' },
        ]);
      }
      return page.items;
    }
    const claims = await Promise.all([...new Set(claimIds)].map((id) => this.store.getClaim(id)));
    const issues: FieldIssue[] = [];
    claims.forEach((claim, i) => {
      if (!claim) issues.push({ field: `body.claimIds.${i}`, message: 'No such claim' });
      else if (claim.status !== 'ready')
        issues.push({ field: `body.claimIds.${i}`, message: `The claim is ${claim.status}` });
    });
    if (issues.length > 0) throw new ConflictError('Only ready claims go into a batch', issues);
    return claims as StoredClaim[];
  }

  async create(ctx: BillingContext, claimIds: string[] | undefined): Promise<HttpResult> {
    const claims = await this.readyClaims(claimIds);
    for (const claim of claims) touchesPatient(claim.patientId);
    const [profile, payers, patients] = await Promise.all([
      this.store.getProfile(),
      this.store.listPayers(),
      this.store.claimPatients([...new Set(claims.map((c) => c.patientId))]),
    ]);
    // The scrubber again, on every claim, against the set-up data as it is now.
    const issues = (
      await Promise.all(
        claims.map(async (c) =>
          (await this.claims.findings(c)).map((f) => ({ ...f, field: `claims.${c.id}.${f.field}` })),
        ),
      )
    ).flat();
    if (issues.length > 0 || !profile) {
      throw new UnprocessableError('Claims in the batch fail the scrubber; nothing was sent', issues);
    }
    const id = newId();
    const createdAt = nowIso();
    for (let attempt = 1; ; attempt++) {
      const read = await this.store.readControlNumber();
      const interchangeControlNumber = read + 1;
      const x12 = buildClaimBatch({
        profile,
        claims: claims.map((c) =>
          toClaim(c, patients.get(c.patientId) as never, payers.find((p) => p.id === c.payerId) as never),
        ),
        interchangeControlNumber,
        groupControlNumber: interchangeControlNumber,
        batchReference: id,
        createdAt: new Date(nowMs()),
        usage: config().STAGE === 'prod' ? 'P' : 'T',
      });
      const batch: ClaimBatch = {
        ...newRecord(
          ctx,
          {
            claimIds: claims.map((c) => c.id),
            patientIds: [...new Set(claims.map((c) => c.patientId))],
            claimCount: claims.length,
            total: sum(claims.map((c) => c.total)),
            interchangeControlNumber,
            groupControlNumber: interchangeControlNumber,
            fileName: batchFileName(interchangeControlNumber),
            status: 'built' as const,
          },
          id,
        ),
        createdAt,
      };
      const moved = claims.map((before) => ({
        before,
        after: nextVersion(ctx, before, {
          ...before,
          status: 'submitted' as const,
          batchId: id,
          submittedAt: createdAt,
          history: [
            ...before.history,
            {
              at: createdAt,
              by: ctx.principal.sub,
              event: 'submit' as const,
              from: before.status,
              to: 'submitted' as const,
            },
          ],
        }),
      }));
      const result = recordResult(201, batch, `/v1/claim-batches/${id}`);
      try {
        await this.store.createBatch(ctx, {
          batch,
          x12,
          claims: moved,
          controlNumber: { read, next: interchangeControlNumber },
          audit: [
            succeeded('claim-batch.create', 'ClaimBatch', id),
            ...claims.map((c) => succeeded('claim.submit', 'Claim', c.id, c.patientId)),
          ],
          response: { status: 201, headers: result.headers ?? {}, body: batch },
        });
      } catch (error) {
        // Another batch took this control number first: build again with the next one.
        if (error instanceof ConflictError && /control number/.test(error.message) && attempt < MAX_ATTEMPTS)
          continue;
        throw error;
      }
      return { ...result, body: await this.send(batch, x12) };
    }
  }

  /** Hands the file to the outbox; a failed hand-over leaves the batch `built`, to be sent again. */
  private async send(batch: ClaimBatch, x12: string): Promise<ClaimBatch> {
    const outbox = this.outbox();
    if (!outbox) return batch;
    try {
      await outbox.send(batch.fileName, x12);
    } catch (error) {
      logger.warn('claim batch hand-over failed', { batchId: batch.id, error: (error as Error).name });
      return batch;
    }
    return this.store.markBatchSent(batch, nowIso());
  }

  async read(ctx: BillingContext, batchId: string): Promise<HttpResult> {
    const batch = await this.store.getBatch(batchId);
    if (!batch) throw new NotFoundError('No such batch');
    await auditRead(ctx, [succeeded('claim-batch.read', 'ClaimBatch', batchId)]);
    return recordResult(200, batch);
  }

  /** The 837 names every patient in it: the download is audited under each. */
  async file(ctx: BillingContext, batchId: string): Promise<HttpResult> {
    const [batch, x12] = await Promise.all([this.store.getBatch(batchId), this.store.getBatchFile(batchId)]);
    if (!batch || x12 === undefined) throw new NotFoundError('No such batch');
    for (const patientId of batch.patientIds) touchesPatient(patientId);
    await auditRead(
      ctx,
      batch.patientIds.map((p) => succeeded('claim-batch.download', 'ClaimBatch', batchId, p)),
    );
    return {
      status: 200,
      raw: x12,
      contentType: 'application/edi-x12',
      headers: { 'Content-Disposition': `attachment; filename="${batch.fileName}"` },
    };
  }

  async resend(ctx: BillingContext, batchId: string): Promise<HttpResult> {
    const [batch, x12] = await Promise.all([this.store.getBatch(batchId), this.store.getBatchFile(batchId)]);
    if (!batch || x12 === undefined) throw new NotFoundError('No such batch');
    await auditRead(ctx, [succeeded('claim-batch.send', 'ClaimBatch', batchId)]);
    const outbox = this.outbox();
    if (!outbox) throw new UnprocessableError('No EDI outbox is configured in this runtime');
    await outbox.send(batch.fileName, x12);
    return recordResult(200, await this.store.markBatchSent(batch, nowIso()));
  }
}
