// A claim's lifecycle, as one table: which event moves a claim from which status to which. Services ask it before
// writing (and write with the status they read as the condition), so a claim can never skip a step or go back.

export const CLAIM_STATUSES = [
  'draft',
  'ready',
  'submitted',
  'accepted',
  'rejected',
  'paid',
  'partially-paid',
  'denied',
  'appealed',
  'corrected',
  'voided',
  'closed',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export type ClaimEvent =
  | 'check-passed' // the scrubber found nothing
  | 'edit' // a biller changes a ready or rejected claim
  | 'submit' // put in a batch to the clearinghouse
  | 'accept' // 277CA: entered adjudication
  | 'reject' // 999 or 277CA: refused before adjudication
  | 'pay'
  | 'partially-pay'
  | 'deny'
  | 'reverse' // 835 CLP02 = 22: the payer takes back an earlier payment
  | 'appeal'
  | 'correct' // a replacement claim (frequency 7) supersedes this one
  | 'void' // a void (frequency 8) cancels this one with the payer
  | 'close'; // nothing left to collect or write off

const ADJUDICATED = ['pay', 'partially-pay', 'deny'] as const;
const OUTCOME = { pay: 'paid', 'partially-pay': 'partially-paid', deny: 'denied' } as const;

const TRANSITIONS: Record<ClaimStatus, Partial<Record<ClaimEvent, ClaimStatus>>> = {
  draft: { 'check-passed': 'ready', edit: 'draft', void: 'voided' },
  ready: { edit: 'draft', submit: 'submitted', void: 'voided' },
  // An 835 may arrive before (or without) a 277CA.
  submitted: { accept: 'accepted', reject: 'rejected', ...outcomes() },
  accepted: { ...outcomes(), reject: 'rejected' },
  // A rejected claim never reached adjudication: it is fixed and sent again as an original.
  rejected: { edit: 'draft', void: 'voided' },
  // After a remittance: a later one may change the outcome; only a denial (wholly or in part) is appealed.
  paid: { ...afterRemittance(), appeal: undefined },
  'partially-paid': afterRemittance(),
  denied: afterRemittance(),
  appealed: { ...outcomes(), close: 'closed' },
  corrected: {},
  voided: {},
  closed: { reverse: 'accepted' },
};

function afterRemittance(): Partial<Record<ClaimEvent, ClaimStatus>> {
  return {
    reverse: 'accepted',
    appeal: 'appealed',
    correct: 'corrected',
    void: 'voided',
    close: 'closed',
    ...outcomes(),
  };
}

function outcomes(): Partial<Record<ClaimEvent, ClaimStatus>> {
  return Object.fromEntries(ADJUDICATED.map((event) => [event, OUTCOME[event]]));
}

/** The status an event leads to, or undefined when the event is not allowed in the current status. */
export function nextClaimStatus(current: ClaimStatus, event: ClaimEvent): ClaimStatus | undefined {
  return TRANSITIONS[current][event];
}

/** The events allowed now, for the API to offer (and a front end to show as buttons). */
export function allowedClaimEvents(current: ClaimStatus): ClaimEvent[] {
  return Object.entries(TRANSITIONS[current])
    .filter(([, next]) => next !== undefined)
    .map(([event]) => event as ClaimEvent);
}

/** Statuses whose claims still count against the encounter and payer for the duplicate-claim rule. */
export function isLiveClaim(status: ClaimStatus): boolean {
  return status !== 'voided' && status !== 'corrected' && status !== 'rejected';
}
