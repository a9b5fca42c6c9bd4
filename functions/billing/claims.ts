// Claim use cases: create a claim from an encounter's charges, read and list claims, change a draft, scrub it, and
// the lifecycle steps a biller takes (ready, correct, void, appeal, close, write off). Every change is guarded by
// If-Match, written conditionally on the version and status read, and audited in the same transaction.
import { encounterFacts } from '#functions/charting/index.ts';
import { auditRead, succeeded, touchesPatient } from '#shared/audit.ts';
import { nowIso } from '#shared/clock.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import { ConflictError, type FieldIssue, NotFoundError, UnprocessableError } from '#shared/errors.ts';
import { type HttpResult, recordResult } from '#shared/http/result.ts';
import { newId } from '#shared/ids.ts';
import { newRecord, nextVersion } from '#shared/records.ts';
import { claimKeys } from './keys.ts';
import { allowedClaimEvents, type ClaimEvent, type ClaimStatus, nextClaimStatus } from './lifecycle.ts';
import {
  type ChargeLine,
  type ClaimHistoryEntry,
  type ServiceLine,
  type StoredClaim,
  type StoredCoverage,
  toClaim,
} from './model.ts';
import { sum } from './money.ts';
import type { BillingStore } from './ports.ts';
import type { CreateClaimBody, ListClaimsQuery, UpdateClaimBody } from './schemas.ts';
import { scrubClaim } from './scrubber.ts';
import { type BillingContext, checkVersion } from './setup.ts';
import { DynamoBillingStore } from './store.ts';

/**
 * A claim control number (CLM01): the last 20 characters of the claim's id, which are unique in practice (80 random
 * bits) and guaranteed unique by the lookup item written with the claim. Twenty, because Medicare returns at most
 * 20 characters of CLM01 in the 835's CLP01.
 */
export function controlNumberOf(claimId: string): string {
  return claimId.slice(6);
}

/** Lines numbered (LX) and given their control numbers (REF*6R). */
export function numberedLines(controlNumber: string, lines: readonly ChargeLine[]): ServiceLine[] {
  return lines.map((line, i) => ({
    ...line,
    lineNumber: i + 1,
    controlNumber: claimKeys.lineControlNumber(controlNumber, i + 1),
  }));
}

/** The coverage a claim bills by default: the primary one active on the earliest date of service. */
export function primaryCoverageOn(
  coverages: readonly StoredCoverage[],
  date: string,
): StoredCoverage | undefined {
  return coverages.find(
    (c) => c.order === 'primary' && c.start <= date && (c.end === undefined || date <= c.end),
  );
}

/** A claim as the API answers it: with the steps allowed now. */
export function claimView(claim: StoredClaim) {
  return {
    ...claim,
    ...(claim.priorPayers
      ? {
          priorPayers: claim.priorPayers.map(({ coverage, ...prior }) => ({
            payerId: coverage.payer.id,
            payerName: coverage.payer.name,
            ...prior,
          })),
        }
      : {}),
    allowedEvents: allowedClaimEvents(claim.status),
  };
}

const claimResult = (status: number, claim: StoredClaim, location?: string) =>
  recordResult(status, claimView(claim), location);
const stored = (r: HttpResult) => ({ status: r.status, headers: r.headers ?? {}, body: r.body });

function historyEntry(
  ctx: BillingContext,
  event: ClaimHistoryEntry['event'],
  to: ClaimStatus,
  from?: ClaimStatus,
  note?: string,
): ClaimHistoryEntry {
  return {
    at: nowIso(),
    by: ctx.principal.sub,
    event,
    to,
    ...(from ? { from } : {}),
    ...(note ? { note } : {}),
  };
}

function pointerIssues(diagnoses: readonly string[], lines: readonly ChargeLine[], at: string): FieldIssue[] {
  return lines.flatMap((line, i) =>
    line.diagnosisPointers.some((p) => p > diagnoses.length)
      ? [{ field: `${at}.${i}.diagnosisPointers`, message: 'Points past the diagnoses' }]
      : [],
  );
}

export class ClaimService {
  private readonly store: BillingStore;

  constructor(store: BillingStore = new DynamoBillingStore()) {
    this.store = store;
  }

