// Patient matching for the exchange: whether a Patient another organisation shared is the same person as ours.
// A false match shows one person's record in another's chart, so the rule is deterministic and strict:
//  1. an identifier (system + value) in common → match; the same system with different values → no match;
//  2. otherwise match only when the normalised family name is EQUAL (not a prefix, not one part of a compound),
//     the first given name is equal, the birth date is equal, and at least one more element agrees (sex, an
//     address, a phone number);
//  3. anything weaker that still shares the birth date or the full name is a *possible* match, shown to no one
//     until a clinician confirms it; everything else is no match.

export interface Demographics {
  identifiers: { system: string; value: string }[];
  family: string;
  given: string[];
  birthDate?: string;
  gender?: string;
  addresses: { line: string[]; postalCode?: string }[];
  phones: string[];
}

export type MatchGrade = 'match' | 'possible' | 'no-match';

export interface MatchResult {
  grade: MatchGrade;
  /** Which rule decided, for the audit record and the clinician confirming a possible match. */
  basis: string;
}

/** Lower case, accents removed, hyphens, apostrophes and runs of spaces made one space: "García-López" → "garcia lopez". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[-'’.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function normaliseAddress(address: Demographics['addresses'][number]): string | undefined {
  const line = normaliseName(address.line[0] ?? '');
  const zip = (address.postalCode ?? '').replace(/\D/g, '').slice(0, 5);
  return line && zip ? `${line}|${zip}` : undefined;
}

function phoneDigits(phone: string): string | undefined {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 10 ? digits.slice(-10) : undefined;
}

function overlap<T>(a: readonly (T | undefined)[], b: readonly (T | undefined)[]): boolean {
  const set = new Set(a.filter((x): x is T => x !== undefined));
  return b.some((x) => x !== undefined && set.has(x));
}

export function matchPatients(ours: Demographics, theirs: Demographics): MatchResult {
  const key = (i: { system: string; value: string }) => `${i.system}|${i.value.trim().toUpperCase()}`;
  if (overlap(ours.identifiers.map(key), theirs.identifiers.map(key)))
    return { grade: 'match', basis: 'identifier' };
  const conflicting = ours.identifiers.some((o) =>
    theirs.identifiers.some((t) => t.system === o.system && key(t) !== key(o)),
  );
  if (conflicting) return { grade: 'no-match', basis: 'identifier-conflict' };

  const family =
    normaliseName(ours.family) === normaliseName(theirs.family) && normaliseName(ours.family) !== '';
  const given =
    normaliseName(ours.given[0] ?? '') === normaliseName(theirs.given[0] ?? '') &&
    (ours.given[0] ?? '') !== '';
  const birthDate = ours.birthDate !== undefined && ours.birthDate === theirs.birthDate;
  const agreeing: string[] = [];
  if (ours.gender && ours.gender !== 'unknown' && ours.gender === theirs.gender) agreeing.push('sex');
  if (overlap(ours.addresses.map(normaliseAddress), theirs.addresses.map(normaliseAddress)))
    agreeing.push('address');
  if (overlap(ours.phones.map(phoneDigits), theirs.phones.map(phoneDigits))) agreeing.push('phone');

  if (family && given && birthDate && agreeing.length > 0) {
    return { grade: 'match', basis: `name+birthDate+${agreeing.join('+')}` };
  }
  const sharesAFamilyPart = overlap(
    normaliseName(ours.family).split(' '),
    normaliseName(theirs.family).split(' '),
  );
  if (birthDate && (sharesAFamilyPart || given))
    return { grade: 'possible', basis: 'birthDate+partial-name' };
  if (family && given) return { grade: 'possible', basis: 'name-only' };
  return { grade: 'no-match', basis: 'demographics-differ' };
}
