// National Provider Identifier check: 10 digits, the last a Luhn check digit computed with the prefix 80840.
// https://www.cms.gov/Regulations-and-Guidance/Administrative-Simplification/NationalProvIdentStand/Downloads/NPIcheckdigit.pdf
import { luhnCheckDigit } from './codes.ts';

export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  return luhnCheckDigit(`80840${npi.slice(0, 9)}`) === Number(npi[9]);
}

/** Completes 9 digits with their NPI check digit (for seeding and tests). */
export function withNpiCheckDigit(nineDigits: string): string {
  return `${nineDigits}${luhnCheckDigit(`80840${nineDigits}`)}`;
}
