// The practice's roles. In Cognito each role is a user-pool group of the same name.

export const ROLES = [
  'admin',
  'clinician',
  'nurse',
  'front-desk',
  'billing',
  'patient',
  'external-provider',
] as const;
export type Role = (typeof ROLES)[number];

/** Staff roles work inside the practice; patient and external-provider users see only what is theirs. */
export const STAFF_ROLES = ['admin', 'clinician', 'nurse', 'front-desk', 'billing'] as const satisfies Role[];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
