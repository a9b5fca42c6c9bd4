// Ingesting what a clearinghouse or payer sends back, from the API or a file dropped in the inbound folder/bucket:
// a 999 (syntax acknowledgement of a batch), a 277CA (claim by claim: accepted into adjudication or rejected) or an
// 835 (remittance). One use case for every door. An 835 is checked whole before anything is written (balancing,
// every claim and line matched, every claim in a status that can take it): rejected whole with every reason, or
// posted claim by claim, each claim in one transaction guarded by the remittance's trace number, so the same file
// twice (or a file whose posting was cut short) posts each claim exactly once.
import { type AuditEvent, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { UnprocessableError } from '#shared/errors.ts';
import type { HttpResult } from '#shared/http/result.ts';
import { type IdempotencyRequest, replayIfSeen } from '#shared/idempotency.ts';
import { newId } from '#shared/ids.ts';
import { newRecord } from '#shared/records.ts';
import type { LedgerEntry } from './account-schemas.ts';
import { type ClaimEvent, nextClaimStatus } from './lifecycle.ts';
import type { Adjustment, Payer, StoredCoverage, StoredPayer } from './model.ts';
import { type ClaimPosting, planPosting } from './posting.ts';
import { effectsOf, type PostingClaim } from './remittance-effects.ts';
import {
  type DenialRecord,
  DynamoRemittanceStore,
  type PostedClaim,
  type RemittanceRecord,
  type RemittanceStore,
} from './remittance-store.ts';
import { parse277CA, parse999 } from './x12/acknowledgements.ts';
import { parseInterchange, X12FormatError } from './x12/envelope.ts';
import { parseRemittances, type Remittance, RemittanceFormatError } from './x12/remittance-835.ts';

export type EdiKind = '835' | '999' | '277CA';

export interface IngestionContext {
  principal: Principal;
  requestId: string;
  idempotency?: IdempotencyRequest;
}

/** What coordination of benefits needs besides the claims: the patient's coverages and the payers. */
export interface CoverageLookup {
  coverages(patientId: string): Promise<StoredCoverage[]>;
  payers(): Promise<StoredPayer[]>;
}

/** Whom file ingestion acts as in the audit trail (the S3 event Lambda, the local inbound folder). */
export const EDI_INBOUND_PRINCIPAL: Principal = {
  sub: 'edi-inbound',
  username: 'edi-inbound',
  roles: ['billing'],
};

const unprocessable = (detail: string, reasons: string[]) =>
  new UnprocessableError(
    detail,
    reasons.map((message) => ({ field: 'body', message })),
  );

/** Which transaction set a file holds (ST01 of its first set): 835, 999, or 277 (a 277CA). */
export function detectKind(text: string): EdiKind {
  let st01: string | undefined;
  try {
    st01 = parseInterchange(text).groups[0]?.transactions[0]?.header[0];
  } catch (error) {
    throw unprocessable('The body is not an X12 interchange', [(error as Error).message]);
  }
  if (st01 === '835' || st01 === '999') return st01;
  if (st01 === '277') return '277CA';
  throw unprocessable('Only 835, 999 and 277CA files are taken here', [
    `transaction set ${st01 ?? '(none)'} is not an 835, 999 or 277CA`,
  ]);
}

/** The payer half of a remittance's idempotency key: REF*2U, else the payer's name. */
const payerOf = (r: Remittance) => r.payerIdentifier ?? r.payerName ?? 'UNKNOWN';

const EVENT_OF: Record<ClaimPosting['outcome'], ClaimEvent> = {
  paid: 'pay',
  'partially-paid': 'partially-pay',
  denied: 'deny',
  reversed: 'reverse',
};

function postingClaim(claim: PostedClaim): PostingClaim {
  return {
    id: claim.id,
    patientId: claim.patientId,
    controlNumber: claim.controlNumber,
    status: claim.status,
    version: claim.version,
    total: claim.total,
    serviceDate: claim.lines[0]?.serviceDate ?? claim.createdAt.slice(0, 10),
    lines: claim.lines.map((l) => ({
      controlNumber: l.controlNumber,
      code: l.code,
      serviceDate: l.serviceDate,
      charge: l.charge,
    })),
  };
}

export class IngestionService {
  private readonly store: RemittanceStore;
  private readonly coverage: CoverageLookup | undefined;

  constructor(store: RemittanceStore = new DynamoRemittanceStore(), coverage?: CoverageLookup) {
    this.store = store;
    this.coverage = coverage;
  }

  async ingest(ctx: IngestionContext, text: string, source: string): Promise<HttpResult> {
    await replayIfSeen(ctx.idempotency);
    const kind = detectKind(text);
    if (kind === '835') return this.remittance(ctx, text, source);
    if (kind === '277CA') return this.claimAcknowledgements(ctx, text);
    return this.implementationAcknowledgement(ctx, text);
  }

  // ── 835 ──────────────────────────────────────────────────────────────────────────────────────────────────
  private async remittance(ctx: IngestionContext, text: string, source: string): Promise<HttpResult> {
    let remittances: Remittance[];
    try {
      remittances = parseRemittances(text);
    } catch (error) {
      if (error instanceof RemittanceFormatError || error instanceof X12FormatError)
        throw unprocessable('The 835 cannot be read', [error.message]);
      throw error;
    }
    const seen = await Promise.all(remittances.map((r) => this.store.remittance(payerOf(r), r.traceNumber)));
    const fresh = remittances.filter((_r, i) => !seen[i]);
    const claims = await this.store.claimsByControlNumber(
      fresh.flatMap((r) => r.claims.map((c) => c.claimControlNumber)),
    );
    const sent = new Map([...claims].map(([n, c]) => [n, postingClaim(c)]));

    // Everything is checked before anything is written.
    const errors: string[] = [];
    const plans = fresh.map((remittance) => {
      const plan = planPosting(remittance, sent);
      if (!plan.ok) {
        errors.push(...plan.errors.map((e) => (fresh.length > 1 ? `${remittance.traceNumber}: ${e}` : e)));
        return undefined;
      }
      const byClaim = new Map<string, ClaimPosting[]>();
      for (const posting of plan.claims)
        byClaim.set(posting.claimId, [...(byClaim.get(posting.claimId) ?? []), posting]);
      const effects = [...byClaim.entries()].map(([claimId, postings]) => {
        const claim = [...claims.values()].find((c) => c.id === claimId) as PostedClaim;
        const effect = effectsOf(
          postingClaim(claim),
          postings,
          remittance.traceNumber,
          remittance.payerName ?? 'Insurance',
        );
        if ('error' in effect) errors.push(effect.error);
        return { claim, postings, effect };
      });
      return { remittance, plan, effects };
    });
    if (errors.length > 0) throw unprocessable('The remittance was not posted: nothing was changed', errors);

    const payers = this.coverage ? await this.coverage.payers() : [];
    const postedAt = nowIso();
    const summaries = [];
    const records: RemittanceRecord[] = [];
    const coverageCache = new Map<string, Promise<StoredCoverage[]>>();
    for (const entry of plans) {
      if (!entry) continue;
      const { remittance, plan, effects } = entry;
      const payer = payerOf(remittance);
      const claimSummaries = [];
      for (const { claim, postings, effect } of effects) {
        if ('error' in effect) continue;
        const after: PostedClaim = {
          ...claim,
          status: effect.status,
          version: claim.version + 1,
          updatedAt: postedAt,
          updatedBy: ctx.principal.sub,
          ...(effect.result.payerClaimNumber ? { payerClaimNumber: effect.result.payerClaimNumber } : {}),
          remittance: effect.result,
          history: [
            ...claim.history,
            ...postings.map((p, i) => ({
              at: postedAt,
              by: ctx.principal.sub,
              event: EVENT_OF[p.outcome],
              from: i === 0 ? claim.status : (nextStatusAfter(claim, postings.slice(0, i)) ?? claim.status),
              to: nextStatusAfter(claim, postings.slice(0, i + 1)) ?? effect.status,
              note: `${remittance.traceNumber}`,
            })),
          ],
        };
        if (effect.denial) after.deniedAt = postedAt;
        const ledger: LedgerEntry[] = effect.ledger.map((draft) => newRecord(ctx, { ...draft, postedAt }));
        const denial: DenialRecord | undefined = effect.denial
          ? newRecord(
              ctx,
              {
                ...effect.denial,
                payerId: claim.payerId,
                deniedAt: postedAt,
                traceNumber: remittance.traceNumber,
              },
              effect.denial.claimId,
            )
          : undefined;
        const secondary = await this.secondaryClaim(
          ctx,
          claim,
          postings,
          remittance,
          payers,
          postedAt,
          coverageCache,
        );
        const audit: AuditEvent[] = [succeeded('remittance.post', 'Claim', claim.id, claim.patientId)];
        if (secondary) audit.push(succeeded('claim.create', 'Claim', secondary.id, claim.patientId));
        const outcome = await this.store.postClaim(ctx, {
          before: claim,
          after,
          guard: { payer, traceNumber: remittance.traceNumber },
          ledger,
          ...(denial ? { denial } : {}),
          ...(secondary ? { secondary } : {}),
          audit,
        });
        claimSummaries.push({
          controlNumber: claim.controlNumber,
          claimId: claim.id,
          outcome: effect.result.outcome,
          status: outcome === 'posted' ? effect.status : claim.status,
          paid: effect.result.paid,
          patientResponsibility: effect.result.patientResponsibility,
          ...(effect.denial ? { denialReasons: effect.denial.reasons.map((r) => r.code) } : {}),
          ...(secondary ? { secondaryClaimId: secondary.id } : {}),
        });
      }
      const record: RemittanceRecord = newRecord(ctx, {
        payer,
        traceNumber: remittance.traceNumber,
        ...(remittance.payerName ? { payerName: remittance.payerName } : {}),
        totalPaid: remittance.totalPaid,
        ...(remittance.paymentDate ? { paymentDate: remittance.paymentDate } : {}),
        postedAt,
        claims: claimSummaries.map((c) => ({
          controlNumber: c.controlNumber,
          claimId: c.claimId,
          outcome: c.outcome,
          paid: c.paid,
        })),
        providerAdjustments: plan.ok ? plan.providerAdjustments : [],
        source,
      });
      records.push(record);
      summaries.push({
        traceNumber: remittance.traceNumber,
        payer,
        result: 'posted' as const,
        totalPaid: remittance.totalPaid,
        claims: claimSummaries,
        providerAdjustments: record.providerAdjustments,
      });
    }
    remittances.forEach((r, i) => {
      const before = seen[i];
      if (before)
        summaries.push({
          traceNumber: r.traceNumber,
          payer: payerOf(r),
          result: 'already-posted' as const,
          totalPaid: before.totalPaid,
          claims: before.claims.map((c) => ({ ...c, status: 'unchanged', patientResponsibility: 0 })),
          providerAdjustments: before.providerAdjustments,
        });
    });
    const posted = summaries.some((s) => s.result === 'posted');
    const body = { kind: '835', remittances: summaries, acknowledgements: [] };
    // The remittance records last: the final one carries the answer a retry with the same Idempotency-Key replays.
    for (const [i, record] of records.entries()) {
      const last = i === records.length - 1;
      await this.store.saveRemittance(ctx, record, last ? { status: 201, headers: {}, body } : undefined);
    }
    return { status: posted ? 201 : 200, body };
  }

  /**
   * Coordination of benefits: when the primary payer has adjudicated a claim and left the patient something to pay,
   * and the patient has a secondary coverage active on the date of service, a secondary claim (draft, to be checked
   * and batched) carries the primary's payment and adjustments (the 837's 2320/2330/2430 loops).
   */
  private async secondaryClaim(
    ctx: IngestionContext,
    claim: PostedClaim,
    postings: ClaimPosting[],
    remittance: Remittance,
    payers: StoredPayer[],
    at: string,
    coverageCache: Map<string, Promise<StoredCoverage[]>>,
  ): Promise<PostedClaim | undefined> {
    const last = postings[postings.length - 1];
    if (!this.coverage || !last || claim.coverage.order !== 'primary') return undefined;
    if (last.outcome === 'reversed' || last.outcome === 'denied' || last.patientResponsibility <= 0)
      return undefined;
    const serviceDate = claim.lines[0]?.serviceDate ?? at.slice(0, 10);
    // One Query per patient per file, however many of the patient's claims it pays.
    let coverages = coverageCache.get(claim.patientId);
    if (!coverages) {
      coverages = this.coverage.coverages(claim.patientId);
      coverageCache.set(claim.patientId, coverages);
    }
    const secondary = (await coverages).find(
      (c) => c.order === 'secondary' && c.start <= serviceDate && (!c.end || c.end >= serviceDate),
    );
    const primaryPayer = payers.find((p) => p.id === claim.payerId);
    if (!secondary || !primaryPayer) return undefined;
    const payer: Payer = {
      id: primaryPayer.id,
      name: primaryPayer.name,
      payerId: primaryPayer.payerId,
      filingIndicator: primaryPayer.filingIndicator,
      timelyFilingDays: primaryPayer.timelyFilingDays,
      ...(primaryPayer.address ? { address: primaryPayer.address } : {}),
    };
    const {
      payerId: _p,
      patientId: _q,
      subscriber,
      id: _i,
      version: _v,
      createdAt: _c,
      updatedAt: _u,
      createdBy: _cb,
      updatedBy: _ub,
      ...primaryCoverage
    } = claim.coverage;
    const lineAdjustments = (controlNumber: string): Adjustment[] =>
      last.lines.find((l) => l.lineControlNumber === controlNumber)?.adjustments ?? [];
    const id = newId();
    const controlNumber = id.slice(6);
    const created = newRecord(ctx, { ...claim }, id);
    return {
      ...created,
      controlNumber,
      status: 'draft',
      frequency: '1',
      payerId: secondary.payerId,
      coverage: secondary,
      lines: claim.lines.map((l) => ({ ...l, controlNumber: `${controlNumber}-${l.lineNumber}` })),
      priorPayers: [
        ...(claim.priorPayers ?? []),
        {
          coverage: {
            ...primaryCoverage,
            id: claim.coverage.id,
            payer,
            subscriber: subscriber ?? { name: { family: '', given: [] }, birthDate: '', sex: 'unknown' },
          },
          paid: last.paid,
          adjustments: last.adjustments,
          adjudicationDate: remittance.paymentDate ?? at.slice(0, 10),
          lines: claim.lines.map((l) => ({
            lineNumber: l.lineNumber,
            paid: last.lines.find((p) => p.lineControlNumber === l.controlNumber)?.paid ?? 0,
            adjustments: lineAdjustments(l.controlNumber),
          })),
        },
      ],
      history: [
        { at, by: ctx.principal.sub, event: 'create', to: 'draft', note: `secondary of ${claim.id}` },
      ],
    } as PostedClaim;
  }

  // ── 277CA ────────────────────────────────────────────────────────────────────────────────────────────────
  private async claimAcknowledgements(ctx: IngestionContext, text: string): Promise<HttpResult> {
    let batches: ReturnType<typeof parse277CA>;
    try {
      batches = parse277CA(text);
    } catch (error) {
      throw unprocessable('The 277CA cannot be read', [(error as Error).message]);
    }
    const acks = batches.flatMap((b) => b.claims);
    const claims = await this.store.claimsByControlNumber(acks.map((a) => a.claimControlNumber));
    const unknown = acks.filter((a) => !claims.has(a.claimControlNumber));
    if (unknown.length > 0) {
      throw unprocessable(
        'The 277CA names claims this practice never sent: nothing was changed',
        unknown.map(
          (a) => `claim ${a.claimControlNumber}: no claim of this practice has that control number`,
        ),
      );
    }
    const at = nowIso();
    const results = [];
    for (const ack of acks) {
      const claim = claims.get(ack.claimControlNumber) as PostedClaim;
      const event: ClaimEvent = ack.accepted ? 'accept' : 'reject';
      const next = nextClaimStatus(claim.status, event);
      // A stale or repeated acknowledgement (the 835 came first, the same 277CA twice) changes nothing.
      const repeated =
        claim.acknowledgement?.status === ack.status && claim.acknowledgement.accepted === ack.accepted;
      if (!next || repeated || (ack.accepted && claim.status !== 'submitted')) {
        results.push({
          controlNumber: claim.controlNumber,
          claimId: claim.id,
          accepted: ack.accepted,
          status: claim.status,
          result: 'unchanged',
        });
        continue;
      }
      const after: PostedClaim = {
        ...claim,
        status: next,
        version: claim.version + 1,
        updatedAt: at,
        updatedBy: ctx.principal.sub,
        ...(ack.payerClaimNumber ? { payerClaimNumber: ack.payerClaimNumber } : {}),
        acknowledgement: {
          accepted: ack.accepted,
          status: ack.status,
          at,
          reasons: ack.accepted ? [] : [`277CA ${ack.status}`],
        },
        history: [
          ...claim.history,
          { at, by: ctx.principal.sub, event, from: claim.status, to: next, note: `277CA ${ack.status}` },
        ],
      };
      await this.store.changeClaim(ctx, claim, after, [
        succeeded(`claim.${event}`, 'Claim', claim.id, claim.patientId),
      ]);
      results.push({
        controlNumber: claim.controlNumber,
        claimId: claim.id,
        accepted: ack.accepted,
        status: next,
        result: 'updated',
      });
    }
    return { status: 200, body: { kind: '277CA', remittances: [], acknowledgements: results } };
  }

  // ── 999 ──────────────────────────────────────────────────────────────────────────────────────────────────
  /** A 999 that rejects a batch's transaction set rejects every claim in it; an accepted one changes nothing. */
  private async implementationAcknowledgement(ctx: IngestionContext, text: string): Promise<HttpResult> {
    let acks: ReturnType<typeof parse999>;
    try {
      acks = parse999(text);
    } catch (error) {
      throw unprocessable('The 999 cannot be read', [(error as Error).message]);
    }
    const at = nowIso();
    const results = [];
    for (const ack of acks) {
      const batch = await this.store.batchByGroupControlNumber(Number(ack.groupControlNumber));
      if (!batch)
        throw unprocessable('The 999 acknowledges a batch this practice never sent', [
          `group ${ack.groupControlNumber}: no batch`,
        ]);
      const reasons = ack.transactionSets.flatMap((s) => s.errors);
      for (const claim of await this.store.claims(batch.claimIds)) {
        const next = ack.result === 'R' ? nextClaimStatus(claim.status, 'reject') : undefined;
        if (!next || claim.status !== 'submitted') {
          results.push({
            controlNumber: claim.controlNumber,
            claimId: claim.id,
            accepted: ack.result !== 'R',
            status: claim.status,
            result: 'unchanged',
          });
          continue;
        }
        const after: PostedClaim = {
          ...claim,
          status: next,
          version: claim.version + 1,
          updatedAt: at,
          updatedBy: ctx.principal.sub,
          acknowledgement: { accepted: false, status: `999 ${ack.result}`, at, reasons },
          history: [
            ...claim.history,
            { at, by: ctx.principal.sub, event: 'reject', from: claim.status, to: next, note: '999 R' },
          ],
        };
        await this.store.changeClaim(ctx, claim, after, [
          succeeded('claim.reject', 'Claim', claim.id, claim.patientId),
        ]);
        results.push({
          controlNumber: claim.controlNumber,
          claimId: claim.id,
          accepted: false,
          status: next,
          result: 'updated',
        });
      }
    }
    return { status: 200, body: { kind: '999', remittances: [], acknowledgements: results } };
  }
}

function nextStatusAfter(claim: PostedClaim, postings: ClaimPosting[]) {
  let status = claim.status;
  for (const p of postings) {
    const next = nextClaimStatus(status, EVENT_OF[p.outcome]);
    if (!next) return undefined;
    status = next;
  }
  return status;
}
