// Which worklist shelf a referral belongs on: open ones, and closed or cancelled ones the recipient has not been
// told about yet (the exchange poller reads the open shelf, so it still finds them to tell).
import { isOpenReferral } from './lifecycle.ts';
import type { Referral } from './schemas.ts';

/** True while the referral needs the coordinator or the exchange: open, declined, or its end not yet told. */
export function isOpenOnShelf(r: Pick<Referral, 'status' | 'version' | 'exchange'>): boolean {
  if (isOpenReferral(r.status) || r.status === 'declined') return true;
  if (r.status === 'draft' || !r.exchange) return false;
  return r.exchange.pushedVersion !== r.version;
}
