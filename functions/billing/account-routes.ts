// The billing context's patient-account endpoints: the ledger, payments and refunds, the statement (JSON, PDF).
// Gathered into functions/routes.ts with the rest of billing's routes.
import type { Role } from '#shared/auth/roles.ts';
import { defineRoute } from '#shared/http/route.ts';
import {
  Ledger,
  LedgerEntry,
  PatientAccountParams,
  PaymentBody,
  Statement,
  StatementQuery,
} from './account-schemas.ts';

const tag = 'Billing';
const h = (name: string) => `functions/billing/handlers/${name}.ts`;
const problem = (description: string) => ({ description });
/** The demo patient of a fresh install. */
const patientId = '01KAXDEM0PAT1ENT0000000001';
const audit = (action: string) => ({ resourceType: 'Account', action, patientIdParam: 'patientId' });

/** Who reads an account: the billing office, the front desk (copays), admins, and the patient their own. */
const stamp = {
  version: 1,
  createdAt: '2026-11-20T15:04:05.000Z',
  updatedAt: '2026-11-20T15:04:05.000Z',
  createdBy: 'billing-user',
  updatedBy: 'billing-user',
};
const claimId = '01KAXDEM0000000000000000C9';
const entry = (id: string, fields: Record<string, unknown>) => ({
  id: `01KAXDEM00000000000000E${id}`,
  patientId,
  postedAt: '2026-11-20T15:04:05.000Z',
  ...stamp,
  ...fields,
});
const EXAMPLE_ENTRIES = [
  entry('001', { kind: 'charge', amount: 15000, claimId, serviceDate: '2026-11-03', description: '99214' }),
  entry('002', {
    kind: 'insurance-payment',
    amount: 8000,
    claimId,
    serviceDate: '2026-11-03',
    description: 'Payer paid',
    traceNumber: '12345',
  }),
  entry('003', {
    kind: 'adjustment',
    amount: 5000,
    claimId,
    serviceDate: '2026-11-03',
    description: 'CO-45',
  }),
  entry('004', {
    kind: 'patient-responsibility',
    amount: 2000,
    claimId,
    serviceDate: '2026-11-03',
    description: 'PR-3 Co-payment',
  }),
  entry('005', {
    kind: 'patient-payment',
    amount: 2000,
    claimId,
    description: 'Payment: Card 20.00',
    method: 'card',
    reference: 'ch_3PZx12AbCdEf',
  }),
];
const EXAMPLE_BALANCES = { insurance: 0, patient: 0, total: 0 };

const ACCOUNT_READERS: Role[] = ['admin', 'billing', 'front-desk', 'patient'];
/** Who takes money: the billing office and the front desk. */
const CASHIERS: Role[] = ['admin', 'billing', 'front-desk'];

export const getLedger = defineRoute({
  operationId: 'getLedger',
  method: 'GET',
  path: '/v1/patients/{patientId}/ledger',
  handler: h('get-ledger'),
  summary: "A patient's ledger: charges, insurance payments, adjustments, patient payments, balance",
  description:
    'Every entry of the patient’s account, oldest first, with totals by kind and the balances that follow: what ' +
    'insurance still owes and what the patient owes (negative: a credit). Amounts are integer cents. Entries are ' +
    'never edited; a correction is another entry (a refund, a reversal).',
  tag,
  auth: 'cognito',
  roles: ACCOUNT_READERS,
  tableAccess: 'read',
  audit: audit('ledger.read'),
  request: { params: PatientAccountParams },
  example: {
    params: { patientId },
    response: {
      patientId,
      entries: EXAMPLE_ENTRIES,
      totals: {
        charges: 15000,
        insurancePayments: 8000,
        adjustments: 5000,
        patientResponsibility: 2000,
        patientPayments: 2000,
        refunds: 0,
      },
      balances: EXAMPLE_BALANCES,
    },
  },
  responses: { 200: { description: 'The ledger', schema: Ledger }, 404: problem('No such patient') },
});

export const createPatientPayment = defineRoute({
  operationId: 'createPatientPayment',
  method: 'POST',
  path: '/v1/patients/{patientId}/payments',
  handler: h('create-patient-payment'),
  summary: 'Record a patient payment or refund (cash, card reference, check)',
  description:
    'Posts money the patient paid (`kind: payment`) or money returned to them (`kind: refund`) to their ledger. ' +
    '`amount` is integer cents. A card payment carries the processor’s reference (never the card number: a ' +
    '13–19 digit reference is refused), a check its number. A refund may not exceed the credit on the account. ' +
    'Send an `Idempotency-Key`: a retried request posts once.',
  tag,
  auth: 'cognito',
  roles: CASHIERS,
  tableAccess: 'write',
  idempotent: true,
  audit: audit('payment.create'),
  request: { params: PatientAccountParams, body: PaymentBody },
  example: {
    params: { patientId },
    body: { kind: 'payment', method: 'card', amount: 2000, reference: 'ch_3PZx12AbCdEf' },
    headers: { 'Idempotency-Key': '3f1c8a52-5b0e-4a11-9d2e-5a7b6c4d3e21' },
    response: EXAMPLE_ENTRIES[4],
  },
  responses: {
    201: { description: 'The ledger entry; `Location` is the ledger', schema: LedgerEntry },
    404: problem('No such patient'),
    422: problem('A refund larger than the credit, or a claim not on this account'),
  },
});

export const getStatement = defineRoute({
  operationId: 'getStatement',
  method: 'GET',
  path: '/v1/patients/{patientId}/statement',
  handler: h('get-statement'),
  summary: "A patient's statement (JSON)",
  description:
    'The statement the practice sends the patient: one line per claim (charges, insurance paid, adjustments, ' +
    'what the patient paid, what they owe for it), the balances, the amount due and its due date (30 days). ' +
    '`statementDate` defaults to today. The same statement as a PDF: `…/statement/pdf`.',
  tag,
  auth: 'cognito',
  roles: ACCOUNT_READERS,
  tableAccess: 'read',
  audit: audit('statement.read'),
  request: { params: PatientAccountParams, query: StatementQuery },
  example: {
    params: { patientId },
    response: {
      patientId,
      statementDate: '2026-11-20',
      dueDate: '2026-12-20',
      patient: { name: 'Maria Garcia', address: ['1 Elm St', 'Springfield MA 01101-1234'] },
      lines: [
        {
          serviceDate: '2026-11-03',
          claimId,
          description: '99214',
          charges: 15000,
          insurancePaid: 8000,
          adjustments: 5000,
          patientPaid: 2000,
          patientBalance: 0,
        },
      ],
      balances: EXAMPLE_BALANCES,
      amountDue: 0,
    },
  },
  responses: { 200: { description: 'The statement', schema: Statement }, 404: problem('No such patient') },
});

export const getStatementPdf = defineRoute({
  operationId: 'getStatementPdf',
  method: 'GET',
  path: '/v1/patients/{patientId}/statement/pdf',
  handler: h('get-statement-pdf'),
  summary: "A patient's statement as a PDF",
  description:
    'The statement of `GET …/statement` laid out for print or the portal, as `application/pdf` (Letter size).',
  tag,
  auth: 'cognito',
  roles: ACCOUNT_READERS,
  tableAccess: 'read',
  audit: audit('statement.read'),
  request: { params: PatientAccountParams, query: StatementQuery },
  example: { params: { patientId } },
  responses: {
    200: { description: 'The statement (PDF)', contentType: 'application/pdf' },
    404: problem('No such patient'),
  },
});

export const accountRoutes = [getLedger, createPatientPayment, getStatement, getStatementPdf];
