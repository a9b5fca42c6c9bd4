// Patient matching never shows a different person: hyphenated and compound names, twins, a name change with a
// matching identifier, near-miss spellings.
import { describe, expect, it } from 'vitest';
import { type Demographics, matchPatients, normaliseName } from './matching.ts';

const maria: Demographics = {
  identifiers: [{ system: 'urn:continuum:mrn:demo', value: 'DEMO-0042' }],
  family: 'Garcia',
  given: ['Maria'],
  birthDate: '1984-07-02',
  gender: 'female',
  addresses: [{ line: ['12 Elm St'], postalCode: '62701' }],
  phones: ['(217) 555-0142'],
};
const other = (patch: Partial<Demographics>): Demographics => ({
  identifiers: [],
  family: 'Garcia',
  given: ['Maria'],
  birthDate: '1984-07-02',
  gender: 'female',
  addresses: [],
  phones: [],
  ...patch,
});

describe('patient matching', () => {
  it('matches the same person on name, birth date and one more agreeing element', () => {
    expect(matchPatients(maria, other({}))).toEqual({ grade: 'match', basis: 'name+birthDate+sex' });
    expect(matchPatients(maria, other({ gender: undefined, phones: ['+1 217 555 0142'] })).grade).toBe(
      'match',
    );
    expect(matchPatients(maria, other({ family: 'García', given: ['María'] })).grade).toBe('match');
  });

  it('never matches Mariana Garcia-Lopez with Maria Garcia, though they share a birth date', () => {
    const mariana = other({ family: 'Garcia-Lopez', given: ['Mariana'] });
    expect(matchPatients(maria, mariana)).toEqual({ grade: 'possible', basis: 'birthDate+partial-name' });
  });

  it('treats a compound family name as a whole, and hyphens and spaces alike', () => {
    const compound = { ...maria, family: 'Garcia Lopez' };
    expect(matchPatients(compound, other({ family: 'Garcia-Lopez' })).grade).toBe('match');
    expect(matchPatients(compound, other({ family: 'Garcia' })).grade).toBe('possible');
    expect(normaliseName("  O'Brien-Smith ")).toBe('o brien smith');
  });

  it('keeps twins apart: same family and birth date, another given name', () => {
    expect(matchPatients(maria, other({ given: ['Marta'] })).grade).toBe('possible');
  });

  it('follows a name change when an identifier matches, and refuses one that conflicts', () => {
    const married = other({
      family: 'Smith',
      identifiers: [{ system: 'urn:continuum:mrn:demo', value: 'demo-0042' }],
    });
    expect(matchPatients(maria, married)).toEqual({ grade: 'match', basis: 'identifier' });
    const conflict = other({ identifiers: [{ system: 'urn:continuum:mrn:demo', value: 'DEMO-0099' }] });
    expect(matchPatients(maria, conflict)).toEqual({ grade: 'no-match', basis: 'identifier-conflict' });
  });

  it('does not match near-miss spellings or a name alone', () => {
    expect(matchPatients(maria, other({ family: 'Garcya' })).grade).toBe('possible');
    expect(matchPatients(maria, other({ family: 'Garcya', given: ['Mario'] })).grade).toBe('no-match');
    expect(matchPatients(maria, other({ gender: 'male', addresses: [], phones: [] })).grade).toBe('possible');
    expect(matchPatients(maria, other({ birthDate: '1984-07-20' }))).toEqual({
      grade: 'possible',
      basis: 'name-only',
    });
    expect(matchPatients(maria, other({ birthDate: '1984-07-20', given: ['Ana'] })).grade).toBe('no-match');
  });
});
