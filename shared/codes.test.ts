// Code checks against real codes and their near misses. functions/charting/codes-in-use.test.ts checks every
// LOINC and SNOMED CT code the chart's mappers send.
import { describe, expect, it } from 'vitest';
import {
  isValidCpt,
  isValidIcd10Cm,
  isValidLoinc,
  isValidRxNorm,
  isValidSnomedCt,
  luhnCheckDigit,
  normalizeIcd10Cm,
  verhoeffValid,
} from './codes.ts';

describe('LOINC mod-10 check digit', () => {
  it('accepts real codes', () => {
    const vitals = [
      '85354-9',
      '8480-6',
      '8462-4',
      '8867-4',
      '9279-1',
      '8310-5',
      '2708-6',
      '59408-5',
      '29463-7',
    ];
    for (const code of [
      ...vitals,
      '8302-2',
      '39156-5',
      '2345-7',
      '24323-8',
      '4548-4',
      '11506-3',
      '718-7',
      '2160-0',
    ]) {
      expect(isValidLoinc(code), code).toBe(true);
    }
  });

  it('computes the digit as LOINC documents it (12345 → 5)', () => {
    expect(luhnCheckDigit('12345')).toBe(5);
    expect(isValidLoinc('12345-5')).toBe(true);
  });

  it('refuses a wrong check digit, a missing hyphen or other shapes', () => {
    for (const code of ['8867-5', '2345-8', '88674', '8867-', '-4', 'ABCD-1', '12345678-0', ' 8867-4']) {
      expect(isValidLoinc(code), code).toBe(false);
    }
  });
});

describe('SNOMED CT Verhoeff check digit', () => {
  it('accepts real concept ids', () => {
    // no known allergy, hypertensive disorder, patient encounter procedure, telemedicine, oral route, penicillin
    for (const code of ['716186003', '38341003', '308335008', '448337001', '26643006', '764146007']) {
      expect(isValidSnomedCt(code), code).toBe(true);
    }
  });

  it('catches every single-digit typo and adjacent transposition of a real id', () => {
    const real = '716186003';
    for (let i = 0; i < real.length; i++) {
      for (let d = 0; d <= 9; d++) {
        const typo = real.slice(0, i) + d + real.slice(i + 1);
        if (typo !== real) expect(verhoeffValid(typo), typo).toBe(false);
      }
      const swapped = real.slice(0, i) + (real[i + 1] ?? '') + (real[i] ?? '') + real.slice(i + 2);
      if (i < real.length - 1 && swapped !== real) expect(verhoeffValid(swapped), swapped).toBe(false);
    }
  });

  it('refuses ids that are too short, start with 0 or have no component partition', () => {
    for (const code of ['12345', '0716186003', '71618a003', '123456789012345678901']) {
      expect(isValidSnomedCt(code), code).toBe(false);
    }
  });
});

describe('ICD-10-CM, CPT and RxNorm formats', () => {
  it('ICD-10-CM: category, then an optional dot and up to four characters', () => {
    for (const code of ['E11.9', 'I10', 'S52.521A', 'C4A.0', 'Z3A.20', 'T36.0X1A', 'U07.1']) {
      expect(isValidIcd10Cm(code), code).toBe(true);
    }
    for (const code of ['E11.', 'E1', '11.9', 'E11.12345', 'e11.9', 'E119']) {
      expect(isValidIcd10Cm(code), code).toBe(false);
    }
  });

  it('normalizes case and the missing dot', () => {
    expect(normalizeIcd10Cm('e119')).toBe('E11.9');
    expect(normalizeIcd10Cm('s52521a')).toBe('S52.521A');
    expect(normalizeIcd10Cm('I10')).toBe('I10');
  });

  it('CPT: five digits, or four digits and F, T or U', () => {
    for (const code of ['99213', '3074F', '0042T', '0001U']) expect(isValidCpt(code), code).toBe(true);
    for (const code of ['9921', '992133', '9921A', 'A9921', '3074f'])
      expect(isValidCpt(code), code).toBe(false);
  });

  it('RxNorm: a positive integer', () => {
    for (const code of ['7980', '860975', '1']) expect(isValidRxNorm(code), code).toBe(true);
    for (const code of ['0', '07980', '7980a', '', '12345678901'])
      expect(isValidRxNorm(code), code).toBe(false);
  });
});

describe('SCTID shape: length, partition and check digit', () => {
  // Check digits below were worked out with Verhoeff's tables outside this code.
  it('accepts every component partition: concepts, descriptions, relationships, short and long form', () => {
    for (const code of ['1234007', '1234011', '1234024', '1234105', '1234114', '1234122'])
      expect(isValidSnomedCt(code), code).toBe(true);
  });

  it('refuses partitions that name no component, even with a valid check digit', () => {
    for (const code of ['1234030', '1234133', '1234200', '1234095']) {
      expect(verhoeffValid(code), code).toBe(true);
      expect(isValidSnomedCt(code), code).toBe(false);
    }
  });

  it('accepts 6 to 18 digits, nothing shorter or longer', () => {
    for (const code of ['100005', '123008', '100000000000000106', '999999999999999121'])
      expect(isValidSnomedCt(code), code).toBe(true);
    // Each of these has a valid Verhoeff digit and a component partition: only its length or first digit is wrong.
    for (const code of ['10003', '1000000000000000105', '0123006', '0716186002']) {
      expect(verhoeffValid(code), code).toBe(true);
      expect(isValidSnomedCt(code), code).toBe(false);
    }
  });

  it('checks digits only', () => {
    for (const digits of ['', '12a4', ' 716186003', '716186003\n'])
      expect(verhoeffValid(digits), digits).toBe(false);
    expect(verhoeffValid('0')).toBe(true);
  });
});

describe('code formats at their length limits', () => {
  it('LOINC: one to seven digits before the check digit', () => {
    expect(luhnCheckDigit('1234567')).toBe(4);
    expect(isValidLoinc('1234567-4')).toBe(true);
    expect(isValidLoinc('0-0')).toBe(true);
    expect(isValidLoinc('1-8')).toBe(true);
    expect(isValidLoinc('1-9')).toBe(false);
    expect(isValidLoinc('8867-4x')).toBe(false);
  });

  it('RxNorm: up to ten digits', () => {
    expect(isValidRxNorm('1234567890')).toBe(true);
    expect(isValidRxNorm(' 7980')).toBe(false);
    expect(isValidRxNorm('7980 ')).toBe(false);
  });

  it('ICD-10-CM: nothing before or after the code', () => {
    for (const code of [' E11.9', 'E11.9 ', 'E11.9\n', 'E11-9', 'E11.A1234'])
      expect(isValidIcd10Cm(code), code).toBe(false);
  });

  it('CPT: nothing before or after the code', () => {
    for (const code of [' 99213', '99213 ', '99213\n', 'x99213']) expect(isValidCpt(code), code).toBe(false);
  });

  it('normalizes spaces and case, adds the dot only to four to seven letters and digits', () => {
    expect(normalizeIcd10Cm(' e119 ')).toBe('E11.9');
    expect(normalizeIcd10Cm('e11.9')).toBe('E11.9');
    expect(normalizeIcd10Cm('t360x1a')).toBe('T36.0X1A');
    // Too short or too long to be a code without its dot: left for the format check to refuse.
    expect(normalizeIcd10Cm('e11')).toBe('E11');
    expect(normalizeIcd10Cm('e1112345')).toBe('E1112345');
    expect(normalizeIcd10Cm('e1-19')).toBe('E1-19');
  });
});
