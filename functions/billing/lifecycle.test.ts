// The claim lifecycle: the paths a practice walks, and the shortcuts it must not take.
import { describe, expect, it } from 'vitest';
import {
  allowedClaimEvents,
  CLAIM_STATUSES,
  type ClaimEvent,
  type ClaimStatus,
  nextClaimStatus,
} from './lifecycle.ts';

function walk(from: ClaimStatus, events: ClaimEvent[]): ClaimStatus | undefined {
  let status: ClaimStatus | undefined = from;
  for (const event of events) status = status && nextClaimStatus(status, event);
  return status;
}

describe('claim lifecycle', () => {
  it('walks a clean claim from draft to closed', () => {
    expect(walk('draft', ['check-passed', 'submit', 'accept', 'pay', 'close'])).toBe('closed');
  });

  it('sends a rejected claim back to draft to be fixed, never straight to the payer again', () => {
    expect(walk('draft', ['check-passed', 'submit', 'reject'])).toBe('rejected');
    expect(nextClaimStatus('rejected', 'submit')).toBeUndefined();
    expect(walk('rejected', ['edit', 'check-passed', 'submit'])).toBe('submitted');
  });

  it('appeals a denial and takes the appeal’s outcome', () => {
    expect(walk('submitted', ['deny', 'appeal', 'pay'])).toBe('paid');
    expect(walk('submitted', ['partially-pay', 'appeal', 'deny', 'close'])).toBe('closed');
  });

  it('reopens a paid claim when the payer reverses the payment', () => {
    expect(walk('accepted', ['pay', 'reverse'])).toBe('accepted');
    expect(walk('accepted', ['pay', 'close', 'reverse', 'partially-pay'])).toBe('partially-paid');
  });

  it('never submits a draft, pays a draft or revives a voided or corrected claim', () => {
    expect(nextClaimStatus('draft', 'submit')).toBeUndefined();
    expect(nextClaimStatus('draft', 'pay')).toBeUndefined();
    expect(nextClaimStatus('ready', 'accept')).toBeUndefined();
    for (const terminal of ['voided', 'corrected'] as const) expect(allowedClaimEvents(terminal)).toEqual([]);
  });

  it('gives every status an entry', () => {
    for (const status of CLAIM_STATUSES) expect(Array.isArray(allowedClaimEvents(status))).toBe(true);
    expect(allowedClaimEvents('ready').sort()).toEqual(['edit', 'submit', 'void']);
    expect(allowedClaimEvents('paid')).not.toContain('appeal');
    expect(allowedClaimEvents('denied')).toContain('appeal');
    expect(nextClaimStatus('paid', 'appeal')).toBeUndefined();
  });
});
