// The claim scrubber: named rules a claim must pass before it is submitted, each naming the field it concerns, so
// a biller fixes every problem at once instead of learning of them one denial at a time. Pure: the caller loads
// the claim, the payer's window and the claims already sent for the same encounter.
// The ICD-10-CM, CPT and NPI checks live in charting and scheduling today; the context-boundaries work gives them
// one shared home.

import { daysBetween } from '#shared/calendar-dates.ts';
import { isValidCpt, isValidIcd10Cm } from '#shared/codes.ts';
import { isValidNpi } from '#shared/npi.ts';
import type { Claim } from './model.ts';
import { sum } from './money.ts';

export interface ScrubFinding {
  rule: string;
  field: string;
  message: string;
}

export interface ScrubContext {
  billing: { npi: string; taxId: string; postalCode: string };
  /** The claim's total as stored (CLM02), checked against its lines. */
  statedTotal: number;
  /** Today, YYYY-MM-DD, in the practice's time zone. */
  today: string;
  /** Ids of other live claims for the same encounter and payer. */
  duplicateClaimIds: string[];
}

/** CMS place-of-service codes (https://www.cms.gov/medicare/coding-billing/place-of-service-codes/code-sets). */
export const PLACES_OF_SERVICE = new Set([
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '07',
  '08',
  '09',
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '20',
  '21',
  '22',
  '23',
  '24',
  '25',
  '26',
  '27',
  '31',
  '32',
  '33',
  '34',
  '41',
  '42',
  '49',
  '50',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '65',
  '66',
  '71',
  '72',
  '81',
  '99',
]);

/** HCPCS Level II: a letter A–V then four digits (e.g. G0439, J3420). */
export function isValidHcpcsLevel2(code: string): boolean {
  return /^[A-V]\d{4}$/.test(code);
}

/** Every failing rule, in a stable order; an empty list means the claim may be submitted. */
export function scrubClaim(claim: Claim, context: ScrubContext): ScrubFinding[] {
  const findings: ScrubFinding[] = [];
  const fail = (rule: string, field: string, message: string) => findings.push({ rule, field, message });

  if (!isValidNpi(context.billing.npi))
    fail('billing-npi', 'billingProfile.npi', 'The billing NPI fails its check digit');
  if (!/^\d{9}$/.test(context.billing.taxId))
    fail('tax-id', 'billingProfile.taxId', 'The tax id must be a 9-digit EIN');
  if (!/^\d{9}$/.test(context.billing.postalCode)) {
    fail('billing-zip4', 'billingProfile.address.postalCode', 'The billing address needs a 9-digit ZIP+4');
  }
  if (!isValidNpi(claim.renderingProvider.npi)) {
    fail('rendering-npi', 'renderingProvider.npi', 'The rendering NPI fails its check digit');
  }
  if (claim.referringProvider && !isValidNpi(claim.referringProvider.npi)) {
    fail('referring-npi', 'referringProvider.npi', 'The referring NPI fails its check digit');
  }
  if (claim.coverage.memberId.trim() === '')
    fail('member-id', 'coverage.memberId', 'The subscriber member id is missing');
  if (!/^[A-Z0-9]{2,80}$/i.test(claim.coverage.payer.payerId)) {
    fail('payer-id', 'coverage.payer.payerId', 'The payer has no clearinghouse payer id');
  }
  if (claim.frequency !== '1' && !claim.originalClaimNumber) {
    fail(
      'original-claim',
      'originalClaimNumber',
      "A replacement or void needs the payer's original claim number",
    );
  }

  if (claim.diagnoses.length === 0)
    fail('diagnoses-present', 'diagnoses', 'A claim needs at least one diagnosis');
  if (claim.diagnoses.length > 12)
    fail('diagnoses-count', 'diagnoses', 'A claim carries at most 12 diagnoses');
  claim.diagnoses.forEach((code, i) => {
    if (!isValidIcd10Cm(code)) fail('icd10-format', `diagnoses[${i}]`, 'Not an ICD-10-CM code');
  });

  if (claim.lines.length === 0) fail('lines-present', 'lines', 'A claim needs at least one service line');
  if (claim.lines.length > 50) fail('lines-count', 'lines', 'An 837P claim carries at most 50 service lines');
  const pointed = new Set<number>();
  claim.lines.forEach((line, i) => {
    const at = `lines[${i}]`;
    if (!isValidCpt(line.code) && !isValidHcpcsLevel2(line.code)) {
      fail('procedure-format', `${at}.code`, 'Not a CPT or HCPCS Level II code');
    }
    if (line.modifiers.length > 4 || line.modifiers.some((m) => !/^[A-Z0-9]{2}$/.test(m))) {
      fail('modifiers', `${at}.modifiers`, 'Up to four two-character modifiers');
    }
    if (!(line.units > 0)) fail('units', `${at}.units`, 'Units must be greater than zero');
    if (!(line.charge > 0)) fail('line-charge', `${at}.charge`, 'The charge must be greater than zero');
    if (!PLACES_OF_SERVICE.has(line.placeOfService)) {
      fail('place-of-service', `${at}.placeOfService`, 'Not a CMS place-of-service code');
    }
    const pointers = line.diagnosisPointers;
    if (
      pointers.length === 0 ||
      pointers.length > 4 ||
      new Set(pointers).size !== pointers.length ||
      pointers.some((p) => !Number.isInteger(p) || p < 1 || p > claim.diagnoses.length)
    ) {
      fail(
        'diagnosis-pointers',
        `${at}.diagnosisPointers`,
        "One to four distinct pointers into the claim's diagnoses",
      );
    }
    for (const p of pointers) pointed.add(p);
    if (line.serviceDate > context.today)
      fail('service-date-future', `${at}.serviceDate`, 'The date of service is in the future');
    const age = daysBetween(line.serviceDate, context.today);
    if (age > claim.coverage.payer.timelyFilingDays) {
      fail(
        'timely-filing',
        `${at}.serviceDate`,
        `Past the payer's ${claim.coverage.payer.timelyFilingDays}-day filing limit`,
      );
    }
    const { start, end } = claim.coverage;
    if (line.serviceDate < start || (end !== undefined && line.serviceDate > end)) {
      fail('coverage-active', 'coverage', 'The coverage is not active on the date of service');
    }
  });
  claim.diagnoses.forEach((_, i) => {
    if (!pointed.has(i + 1))
      fail('diagnosis-pointed', `diagnoses[${i}]`, 'No service line points to this diagnosis');
  });
  if (sum(claim.lines.map((l) => l.charge)) !== context.statedTotal) {
    fail('charges-total', 'total', "The claim's total does not equal the sum of its lines");
  }
  if (context.duplicateClaimIds.length > 0) {
    fail('duplicate-claim', 'encounterId', 'Another claim for this encounter and payer is already open');
  }
  // One finding per rule and field: a coverage gap on every line is one problem, not many.
  return findings.filter((f, i) => findings.findIndex((g) => g.rule === f.rule && g.field === f.field) === i);
}
