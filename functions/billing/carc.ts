// Claim adjustment reason codes (CARC) a small practice meets most, with a short meaning for the denial work queue.
// The list is X12's (https://x12.org/codes/claim-adjustment-reason-codes); the meanings here are our paraphrases.
// An unknown code is shown as itself: payers use hundreds, and the queue must never hide one.

const MEANINGS: Record<string, string> = {
  '1': 'Deductible',
  '2': 'Coinsurance',
  '3': 'Co-payment',
  '4': 'Procedure code inconsistent with the modifier, or a required modifier is missing',
  '5': 'Procedure code or type of bill inconsistent with the place of service',
  '11': 'Diagnosis inconsistent with the procedure',
  '16': 'Claim or service lacks information or has submission/billing errors',
  '18': 'Exact duplicate claim or service',
  '22': 'May be covered by another payer (coordination of benefits)',
  '23': 'Impact of prior payer adjudication',
  '27': 'Expenses incurred after coverage terminated',
  '29': 'The time limit for filing has expired',
  '31': 'Patient cannot be identified as our insured',
  '45': 'Charge exceeds the fee schedule or contracted amount',
  '50': 'Not deemed a medical necessity by the payer',
  '96': 'Non-covered charge',
  '97': 'Included in the payment for another service already adjudicated',
  '109': 'Not covered by this payer; submit to the correct payer',
  '119': 'Benefit maximum for this period has been reached',
  '167': 'Diagnosis is not covered',
  '197': 'Precertification or authorization absent',
  '204': "Service not covered under the patient's current benefit plan",
  '242': 'Services not provided by network or primary care providers',
  '253': 'Sequestration: reduction of federal payment',
};

export function carcMeaning(code: string): string {
  return MEANINGS[code] ?? `Reason code ${code}`;
}

/** Patient-responsibility reasons that are not denials: what the patient owes under the plan. */
export const COST_SHARING = new Set(['1', '2', '3']);
