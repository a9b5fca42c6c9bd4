// Code-system checks for the clinical record: LOINC and SNOMED CT check digits, ICD-10-CM and CPT formats, RxNorm
// identifiers. Pure functions; the service turns a failed check into a 422 naming the field.

/**
 * LOINC codes end in a mod-10 check digit after a hyphen, e.g. 8867-4 (heart rate). LOINC's algorithm (double
 * the digits in odd positions from the right, add the digits of everything) is the Luhn algorithm.
 * https://loinc.org/kb/faq/structure/ ("What is the LOINC check digit?")
 */
export function isValidLoinc(code: string): boolean {
  const match = /^(\d{1,7})-(\d)$/.exec(code);
  if (!match) return false;
  return luhnCheckDigit(match[1] as string) === Number(match[2]);
}

/** The Luhn (mod-10) check digit of a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

// Verhoeff's dihedral-group tables. https://en.wikipedia.org/wiki/Verhoeff_algorithm
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when the last digit is the Verhoeff check digit of the others. */
export function verhoeffValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]);
    c = (D[c] as number[])[(P[i % 8] as number[])[d] as number] as number;
  }
  return c === 0;
}

/**
 * A SNOMED CT identifier (SCTID): 6 to 18 digits, no leading zero, whose last digit is a Verhoeff check digit and
 * whose partition identifier (the two digits before it) names a component (concept, description, relationship,
 * short or long form). https://confluence.ihtsdotools.org/display/DOCRELFMT/6.1+SCTID+Data+Type
 */
export function isValidSnomedCt(code: string): boolean {
  if (!/^[1-9]\d{5,17}$/.test(code)) return false;
  const partition = code.slice(-3, -1);
  if (!['00', '01', '02', '10', '11', '12'].includes(partition)) return false;
  return verhoeffValid(code);
}

/**
 * ICD-10-CM: a letter, a digit, a digit or letter (the category), then optionally a dot and one to four more
 * characters (etiology, anatomic site, severity; X as a placeholder), e.g. E11.9, S52.521A, C4A.0.
 * https://www.cdc.gov/nchs/icd/icd-10-cm/ (Official Guidelines, Section I.A "Conventions", code structure)
 */
export function isValidIcd10Cm(code: string): boolean {
  return /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/.test(code);
}

/** Upper case, with the dot after the category that ICD-10-CM codes are written and exchanged with (E119 → E11.9). */
export function normalizeIcd10Cm(code: string): string {
  const upper = code.trim().toUpperCase();
  return /^[A-Z0-9]{4,7}$/.test(upper) ? `${upper.slice(0, 3)}.${upper.slice(3)}` : upper;
}

/**
 * CPT: five characters; category I codes are five digits (99213), category II four digits and F (3074F),
 * category III four digits and T (0042T), proprietary laboratory analyses four digits and U (0001U).
 * https://www.ama-assn.org/practice-management/cpt/cpt-overview-and-code-approval
 */
export function isValidCpt(code: string): boolean {
  return /^\d{4}[0-9FTU]$/.test(code);
}

/** RxNorm concept unique identifiers (RXCUI) are positive integers. https://www.nlm.nih.gov/research/umls/rxnorm/ */
export function isValidRxNorm(code: string): boolean {
  return /^[1-9]\d{0,9}$/.test(code);
}
