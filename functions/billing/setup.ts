// Billing set-up use cases: the practice's billing profile, its payers, its fee schedule and each patient's
// coverage. Handlers call exactly one of these.
import { auditRead, succeeded, touchesPatient } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import {
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  UnprocessableError,
} from '#shared/errors.ts';
import { etag, type HttpResult, recordResult } from '#shared/http/result.ts';
import { newRecord, nextVersion } from '#shared/records.ts';
import type { WriteContext } from '#shared/write.ts';
import type { FeeScheduleEntry, Stamp, StoredBillingProfile, StoredCoverage, StoredPayer } from './model.ts';
import type { BillingStore } from './ports.ts';
import type {
  BillingProfileBody,
  CreateCoverageBody,
  CreatePayerBody,
  FeeBody,
  UpdateCoverageBody,
  UpdatePayerBody,
} from './schemas.ts';
import { DynamoBillingStore } from './store.ts';

export interface BillingContext extends WriteContext {
  principal: Principal;
}

/** The version check every change makes before writing (the write repeats it as its condition). */
export function checkVersion(what: string, before: { version: number }, expected: number | undefined): void {
  if (expected === undefined) {
    throw new PreconditionRequiredError(`Changing the ${what} needs If-Match with the ETag you read`, [
      { field: 'headers.if-match', message: 'Required when the record exists' },
    ]);
  }
  if (before.version !== expected) {
    throw new PreconditionFailedError(`The ${what} changed since you read it; read it again`, [], {
      ETag: etag(before.version),
    });
  }
}

/** A PUT that creates or replaces: If-Match "0" creates (nothing may exist yet), a record's ETag replaces it. */
export function checkPut(what: string, before: { version: number } | undefined, expected: number): void {
  if (before) checkVersion(what, before, expected);
  else if (expected !== 0) {
    throw new PreconditionFailedError(`There is no ${what} yet: send If-Match "0" to create it`, [], {
      ETag: etag(0),
    });
  }
}

/** `body`'s fields over `before`'s; `null` clears an optional field. */
export function merged<T extends object>(before: T, body: object): T {
  const after = { ...before } as Record<string, unknown>;
  for (const [field, value] of Object.entries(body)) {
    if (value === null) delete after[field];
    else if (value !== undefined) after[field] = value;
  }
  return after as T;
}

const stored = (r: HttpResult) => ({ status: r.status, headers: r.headers ?? {}, body: r.body });

export class BillingSetupService {
  private readonly store: BillingStore;

  constructor(store: BillingStore = new DynamoBillingStore()) {
    this.store = store;
  }

  // ── Billing profile ──────────────────────────────────────────────────────────────────────────────────────
  async readProfile(ctx: BillingContext): Promise<HttpResult> {
    const profile = await this.store.getProfile();
    if (!profile) throw new NotFoundError('The practice has no billing profile yet; PUT one');
    await auditRead(ctx, [succeeded('billing-profile.read', 'BillingProfile', profile.id)]);
    return recordResult(200, profile);
  }

  /** Creates the profile when there is none (no If-Match needed), else replaces the version named in If-Match. */
  async putProfile(ctx: BillingContext, expectedVersion: number, body: BillingProfileBody) {
    const before = await this.store.getProfile();
    checkPut('billing profile', before, expectedVersion);
    const after: StoredBillingProfile = before
      ? nextVersion(ctx, before, { ...stampOf(before), ...body })
      : newRecord(ctx, body, 'billing-profile');
    const result = recordResult(before ? 200 : 201, after);
    await this.store.putProfile(ctx, {
      before,
      after,
      audit: [
        succeeded(before ? 'billing-profile.update' : 'billing-profile.create', 'BillingProfile', after.id),
      ],
      response: stored(result),
    });
    return result;
  }

  // ── Payers ───────────────────────────────────────────────────────────────────────────────────────────────
  async createPayer(ctx: BillingContext, body: CreatePayerBody): Promise<HttpResult> {
    const payer: StoredPayer = newRecord(ctx, body);
    const result = recordResult(201, payer, `/v1/payers/${payer.id}`);
    await this.store.putPayer(ctx, {
      before: undefined,
      after: payer,
      audit: [succeeded('payer.create', 'Payer', payer.id)],
      response: stored(result),
    });
    return result;
  }

  async listPayers(ctx: BillingContext): Promise<HttpResult> {
    const payers = await this.store.listPayers();
    await auditRead(ctx, [], succeeded('payer.list', 'Payer'));
    return { status: 200, body: { items: payers.sort((a, b) => a.name.localeCompare(b.name)) } };
  }

  async readPayer(ctx: BillingContext, id: string): Promise<HttpResult> {
    const payer = await this.store.getPayer(id);
    if (!payer) throw new NotFoundError('No such payer');
    await auditRead(ctx, [succeeded('payer.read', 'Payer', id)]);
    return recordResult(200, payer);
  }

  async updatePayer(ctx: BillingContext, id: string, expectedVersion: number, body: UpdatePayerBody) {
    const before = await this.store.getPayer(id);
    if (!before) throw new NotFoundError('No such payer');
    checkVersion('payer', before, expectedVersion);
    const after = nextVersion(ctx, before, merged(before, body));
    const result = recordResult(200, after);
    await this.store.putPayer(ctx, {
      before,
      after,
      audit: [succeeded('payer.update', 'Payer', id)],
      response: stored(result),
    });
    return result;
  }

