// National Provider Identifier check: 10 digits, the last a Luhn check digit computed with the prefix 80840.
// https://www.cms.gov/Regulations-and-Guidance/Administrative-Simplification/NationalProvIdentStand/Downloads/NPIcheckdigit.pdf

export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

/** Completes 9 digits with their NPI check digit (for seeding and tests). */
export function withNpiCheckDigit(nineDigits: string): string {
  for (let d = 0; d <= 9; d++) if (isValidNpi(`${nineDigits}${d}`)) return `${nineDigits}${d}`;
  throw new Error('unreachable: every 9-digit prefix has one check digit');
}
