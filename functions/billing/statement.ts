// A patient's statement from the ledger: one line per claim (or per payment not tied to one), what was charged,
// what insurance paid and adjusted, what the patient paid, and what is due. Pure: the caller loads the entries.

import type { LedgerEntry, Statement } from './account-schemas.ts';
import { balancesOf } from './ledger.ts';

type Entry = Pick<
  LedgerEntry,
  'kind' | 'amount' | 'postedAt' | 'claimId' | 'serviceDate' | 'description' | 'id'
>;

export function ledgerTotals(entries: readonly Entry[]) {
  const total = (kind: Entry['kind']) =>
    entries.filter((e) => e.kind === kind).reduce((sum, e) => sum + e.amount, 0);
  return {
    charges: total('charge'),
    insurancePayments: total('insurance-payment'),
    adjustments: total('adjustment'),
    patientResponsibility: total('patient-responsibility'),
    patientPayments: total('patient-payment'),
    refunds: total('refund'),
  };
}

/** Days a statement gives the patient to pay. */
export const STATEMENT_TERMS_DAYS = 30;

export function statementOf(
  patient: { id: string; name: string; address: string[] },
  entries: readonly Entry[],
  statementDate: string,
): Statement {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    const key = entry.claimId ? `claim:${entry.claimId}` : `entry:${entry.id}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const lines = [...groups.values()].map((group) => {
    const sumOf = (...kinds: Entry['kind'][]) =>
      group.filter((e) => kinds.includes(e.kind)).reduce((s, e) => s + e.amount, 0);
    const charge = group.find((e) => e.kind === 'charge');
    const first = charge ?? group[0];
    const balances = balancesOf(group);
    return {
      ...(first?.serviceDate ? { serviceDate: first.serviceDate } : {}),
      ...(first?.claimId ? { claimId: first.claimId } : {}),
      description: charge?.description ?? first?.description ?? '',
      charges: sumOf('charge'),
      insurancePaid: sumOf('insurance-payment'),
      adjustments: sumOf('adjustment'),
      patientPaid: sumOf('patient-payment') - sumOf('refund'),
      patientBalance: balances.patient,
      sortKey: first?.serviceDate ?? first?.postedAt.slice(0, 10) ?? '',
    };
  });
  lines.sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  const balances = balancesOf(entries);
  const due = new Date(`${statementDate}T00:00:00Z`);
  due.setUTCDate(due.getUTCDate() + STATEMENT_TERMS_DAYS);
  return {
    patientId: patient.id,
    statementDate,
    dueDate: due.toISOString().slice(0, 10),
    patient: { name: patient.name, address: patient.address },
    lines: lines.map(({ sortKey: _sortKey, ...line }) => line),
    balances,
    amountDue: Math.max(0, balances.patient),
  };
}