  // ── Fee schedule ─────────────────────────────────────────────────────────────────────────────────────────
  async listFees(ctx: BillingContext): Promise<HttpResult> {
    const fees = await this.store.listFees();
    await auditRead(ctx, [], succeeded('fee-schedule.list', 'FeeScheduleEntry'));
    return { status: 200, body: { items: fees } };
  }

  /** `entry` is the code or code-modifier; creates it, or replaces the version named in If-Match. */
  async putFee(ctx: BillingContext, entry: string, expectedVersion: number, body: FeeBody) {
    const [code = '', modifier] = entry.split('-');
    const payers = body.allowed ? await this.store.listPayers() : [];
    const unknown = Object.keys(body.allowed ?? {}).filter((id) => !payers.some((p) => p.id === id));
    if (unknown.length > 0) {
      throw new UnprocessableError(
        'Allowed amounts name payers that do not exist',
        unknown.map((id) => ({ field: `body.allowed.${id}`, message: 'No such payer' })),
      );
    }
    const fees = await this.store.listFees();
    const before = fees.find((f) => f.code === code && (f.modifier ?? undefined) === modifier);
    checkPut('fee schedule entry', before, expectedVersion);
    const fields = { code, ...(modifier ? { modifier } : {}), ...body };
    const after: FeeScheduleEntry = before
      ? nextVersion(ctx, before, { ...stampOf(before), ...fields })
      : newRecord(ctx, fields, entry);
    const result = recordResult(before ? 200 : 201, after);
    await this.store.putFee(ctx, {
      before,
      after,
      audit: [succeeded(before ? 'fee-schedule.update' : 'fee-schedule.create', 'FeeScheduleEntry', entry)],
      response: stored(result),
    });
    return result;
  }

  // ── Coverage ─────────────────────────────────────────────────────────────────────────────────────────────
  private async payerMustExist(payerId: string): Promise<void> {
    if (!(await this.store.getPayer(payerId))) {
      throw new UnprocessableError('No such payer', [{ field: 'body.payerId', message: 'No such payer' }]);
    }
  }

  async createCoverage(
    ctx: BillingContext,
    patientId: string,
    body: CreateCoverageBody,
  ): Promise<HttpResult> {
    touchesPatient(patientId);
    await this.patientMustExist(patientId);
    await this.payerMustExist(body.payerId);
    const coverage: StoredCoverage = newRecord(ctx, { ...body, patientId });
    const result = recordResult(201, coverage, `/v1/patients/${patientId}/coverages/${coverage.id}`);
    await this.store.putCoverage(ctx, {
      before: undefined,
      after: coverage,
      audit: [succeeded('coverage.create', 'Coverage', coverage.id, patientId)],
      response: stored(result),
    });
    return result;
  }

  async listCoverages(ctx: BillingContext, patientId: string): Promise<HttpResult> {
    const coverages = await this.store.listCoverages(patientId);
    if (coverages.length === 0) await this.patientMustExist(patientId);
    await auditRead(
      ctx,
      coverages.map((c) => succeeded('coverage.read', 'Coverage', c.id, patientId)),
      succeeded('coverage.list', 'Coverage', undefined, patientId),
    );
    const rank = { primary: 0, secondary: 1, tertiary: 2 };
    return { status: 200, body: { items: coverages.sort((a, b) => rank[a.order] - rank[b.order]) } };
  }

  async readCoverage(ctx: BillingContext, patientId: string, id: string): Promise<HttpResult> {
    const coverage = await this.store.getCoverage(patientId, id);
    if (!coverage) throw new NotFoundError('No such coverage');
    await auditRead(ctx, [succeeded('coverage.read', 'Coverage', id, patientId)]);
    return recordResult(200, coverage);
  }

  async updateCoverage(
    ctx: BillingContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: UpdateCoverageBody,
    action = 'coverage.update',
  ): Promise<HttpResult> {
    const before = await this.store.getCoverage(patientId, id);
    if (!before) throw new NotFoundError('No such coverage');
    checkVersion('coverage', before, expectedVersion);
    if (body.payerId) await this.payerMustExist(body.payerId);
    const after = nextVersion(ctx, before, merged(before, body));
    const issues = [];
    if ((after.relationship === 'self') !== (after.subscriber === undefined)) {
      issues.push({
        field: 'body.subscriber',
        message: 'A subscriber is required unless the relationship is self, and must be absent when it is',
      });
    }
    if (after.end !== undefined && after.end < after.start)
      issues.push({ field: 'body.end', message: 'Must not be before start' });
    if (issues.length > 0) throw new UnprocessableError('The coverage would not be consistent', issues);
    const result = recordResult(200, after);
    await this.store.putCoverage(ctx, {
      before,
      after,
      audit: [succeeded(action, 'Coverage', id, patientId)],
      response: stored(result),
    });
    return result;
  }

  /** Ends a coverage on a date (the patient changed plans): claims for later dates of service fail the scrubber. */
  async endCoverage(
    ctx: BillingContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    end: string,
  ) {
    return this.updateCoverage(ctx, patientId, id, expectedVersion, { end }, 'coverage.end');
  }

  private async patientMustExist(patientId: string): Promise<void> {
    const found = await this.store.claimPatients([patientId]);
    if (!found.has(patientId)) throw new NotFoundError('No such patient');
  }
}

/** A record's stamp alone: a whole-record PUT builds the next version from it and the body (absent fields go). */
export function stampOf(r: Stamp): Stamp {
  const { id, version, createdAt, updatedAt, createdBy, updatedBy } = r;
  return { id, version, createdAt, updatedAt, createdBy, updatedBy };
}
