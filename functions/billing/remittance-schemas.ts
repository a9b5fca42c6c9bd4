// zod schemas of what ingestion answers (835 remittances posted, 999 / 277CA acknowledgements applied) and of the
// denial work queue. Amounts are integer cents.
import * as z from 'zod';
import { Audited, CalendarDate, Cursor, Id, Limit, Timestamp } from '#shared/schemas.ts';

/** The raw X12 body, as text: at most 5 MB through the API (larger files go through the inbound bucket). */
export const X12Body = z.string().min(1, 'Send an X12 interchange');
export const X12_MEDIA_TYPE = 'application/edi-x12';
export const MAX_X12_BYTES = 5 * 1024 * 1024;

const Cents = z.number().int();

const PostedClaimSummary = z.object({
  controlNumber: z.string(),
  claimId: Id,
  outcome: z.string(),
  status: z.string(),
  paid: Cents,
  patientResponsibility: Cents,
  denialReasons: z.array(z.string()).optional(),
  secondaryClaimId: Id.optional(),
});

export const IngestionResult = z.object({
  kind: z.enum(['835', '999', '277CA']),
  remittances: z.array(
    z.object({
      traceNumber: z.string(),
      payer: z.string(),
      /** posted: this request posted it; already-posted: the same trace number was posted before (nothing changed). */
      result: z.enum(['posted', 'already-posted']),
      totalPaid: Cents,
      claims: z.array(PostedClaimSummary),
      providerAdjustments: z.array(
        z.object({ reason: z.string(), reference: z.string().optional(), amount: Cents }),
      ),
    }),
  ),
  acknowledgements: z.array(
    z.object({
      controlNumber: z.string(),
      claimId: Id,
      accepted: z.boolean(),
      status: z.string(),
      result: z.enum(['updated', 'unchanged']),
    }),
  ),
});

export const DenialQuery = z.strictObject({
  /** open: no action yet (default); all: with what was done about each. */
  state: z.enum(['open', 'all']).default('open'),
  limit: Limit,
  cursor: Cursor.optional(),
});

const Denial = z.object({
  ...Audited,
  claimId: Id,
  patientId: Id,
  controlNumber: z.string(),
  payerId: z.string(),
  outcome: z.enum(['denied', 'partially-paid']),
  reasons: z.array(z.object({ code: z.string(), meaning: z.string(), amount: Cents })),
  remarks: z.array(z.string()),
  amount: Cents,
  serviceDate: CalendarDate,
  deniedAt: Timestamp,
  traceNumber: z.string(),
  action: z
    .object({
      kind: z.enum(['corrected', 'appealed', 'written-off']),
      at: Timestamp,
      by: z.string(),
      note: z.string().optional(),
    })
    .optional(),
  resolvedAt: Timestamp.optional(),
});
export const DenialRecordSchema = Denial;

export const DenialQueue = z.object({
  /** Groups by CARC (group-code), the reason's oldest denial first; a claim denied for two reasons is in both. */
  groups: z.array(
    z.object({
      code: z.string(),
      meaning: z.string(),
      claims: z.number().int(),
      amount: Cents,
      denials: z.array(Denial),
    }),
  ),
  nextCursor: z.string().optional(),
});

export const ClaimParams = z.strictObject({ claimId: Id });

export const ReportsQuery = z.strictObject({ asOf: CalendarDate.optional() });

const AgingRow = z.object({
  key: z.string(),
  total: Cents,
  '0-30': Cents,
  '31-60': Cents,
  '61-90': Cents,
  '91-120': Cents,
  '120+': Cents,
});

export const Reports = z.object({
  asOf: CalendarDate,
  /** Insurance balances by payer (StoredPayer.id), aged from the date of service; the last row is the total. */
  arAgingByPayer: z.array(AgingRow),
  /** Patient balances by patient id, aged from the date of service; the last row is the total. */
  arAgingByPatient: z.array(AgingRow),
  /** Share of submitted claims never rejected by the clearinghouse or payer (999 / 277CA); null with none. */
  firstPassAcceptanceRate: z.number().nullable(),
  denials: z.array(
    z.object({
      payer: z.string(),
      reason: z.string(),
      meaning: z.string(),
      claims: z.number().int(),
      rate: z.number(),
    }),
  ),
  /** What is owed now ÷ average daily charges of the last 90 days; null without charges. */
  daysInAr: z.number().nullable(),
  collectionsByMonth: z.array(
    z.object({ month: z.string(), insurance: Cents, patient: Cents, total: Cents }),
  ),
  /** Unsent claims the daily check flagged as near (or past) their payer's timely-filing limit, soonest first. */
  timelyFiling: z.array(
    z.object({
      claimId: Id,
      patientId: Id,
      payerId: z.string(),
      serviceDate: CalendarDate,
      deadline: CalendarDate,
      daysLeft: z.number().int(),
    }),
  ),
});
