// Use cases of a patient's account: the ledger, payments and refunds at the desk, the statement (JSON and PDF).
// Rules live here; the AccountStore does the reading and writing.
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { NotFoundError, UnprocessableError } from '#shared/errors.ts';
import { type HttpResult, recordResult } from '#shared/http/result.ts';
import type { IdempotencyRequest } from '#shared/idempotency.ts';
import { newRecord } from '#shared/records.ts';
import type { LedgerEntry, PaymentBody } from './account-schemas.ts';
import { type AccountStore, DynamoAccountStore } from './account-store.ts';
import { balancesOf } from './ledger.ts';
import { formatCents } from './money.ts';
import { statementPdf } from './pdf/statement-pdf.ts';
import { ledgerTotals, statementOf } from './statement.ts';

export interface AccountContext {
  principal: Principal;
  requestId: string;
  idempotency?: IdempotencyRequest;
}

/** Who the statement comes from: the practice's billing profile when set up. */
export interface PracticeLookup {
  practice(): Promise<{ name: string; address: string[] } | undefined>;
}

const METHOD_WORDS = { cash: 'Cash', card: 'Card', check: 'Check' } as const;

export class AccountsService {
  private readonly store: AccountStore;
  private readonly practices: PracticeLookup | undefined;

  constructor(store: AccountStore = new DynamoAccountStore(), practices?: PracticeLookup) {
    this.store = store;
    this.practices = practices;
  }

  private async entries(patientId: string): Promise<LedgerEntry[]> {
    const entries = await this.store.ledger(patientId);
    if (!entries) throw new NotFoundError('No such patient');
    return entries;
  }

  async ledger(ctx: AccountContext, patientId: string): Promise<HttpResult> {
    const entries = await this.entries(patientId);
    await auditRead(ctx, [succeeded('ledger.read', 'Account', patientId, patientId)]);
    return {
      status: 200,
      body: { patientId, entries, totals: ledgerTotals(entries), balances: balancesOf(entries) },
    };
  }

  /**
   * A payment or refund at the desk. A refund returns a credit: it may not exceed what the patient has paid beyond
   * what they owe (their credit), so an account is never refunded into debt by mistake.
   */
  async pay(ctx: AccountContext, patientId: string, body: PaymentBody): Promise<HttpResult> {
    const entries = await this.entries(patientId);
    if (body.claimId && !entries.some((e) => e.claimId === body.claimId)) {
      throw new UnprocessableError('The claim is not on this patient’s account', [
        { field: 'body.claimId', message: 'No such claim on this account' },
      ]);
    }
    if (body.kind === 'refund') {
      const credit = -balancesOf(entries).patient;
      if (body.amount > credit) {
        throw new UnprocessableError('A refund may not exceed the credit on the account', [
          {
            field: 'body.amount',
            message: `At most ${Math.max(credit, 0)} cents (the account's credit)`,
          },
        ]);
      }
    }
    const entry: LedgerEntry = newRecord(ctx, {
      patientId,
      kind: body.kind === 'refund' ? ('refund' as const) : ('patient-payment' as const),
      amount: body.amount,
      postedAt: nowIso(),
      ...(body.claimId ? { claimId: body.claimId } : {}),
      description: `${body.kind === 'refund' ? 'Refund' : 'Payment'}: ${METHOD_WORDS[body.method]} ${formatCents(body.amount)}`,
      method: body.method,
      ...(body.reference ? { reference: body.reference } : {}),
    });
    const location = `/v1/patients/${patientId}/ledger`;
    const result = recordResult(201, entry, location);
    await this.store.post(
      ctx,
      entry,
      [succeeded(`payment.${body.kind === 'refund' ? 'refund' : 'create'}`, 'Account', entry.id, patientId)],
      { status: 201, body: entry, headers: result.headers ?? {} },
    );
    return result;
  }

  private async statementData(ctx: AccountContext, patientId: string, statementDate?: string) {
    const entries = await this.entries(patientId);
    const holder = await this.store.holder(patientId);
    if (!holder) throw new NotFoundError('No such patient');
    const statement = statementOf(holder, entries, statementDate ?? nowIso().slice(0, 10));
    await auditRead(ctx, [succeeded('statement.read', 'Account', patientId, patientId)]);
    return statement;
  }

  async statement(ctx: AccountContext, patientId: string, statementDate?: string): Promise<HttpResult> {
    return { status: 200, body: await this.statementData(ctx, patientId, statementDate) };
  }

  async statementPdf(ctx: AccountContext, patientId: string, statementDate?: string): Promise<HttpResult> {
    const statement = await this.statementData(ctx, patientId, statementDate);
    const practice = (await this.practices?.practice()) ?? { name: 'Statement', address: [] };
    const pdf = await statementPdf(statement, practice);
    return {
      status: 200,
      raw: pdf.toString('base64'),
      base64: true,
      contentType: 'application/pdf',
      headers: { 'Content-Disposition': `inline; filename="statement-${statement.statementDate}.pdf"` },
    };
  }
}
