// The denial work queue: claims a payer denied wholly or in part, grouped by reason (group code + CARC), oldest
// first, with what the billing office did about each. The action is read from the claim itself (appealed,
// corrected, voided, written off through the claim's transitions), so the queue never disagrees with the claim.
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import type { HttpResult } from '#shared/http/result.ts';
import {
  type DenialRecord,
  DynamoRemittanceStore,
  type PostedClaim,
  type RemittanceStore,
} from './remittance-store.ts';

export interface DenialContext {
  principal: Principal;
  requestId: string;
}

type Action = NonNullable<DenialRecord['action']>;

/** What was done about a denial, as the claim now shows it; undefined while it is still open. */
export function actionOf(claim: PostedClaim | undefined, denial: DenialRecord): Action | undefined {
  if (!claim) return undefined;
  const last = [...claim.history]
    .reverse()
    .find((h) => h.at >= denial.deniedAt && h.event !== 'deny' && h.event !== 'partially-pay');
  const at = last?.at ?? claim.updatedAt;
  const by = last?.by ?? claim.updatedBy;
  if (claim.writeOff) return { kind: 'written-off', at, by, note: claim.writeOff.reason };
  if (claim.status === 'appealed') return { kind: 'appealed', at, by };
  if (claim.status === 'corrected' || claim.status === 'voided')
    return { kind: 'corrected', at, by, ...(claim.status === 'voided' ? { note: 'voided' } : {}) };
  return undefined;
}

/** Groups a page of denials by reason, each group oldest first; groups in order of their oldest denial. */
export function groupByReason(denials: readonly DenialRecord[]) {
  const groups = new Map<
    string,
    { code: string; meaning: string; claims: number; amount: number; denials: DenialRecord[] }
  >();
  const sorted = [...denials].sort(
    (a, b) => a.deniedAt.localeCompare(b.deniedAt) || a.serviceDate.localeCompare(b.serviceDate),
  );
  for (const denial of sorted) {
    const reasons =
      denial.reasons.length > 0
        ? denial.reasons
        : [{ code: 'unspecified', meaning: 'No reason code given', amount: denial.amount }];
    for (const reason of reasons) {
      const group = groups.get(reason.code) ?? {
        code: reason.code,
        meaning: reason.meaning,
        claims: 0,
        amount: 0,
        denials: [],
      };
      group.claims += 1;
      group.amount += reason.amount;
      group.denials.push(denial);
      groups.set(reason.code, group);
    }
  }
  return [...groups.values()];
}

export class DenialsService {
  private readonly store: RemittanceStore;

  constructor(store: RemittanceStore = new DynamoRemittanceStore()) {
    this.store = store;
  }

  async queue(
    ctx: DenialContext,
    query: { state: 'open' | 'all'; limit: number; cursor?: string },
  ): Promise<HttpResult> {
    const binding = `denials#${query.state}`;
    const after = query.cursor ? await openCursor(query.cursor, binding) : undefined;
    const page = await this.store.denialQueue(query.limit, after);
    const claims = new Map((await this.store.claims(page.items.map((d) => d.claimId))).map((c) => [c.id, c]));
    const denials = page.items
      .map((d) => {
        const claim = claims.get(d.claimId);
        const action = actionOf(claim, d);
        const paidSince =
          claim && (claim.status === 'paid' || claim.status === 'closed') && claim.updatedAt > d.deniedAt;
        return {
          ...d,
          ...(action ? { action } : {}),
          ...(paidSince && !d.resolvedAt ? { resolvedAt: claim.updatedAt } : {}),
        };
      })
      .filter((d) => query.state === 'all' || (!d.action && !d.resolvedAt));
    await auditRead(
      ctx,
      denials.map((d) => succeeded('denial.read', 'Claim', d.claimId, d.patientId)),
      succeeded('denial.list', 'Claim'),
    );
    return {
      status: 200,
      body: {
        groups: groupByReason(denials),
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }
}
