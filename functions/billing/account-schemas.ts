// zod schemas of a patient's account: ledger entries, patient payments and refunds, the statement. Amounts are
// integer cents throughout the billing API (a payment of $20.00 is 2000), as in the domain (money.ts).
import * as z from 'zod';
import { Audited, CalendarDate, Id, Text, Timestamp } from '#shared/schemas.ts';

export const Cents = z.number().int();
const PositiveCents = z.number().int().min(1, 'Must be at least 1 cent').max(100_000_000);

export const LEDGER_KINDS = [
  'charge',
  'insurance-payment',
  'adjustment',
  'patient-responsibility',
  'patient-payment',
  'refund',
] as const;

export const PaymentMethod = z.enum(['cash', 'card', 'check']);

export const LedgerEntry = z.object({
  ...Audited,
  patientId: Id,
  kind: z.enum(LEDGER_KINDS),
  /** Cents in the entry's natural direction; a reversal posts a negative insurance payment. */
  amount: Cents,
  postedAt: Timestamp,
  claimId: Id.optional(),
  /** The date of service of the claim or line it concerns. */
  serviceDate: CalendarDate.optional(),
  /** What the line on a statement says: a procedure code, a CARC group and code, a payment method. */
  description: z.string(),
  method: PaymentMethod.optional(),
  /** A card processor's reference or a check number; never a card number. */
  reference: z.string().optional(),
  /** The remittance's trace number (TRN02) for what a payer posted. */
  traceNumber: z.string().optional(),
});
export type LedgerEntry = z.output<typeof LedgerEntry>;

export const Balances = z.object({
  /** Awaiting a payer's decision. */
  insurance: Cents,
  /** What the patient owes; negative is a credit. */
  patient: Cents,
  total: Cents,
});

export const Ledger = z.object({
  patientId: Id,
  entries: z.array(LedgerEntry),
  totals: z.object({
    charges: Cents,
    insurancePayments: Cents,
    adjustments: Cents,
    patientResponsibility: Cents,
    patientPayments: Cents,
    refunds: Cents,
  }),
  balances: Balances,
});

/** A card number is never stored: a reference that looks like one (13–19 digits) is refused. */
const Reference = Text(60).refine(
  (value) => !/^\d{13,19}$/.test(value.replace(/[\s-]/g, '')),
  'Must be the processor reference, never the card number',
);

export const PaymentBody = z
  .strictObject({
    kind: z.enum(['payment', 'refund']).default('payment'),
    method: PaymentMethod,
    amount: PositiveCents,
    /** Card: the processor's reference (required). Check: the check number (required). */
    reference: Reference.optional(),
    claimId: Id.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.method !== 'cash' && !body.reference) {
      ctx.addIssue({
        code: 'custom',
        path: ['reference'],
        message:
          body.method === 'card'
            ? 'Required for a card: the processor reference'
            : 'Required: the check number',
      });
    }
  });
export type PaymentBody = z.output<typeof PaymentBody>;

export const StatementLine = z.object({
  serviceDate: CalendarDate.optional(),
  claimId: Id.optional(),
  description: z.string(),
  charges: Cents,
  insurancePaid: Cents,
  adjustments: Cents,
  patientPaid: Cents,
  /** What the patient owes for this line now. */
  patientBalance: Cents,
});

export const Statement = z.object({
  patientId: Id,
  statementDate: CalendarDate,
  dueDate: CalendarDate,
  patient: z.object({
    name: z.string(),
    address: z.array(z.string()),
  }),
  lines: z.array(StatementLine),
  balances: Balances,
  /** The patient's balance when positive, else 0 (a credit is shown, not billed). */
  amountDue: Cents,
});
export type Statement = z.output<typeof Statement>;

export const PatientAccountParams = z.strictObject({ patientId: Id });
export const StatementQuery = z.strictObject({ statementDate: CalendarDate.optional() });
