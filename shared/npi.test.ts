// NPI check digits: real-shaped numbers that pass, and each kind of typo the check digit exists to catch.
import { describe, expect, it } from 'vitest';
import { isValidNpi, withNpiCheckDigit } from './npi.ts';

describe('isValidNpi', () => {
  it('accepts numbers whose last digit is the Luhn digit over 80840 and the first nine', () => {
    // 1234567893 is the worked example of the CMS check-digit document; the others were worked the same way outside this code.
    for (const npi of [
      '1234567893',
      '1245319599',
      '1003000126',
      '1538256987',
      '2000000002',
      '1000000004',
      '1999999992',
    ])
      expect(isValidNpi(npi), npi).toBe(true);
  });

  it('refuses a wrong check digit, a single-digit typo and swapped neighbours', () => {
    const valid = '1245319599';
    for (const npi of ['1234567890', '1245319598', '1245319590', '1245319509', '1254319599', '2245319599'])
      expect(isValidNpi(npi), npi).toBe(false);
    for (let i = 0; i < 9; i++) {
      const typo = valid.slice(0, i) + ((Number(valid[i]) + 1) % 10) + valid.slice(i + 1);
      expect(isValidNpi(typo), typo).toBe(false);
    }
  });

  it('refuses anything but exactly ten digits', () => {
    for (const npi of [
      '123456789',
      '12345678930',
      '12345678a3',
      ' 1234567893',
      '1234567893 ',
      '',
      '123456789３',
    ])
      expect(isValidNpi(npi), JSON.stringify(npi)).toBe(false);
  });
});

describe('withNpiCheckDigit', () => {
  it('completes nine digits with their one check digit', () => {
    expect(withNpiCheckDigit('123456789')).toBe('1234567893');
    expect(withNpiCheckDigit('124531959')).toBe('1245319599');
    expect(withNpiCheckDigit('200000000')).toBe('2000000002');
  });
});
