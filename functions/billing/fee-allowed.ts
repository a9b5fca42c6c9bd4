// What the local clearinghouse's payer allows for a code: the practice's fee schedule, per payer (its X12 payer id as
// the 837's NM1*PR carries it). Read once per 837 received (two Queries of small set-up partitions).
import { DynamoBillingStore } from './store.ts';

const store = new DynamoBillingStore();

export async function feeScheduleAllowed(): Promise<
  (code: string, modifiers: string[], payerId: string) => number | undefined
> {
  const [fees, payers] = await Promise.all([store.listFees(), store.listPayers()]);
  const payerById = new Map(payers.map((p) => [p.payerId, p.id]));
  return (code, modifiers, payerId) => {
    const entry =
      fees.find((f) => f.code === code && (f.modifier ?? '') === (modifiers[0] ?? '')) ??
      fees.find((f) => f.code === code && !f.modifier);
    const internal = payerById.get(payerId);
    return internal ? entry?.allowed?.[internal] : undefined;
  };
}
