import { describe, expect, it } from 'vitest';
import { authorize } from './policy.ts';
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

  it('gives an external provider nothing yet', () => {
    expect(authorize(staff('external-provider'), ['external-provider'], { patientId: 'A' })).toBe('deny');
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
        authorizer: { claims: { sub: 'abc', 'cognito:groups': 'nurse,superuser', 'custom:patientId': '' } },
      },
    } as never;
    expect(principalFromEvent(event)).toEqual({ sub: 'abc', username: 'abc', roles: ['nurse'] });
    expect(() => principalFromEvent({ requestContext: {} } as never)).toThrow(/identity/);
  });
});
