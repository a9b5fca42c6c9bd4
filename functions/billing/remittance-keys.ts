// Keys of what the payer sends back: remittances (one per payer and trace number, TRN02, the posting's idempotency
// key), the per-claim guards that make a partly posted file resume without posting anything twice, and the denial
// work queue. Access patterns: docs/data-model.md.

/** A payer's trace number, unique per payer: the payer's id (REF*2U) or name, then TRN02. */
const remittancePartition = (payer: string, traceNumber: string) =>
  `REMITTANCE#${payer.toUpperCase()}#${traceNumber}`;

export const remittanceKeys = {
  /** The remittance as posted (what it paid, its claims, its provider-level adjustments). */
  item: (payer: string, traceNumber: string) => ({
    pk: remittancePartition(payer, traceNumber),
    sk: 'REMITTANCE',
  }),
  /** Guard: this remittance's claim was posted (written in the claim's own transaction). */
  claimPosted: (payer: string, traceNumber: string, claimControlNumber: string) => ({
    pk: remittancePartition(payer, traceNumber),
    sk: `CLAIM#${claimControlNumber}`,
  }),
  /** Pattern "remittances by payment date" (gsi1), for the billing office's list. */
  byDate: {
    index: 'gsi1' as const,
    pk: 'REMITTANCES',
    sk: (postedAt: string, traceNumber: string) => `${postedAt}#${traceNumber}`,
  },
};

export const denialKeys = {
  /** One item per denied or partially denied claim: the queue's entry and the action taken on it. */
  item: (claimId: string) => ({ pk: `DENIAL#${claimId}`, sk: 'DENIAL' }),
  /** Pattern "the denial work queue, oldest first" (gsi1). */
  queue: {
    index: 'gsi1' as const,
    pk: 'DENIALS',
    sk: (deniedAt: string, claimId: string) => `${deniedAt}#${claimId}`,
  },
};

export const timelyFilingKeys = {
  /** A claim not yet accepted by its payer whose timely-filing limit is near (the daily check writes it). */
  flag: (claimId: string) => ({ pk: `TIMELY_FILING#${claimId}`, sk: 'FLAG' }),
  /** Pattern "claims nearing their timely-filing limit, soonest first" (gsi1). */
  queue: {
    index: 'gsi1' as const,
    pk: 'TIMELY_FILING',
    sk: (deadline: string, claimId: string) => `${deadline}#${claimId}`,
  },
};
