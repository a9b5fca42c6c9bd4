import { describe, expect, it } from 'vitest';
import { authorize, mayCall } from './policy.ts';
import { parseGroups, principalFromEvent } from './principal.ts';

const staff = (...roles: string[]) => ({ sub: 's', username: 'u', roles: roles as never[] });
const patient = (patientId: string) => ({
  sub: 'p',
  username: 'patient',
  roles: ['patient' as const],
  patientId,
});

describe('authorize', () => {
  it('allows staff in the route roles and denies others', () => {
    expect(authorize(staff('nurse'), ['nurse', 'admin'], {})).toBe('allow');
    expect(authorize(staff('billing'), ['nurse', 'admin'], { patientId: 'X' })).toBe('deny');
    expect(authorize(staff(), ['nurse'], {})).toBe('deny');
  });

  it('lets a patient user reach only its own patient, concealing the others', () => {
    expect(authorize(patient('A'), ['patient'], { patientId: 'A' })).toBe('allow');
    expect(authorize(patient('A'), ['patient'], { patientId: 'B' })).toBe('conceal');
    expect(authorize(patient('A'), ['patient'], {})).toBe('deny');
    expect(authorize(patient('A'), ['nurse'], { patientId: 'A' })).toBe('deny');
  });

  it('gives an external provider with no grant nothing: its account alone opens no record', () => {
    expect(authorize(staff('external-provider'), ['external-provider'], { patientId: 'A' })).toBe('deny');
    const bound = { ...staff('external-provider'), practitionerId: 'DOC' };
    expect(authorize(bound, ['external-provider'], { patientId: 'A' })).toBe('conceal');
    expect(authorize(bound, ['external-provider'], {})).toBe('deny');
  });
});

describe('authorize: an external provider and the grant a referral gave it', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');
  const bound = { ...staff('external-provider'), practitionerId: 'DOC' };
  const grant = { referralId: 'R1', patientId: 'A', practitionerId: 'DOC', expiresAt: NOW / 1000 + 60 };
  const ext = ['external-provider'] as const;

  it('allows the granted referral and its patient while the grant holds', () => {
    expect(authorize(bound, ext, { referralId: 'R1', grant }, NOW)).toBe('allow');
    expect(authorize(bound, ext, { referralId: 'R1', patientId: 'A', grant }, NOW)).toBe('allow');
  });

  it('conceals another referral, another patient, and a grant of another practitioner', () => {
    expect(authorize(bound, ext, { referralId: 'R2', grant }, NOW)).toBe('conceal');
    expect(authorize(bound, ext, { referralId: 'R1', patientId: 'B', grant }, NOW)).toBe('conceal');
    const other = { ...bound, practitionerId: 'OTHER' };
    expect(authorize(other, ext, { referralId: 'R1', grant }, NOW)).toBe('conceal');
    expect(authorize(bound, ext, { referralId: 'R1' }, NOW)).toBe('conceal');
  });

  it('conceals once the grant has expired, to the second, even if the item is still stored', () => {
    expect(authorize(bound, ext, { referralId: 'R1', grant }, NOW + 59_999)).toBe('allow');
    expect(authorize(bound, ext, { referralId: 'R1', grant }, NOW + 60_000)).toBe('conceal');
  });

  it('refuses an account bound to no practitioner, and a grant without a named record', () => {
    expect(authorize(staff('external-provider'), ext, { referralId: 'R1', grant }, NOW)).toBe('deny');
    expect(authorize(bound, ext, { grant }, NOW)).toBe('conceal');
  });

  it('gives a grant nothing on a route not open to external providers, and staff need none', () => {
    expect(authorize(bound, ['clinician'], { referralId: 'R1', patientId: 'A', grant }, NOW)).toBe('deny');
    expect(authorize(staff('clinician'), ['clinician', 'external-provider'], { patientId: 'A' }, NOW)).toBe(
      'allow',
    );
  });
});

describe('authorize: a patient user and records of no patient', () => {
  const unlinked = { sub: 'p', username: 'patient', roles: ['patient' as const] };
  it('denies a patient user with no linked patient on a record of no patient (never a match of two blanks)', () => {
    expect(authorize(unlinked, ['patient'], {})).toBe('deny');
    expect(authorize(unlinked, ['patient'], { patientId: undefined })).toBe('deny');
  });

  it('conceals every patient’s record from a patient user with no linked patient', () => {
    expect(authorize(unlinked, ['patient'], { patientId: 'A' })).toBe('conceal');
  });

  it('decides by role, not by a patient claim: staff with a patientId claim are still staff, and only staff', () => {
    const clinicianWithClaim = { ...staff('clinician'), patientId: 'A' };
    expect(authorize(clinicianWithClaim, ['clinician'], { patientId: 'B' })).toBe('allow');
    expect(authorize(clinicianWithClaim, ['nurse'], { patientId: 'A' })).toBe('deny');
  });

  it('never lets the patient or external-provider role pass as staff', () => {
    // A route open to patients and staff: a patient user is still held to its own record.
    expect(authorize(patient('A'), ['patient', 'nurse'], { patientId: 'B' })).toBe('conceal');
    expect(
      authorize(staff('external-provider', 'patient'), ['external-provider', 'patient'], { patientId: 'B' }),
    ).toBe('conceal');
  });

  it('lets a user with a staff role and the patient role through on the staff role', () => {
    const both = { ...patient('A'), roles: ['patient' as const, 'front-desk' as const] };
    expect(authorize(both, ['front-desk', 'patient'], { patientId: 'B' })).toBe('allow');
    expect(authorize(both, ['patient'], { patientId: 'B' })).toBe('conceal');
  });
});

describe('mayCall', () => {
  it('is true when any of the principal’s roles is one of the route’s', () => {
    expect(mayCall(staff('billing', 'nurse'), ['nurse'])).toBe(true);
    expect(mayCall(patient('A'), ['patient'])).toBe(true);
    expect(mayCall(staff('billing'), ['nurse', 'clinician'])).toBe(false);
    expect(mayCall(staff(), ['nurse'])).toBe(false);
  });
});

describe('principalFromEvent', () => {
  it('reads groups in every shape API Gateway passes them', () => {
    expect(parseGroups('admin')).toEqual(['admin']);
    expect(parseGroups('admin,nurse')).toEqual(['admin', 'nurse']);
    expect(parseGroups('[admin nurse]')).toEqual(['admin', 'nurse']);
    expect(parseGroups(['admin'])).toEqual(['admin']);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('ignores unknown groups and requires a sub', () => {
    const event = {
      requestContext: {
        authorizer: {
          claims: {
            sub: 'abc',
            'cognito:groups': 'nurse,superuser',
            'custom:patientId': '',
            token_use: 'id',
            iat: 'Mon Nov 24 15:59:00 UTC 2025',
            exp: 'Mon Nov 24 16:59:00 UTC 2025',
          },
        },
      },
    } as never;
    expect(principalFromEvent(event)).toEqual({ sub: 'abc', username: 'abc', roles: ['nurse'] });
    expect(() => principalFromEvent({ requestContext: {} } as never)).toThrow(/identity/);
  });
});
