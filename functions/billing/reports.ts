// Revenue-cycle reports a practice manager reads weekly: A/R aging, first-pass acceptance, denials by reason and
// payer, days in A/R, collections by month. Pure over what the store has already loaded.

import { daysBetween } from '#shared/calendar-dates.ts';
import { carcMeaning } from './carc.ts';

export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '91-120', '120+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export function agingBucket(ageDays: number): AgingBucket {
  if (ageDays <= 30) return '0-30';
  if (ageDays <= 60) return '31-60';
  if (ageDays <= 90) return '61-90';
  if (ageDays <= 120) return '91-120';
  return '120+';
}

export interface OpenBalance {
  /** The payer's id, or "patient" for what patients owe. */
  payer: string;
  patientId: string;
  serviceDate: string;
  balance: number;
}

export type AgingRow = { key: string; total: number } & Record<AgingBucket, number>;

/** A/R aging by payer or by patient, aged from the date of service; rows sorted by key, totals last. */
export function arAging(
  balances: readonly OpenBalance[],
  today: string,
  by: 'payer' | 'patientId',
): AgingRow[] {
  const rows = new Map<string, AgingRow>();
  const empty = (key: string): AgingRow => ({
    key,
    total: 0,
    '0-30': 0,
    '31-60': 0,
    '61-90': 0,
    '91-120': 0,
    '120+': 0,
  });
  for (const item of balances) {
    if (item.balance === 0) continue;
    const key = item[by];
    const row = rows.get(key) ?? empty(key);
    row[agingBucket(daysBetween(item.serviceDate, today))] += item.balance;
    row.total += item.balance;
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
  const total = empty('total');
  for (const row of sorted) {
    for (const bucket of AGING_BUCKETS) total[bucket] += row[bucket];
    total.total += row.total;
  }
  return [...sorted, total];
}

export interface SubmissionRecord {
  claimId: string;
  payer: string;
  /** Whether the claim's first submission was accepted by the clearinghouse and payer (277CA). */
  acceptedFirstTime: boolean;
  /** Denial reasons (group-CARC) from its remittances, empty when paid. */
  denialReasons: string[];
}

export function firstPassAcceptanceRate(records: readonly SubmissionRecord[]): number | undefined {
  if (records.length === 0) return undefined;
  return records.filter((r) => r.acceptedFirstTime).length / records.length;
}

export interface DenialRow {
  payer: string;
  reason: string;
  meaning: string;
  claims: number;
  /** Share of the payer's adjudicated claims denied (wholly or in part) for this reason. */
  rate: number;
}

export function denialsByReasonAndPayer(records: readonly SubmissionRecord[]): DenialRow[] {
  const perPayer = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const r of records) {
    perPayer.set(r.payer, (perPayer.get(r.payer) ?? 0) + 1);
    for (const reason of new Set(r.denialReasons))
      counts.set(`${r.payer}\u0000${reason}`, (counts.get(`${r.payer}\u0000${reason}`) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([key, claims]) => {
      const [payer = '', reason = ''] = key.split('\u0000');
      return {
        payer,
        reason,
        meaning: carcMeaning(reason.split('-')[1] ?? reason),
        claims,
        rate: claims / (perPayer.get(payer) ?? 1),
      };
    })
    .sort(
      (a, b) => b.claims - a.claims || a.payer.localeCompare(b.payer) || a.reason.localeCompare(b.reason),
    );
}

/** Days in A/R: what is owed now divided by the average daily charges over the last `days` days. */
export function daysInAr(totalReceivable: number, chargesInPeriod: number, days = 90): number | undefined {
  if (chargesInPeriod <= 0) return undefined;
  return Math.round((totalReceivable / (chargesInPeriod / days)) * 10) / 10;
}

export interface Collection {
  postedAt: string;
  amount: number;
  source: 'insurance' | 'patient';
}

/** Collections per calendar month (YYYY-MM), insurance and patient apart. */
export function collectionsByMonth(collections: readonly Collection[]) {
  const months = new Map<string, { month: string; insurance: number; patient: number; total: number }>();
  for (const c of collections) {
    const month = c.postedAt.slice(0, 7);
    const row = months.get(month) ?? { month, insurance: 0, patient: 0, total: 0 };
    row[c.source] += c.amount;
    row.total = row.insurance + row.patient;
    months.set(month, row);
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}