  /** Budget: 1 Query (the charges and coverages) + 1 TransactWriteItems (claim, lookup, guard, audit). */
  async create(ctx: BillingContext, body: CreateClaimBody): Promise<HttpResult> {
    touchesPatient(body.patientId);
    const { charges, coverages } = await this.store.claimSource(body.patientId, body.encounterId);
    if (!charges) {
      throw new UnprocessableError('The encounter has no charges to bill', [
        { field: 'body.encounterId', message: 'No service lines recorded for this encounter' },
      ]);
    }
    if (!charges.notes.some((n) => n.status === 'signed')) {
      // The charges remember the notes as they were when recorded; a note signed since is asked of charting.
      const facts = await encounterFacts(body.patientId, body.encounterId);
      if (!facts?.notes.some((n) => n.status === 'signed')) {
        throw new UnprocessableError("A claim needs the encounter's note signed", [
          { field: 'body.encounterId', message: "The encounter's note is not signed" },
        ]);
      }
    }
    const firstDate = charges.lines.map((l) => l.serviceDate).sort()[0] ?? charges.encounterDate;
    const coverage = body.coverageId
      ? coverages.find((c) => c.id === body.coverageId)
      : primaryCoverageOn(coverages, firstDate);
    if (!coverage) {
      throw new UnprocessableError('No coverage to bill', [
        {
          field: 'body.coverageId',
          message: body.coverageId
            ? 'The patient has no such coverage'
            : 'No primary coverage is active on the date of service',
        },
      ]);
    }
    const id = newId();
    const controlNumber = controlNumberOf(id);
    const lines = numberedLines(controlNumber, charges.lines);
    const claim: StoredClaim = newRecord(
      ctx,
      {
        patientId: body.patientId,
        encounterId: body.encounterId,
        status: 'draft' as ClaimStatus,
        controlNumber,
        frequency: '1' as const,
        payerId: coverage.payerId,
        coverage,
        diagnoses: charges.diagnoses,
        lines,
        total: sum(lines.map((l) => l.charge)),
        renderingProvider: charges.renderingProvider,
        ...(charges.referringProvider ? { referringProvider: charges.referringProvider } : {}),
        ...(charges.priorAuthorization ? { priorAuthorization: charges.priorAuthorization } : {}),
        history: [historyEntry(ctx, 'create', 'draft')],
      },
      id,
    );
    const result = claimResult(201, claim, `/v1/claims/${id}`);
    await this.store.createClaim(
      ctx,
      claim,
      [succeeded('claim.create', 'Claim', id, claim.patientId)],
      stored(result),
    );
    return result;
  }

  private async load(claimId: string): Promise<StoredClaim> {
    const claim = await this.store.getClaim(claimId);
    if (!claim) throw new NotFoundError('No such claim');
    touchesPatient(claim.patientId);
    return claim;
  }

  async read(ctx: BillingContext, claimId: string): Promise<HttpResult> {
    const claim = await this.load(claimId);
    await auditRead(ctx, [succeeded('claim.read', 'Claim', claim.id, claim.patientId)]);
    return claimResult(200, claim);
  }

  async list(ctx: BillingContext, query: ListClaimsQuery): Promise<HttpResult> {
    const { limit, cursor, ...filters } = query;
    const binding = JSON.stringify({ ...filters, limit, sub: ctx.principal.sub });
    const page = await this.store.listClaims({
      ...filters,
      limit,
      ...(cursor ? { after: await openCursor(cursor, binding) } : {}),
    });
    await auditRead(
      ctx,
      page.items.map((c) => succeeded('claim.list', 'Claim', c.id, c.patientId)),
      succeeded('claim.list', 'Claim', undefined, filters.patientId),
    );
    return {
      status: 200,
      body: {
        items: page.items.map(claimView),
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  /** Changes a draft; a ready or rejected claim is taken back to draft by the same request (its `edit`). */
  async update(ctx: BillingContext, claimId: string, expectedVersion: number, body: UpdateClaimBody) {
    const before = await this.load(claimId);
    checkVersion('claim', before, expectedVersion);
    const status = this.next(before, 'edit');
    const diagnoses = body.diagnoses ?? before.diagnoses;
    const chargeLines: ChargeLine[] = body.lines ?? before.lines;
    const issues = pointerIssues(diagnoses, chargeLines, body.lines ? 'body.lines' : 'lines');
    if (issues.length > 0) throw new UnprocessableError('The claim would not be consistent', issues);
    const lines = numberedLines(before.controlNumber, chargeLines);
    const changed: StoredClaim = { ...before, diagnoses, lines, total: sum(lines.map((l) => l.charge)) };
    if (body.renderingProvider) changed.renderingProvider = body.renderingProvider;
    for (const field of ['referringProvider', 'priorAuthorization', 'originalClaimNumber'] as const) {
      const value = body[field];
      if (value === null) delete changed[field];
      else if (value !== undefined) (changed as unknown as Record<string, unknown>)[field] = value;
    }
    changed.status = status;
    changed.history = [...before.history, historyEntry(ctx, 'edit', status, before.status)];
    const after = nextVersion(ctx, before, changed);
    const result = claimResult(200, after);
    await this.store.changeClaim(ctx, {
      before,
      after,
      audit: [succeeded('claim.update', 'Claim', after.id, after.patientId)],
      response: stored(result),
    });
    return result;
  }

  /** Every failing scrubber rule for the claim as it would be sent now. */
  async findings(claim: StoredClaim): Promise<FieldIssue[]> {
    const [profile, payer, patients, holder, coverage] = await Promise.all([
      this.store.getProfile(),
      this.store.getPayer(claim.payerId),
      this.store.claimPatients([claim.patientId]),
      this.store.guardHolder(claim.encounterId, claim.payerId),
      this.store.getCoverage(claim.patientId, claim.coverage.id),
    ]);
    const patient = patients.get(claim.patientId);
    const issues: FieldIssue[] = [];
    if (!profile)
      issues.push({
        rule: 'billing-profile',
        field: 'billingProfile',
        message: 'The practice has no billing profile',
      });
    if (!payer)
      issues.push({ rule: 'payer', field: 'coverage.payerId', message: 'The payer no longer exists' });
    if (!patient)
      issues.push({ rule: 'patient', field: 'patientId', message: 'The patient no longer exists' });
    if (!profile || !payer || !patient) return issues;
    // The coverage as it is now (ended since the claim was made?); the claim's own copy if it was deleted.
    const current = coverage ? { ...claim, coverage } : claim;
    const findings = scrubClaim(toClaim(current, patient, payer), {
      billing: { npi: profile.npi, taxId: profile.taxId, postalCode: profile.address.postalCode },
      statedTotal: claim.total,
      today: nowIso().slice(0, 10),
      // A replacement or void holds no guard of its own; only another original claim is a duplicate.
      duplicateClaimIds: holder && holder !== claim.id && claim.frequency === '1' ? [holder] : [],
    });
    return findings.map((f) => ({ rule: f.rule, field: f.field, message: f.message }));
  }

  async check(ctx: BillingContext, claimId: string): Promise<HttpResult> {
    const claim = await this.load(claimId);
    const issues = await this.findings(claim);
    await auditRead(ctx, [succeeded('claim.check', 'Claim', claim.id, claim.patientId)]);
    if (issues.length > 0) throw new UnprocessableError('The claim fails the scrubber', issues);
    return { status: 200, body: { passed: true } };
  }

  private next(claim: StoredClaim, event: ClaimEvent): ClaimStatus {
    const status = nextClaimStatus(claim.status, event);
    if (!status) {
      throw new ConflictError(
        `A ${claim.status} claim cannot be ${event === 'edit' ? 'edited' : `${event}ed`}`,
        [
          {
            field: 'status',
            message: `Allowed now: ${allowedClaimEvents(claim.status).join(', ') || 'nothing'}`,
          },
        ],
      );
    }
    return status;
  }

  /** Moves the claim by `event`; `extra` adds fields, `created` a claim made in the same transaction. */
  private async transition(
    ctx: BillingContext,
    before: StoredClaim,
    event: ClaimEvent,
    action: string,
    note: string | undefined,
    options: {
      extra?: Partial<StoredClaim>;
      created?: StoredClaim;
      guard?: 'transfer' | 'release';
      historyEvent?: ClaimHistoryEntry['event'];
    } = {},
  ): Promise<HttpResult> {
    const status = this.next(before, event);
    const after = nextVersion(ctx, before, {
      ...before,
      ...options.extra,
      status,
      history: [
        ...before.history,
        historyEntry(ctx, options.historyEvent ?? event, status, before.status, note),
      ],
    });
    const result = options.created
      ? claimResult(201, options.created, `/v1/claims/${options.created.id}`)
      : claimResult(200, after);
    await this.store.changeClaim(ctx, {
      before,
      after,
      ...(options.created ? { created: options.created } : {}),
      ...(options.guard ? { guard: options.guard } : {}),
      audit: [
        succeeded(action, 'Claim', after.id, after.patientId),
        ...(options.created ? [succeeded('claim.create', 'Claim', options.created.id, after.patientId)] : []),
      ],
      response: stored(result),
    });
    return result;
  }

  private async loadFor(claimId: string, expectedVersion: number): Promise<StoredClaim> {
    const claim = await this.load(claimId);
    checkVersion('claim', claim, expectedVersion);
    return claim;
  }

  /** draft → ready, when the scrubber passes. */
  async ready(ctx: BillingContext, claimId: string, expectedVersion: number, note?: string) {
    const before = await this.loadFor(claimId, expectedVersion);
    this.next(before, 'check-passed');
    const issues = await this.findings(before);
    if (issues.length > 0) throw new UnprocessableError('The claim fails the scrubber', issues);
    return this.transition(ctx, before, 'check-passed', 'claim.ready', note);
  }

  /** A follow-up claim to the payer about `original`: a replacement (7) or a void (8). */
  private followUp(ctx: BillingContext, original: StoredClaim, frequency: '7' | '8'): StoredClaim {
    if (!original.payerClaimNumber) {
      throw new UnprocessableError(
        "The payer's claim number is not known yet (it comes with the 277CA or 835)",
        [{ field: 'payerClaimNumber', message: 'Missing' }],
      );
    }
    const id = newId();
    const controlNumber = controlNumberOf(id);
    const status: ClaimStatus = frequency === '7' ? 'draft' : 'ready';
    const {
      id: _id,
      version: _v,
      createdAt: _c,
      updatedAt: _u,
      createdBy: _cb,
      updatedBy: _ub,
      payerClaimNumber: _p,
      batchId: _b,
      submittedAt: _s,
      replacedBy: _r,
      writeOff: _w,
      ...carried
    } = original;
    return newRecord(
      ctx,
      {
        ...carried,
        status,
        controlNumber,
        frequency,
        originalClaimNumber: original.payerClaimNumber,
        replaces: original.id,
        lines: numberedLines(controlNumber, original.lines),
        history: [historyEntry(ctx, 'create', status)],
      },
      id,
    );
  }

  /** An adjudicated claim → corrected; a replacement (frequency 7) takes its place as a draft. */
  async correct(ctx: BillingContext, claimId: string, expectedVersion: number, note?: string) {
    const before = await this.loadFor(claimId, expectedVersion);
    this.next(before, 'correct');
    const replacement = this.followUp(ctx, before, '7');
    return this.transition(ctx, before, 'correct', 'claim.correct', note, {
      extra: { replacedBy: replacement.id },
      created: replacement,
      guard: 'transfer',
    });
  }

  /**
   * Voids a claim. One the payer never adjudicated (draft, ready, rejected) is only marked; one it has is voided with
   * the payer by a frequency-8 claim, ready to send. Either way the encounter may be billed to this payer again.
   */
  async void(ctx: BillingContext, claimId: string, expectedVersion: number, note?: string) {
    const before = await this.loadFor(claimId, expectedVersion);
    this.next(before, 'void');
    const withPayer = !['draft', 'ready', 'rejected'].includes(before.status);
    const voiding = withPayer ? this.followUp(ctx, before, '8') : undefined;
    return this.transition(ctx, before, 'void', 'claim.void', note, {
      ...(voiding ? { extra: { replacedBy: voiding.id }, created: voiding } : {}),
      guard: 'release',
    });
  }

  async appeal(ctx: BillingContext, claimId: string, expectedVersion: number, note?: string) {
    const before = await this.loadFor(claimId, expectedVersion);
    return this.transition(ctx, before, 'appeal', 'claim.appeal', note);
  }

  async close(ctx: BillingContext, claimId: string, expectedVersion: number, note?: string) {
    const before = await this.loadFor(claimId, expectedVersion);
    return this.transition(ctx, before, 'close', 'claim.close', note);
  }

  /** Records what the practice gives up on and closes the claim. */
  async writeOff(
    ctx: BillingContext,
    claimId: string,
    expectedVersion: number,
    writeOff: { amount: number; reason: string },
  ) {
    const before = await this.loadFor(claimId, expectedVersion);
    if (writeOff.amount > before.total) {
      throw new UnprocessableError('The write-off is more than the claim', [
        { field: 'body.amount', message: "More than the claim's total" },
      ]);
    }
    return this.transition(ctx, before, 'close', 'claim.write-off', writeOff.reason, {
      extra: { writeOff },
      historyEvent: 'write-off',
    });
  }
}
