// Proxy access: a guardian or caregiver acting for a patient, within the scope and the dates the grant sets. A
// minor's proxy ends on the minor's 18th birthday unless renewed after it; the patient may revoke a proxy.

export type ProxyScope = 'full' | 'scheduling-and-messages';
export type ProxyRelationship = 'parent' | 'legal-guardian' | 'caregiver' | 'spouse' | 'other';

export interface ProxyGrant {
  patientId: string;
  proxyUserId: string;
  relationship: ProxyRelationship;
  scope: ProxyScope;
  start: string;
  /** The last day the grant holds (inclusive). */
  end?: string;
  revokedAt?: string;
  /** Set when the grant was renewed on or after the patient's 18th birthday (the patient's own choice). */
  renewedAsAdult?: boolean;
}

/** What a portal request does, as far as proxy scope is concerned. */
export type PortalArea = 'record' | 'results' | 'notes' | 'scheduling' | 'messages' | 'billing' | 'requests';

const AREAS: Record<ProxyScope, ReadonlySet<PortalArea>> = {
  full: new Set(['record', 'results', 'notes', 'scheduling', 'messages', 'billing', 'requests']),
  'scheduling-and-messages': new Set(['scheduling', 'messages']),
};

/** The patient's 18th birthday, YYYY-MM-DD (29 February births turn 18 on 1 March in non-leap years). */
export function eighteenthBirthday(birthDate: string): string {
  const year = Number(birthDate.slice(0, 4)) + 18;
  const monthDay = birthDate.slice(5, 10);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return monthDay === '02-29' && !leap ? `${year}-03-01` : `${year}-${monthDay}`;
}

/** The last day a grant holds, taking the age of majority into account; undefined when open-ended. */
export function grantEnds(grant: ProxyGrant, patientBirthDate: string): string | undefined {
  const minorAtStart = grant.start < eighteenthBirthday(patientBirthDate);
  const majority =
    minorAtStart && !grant.renewedAsAdult ? dayBefore(eighteenthBirthday(patientBirthDate)) : undefined;
  // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as strings; Math.min would coerce to NaN.
  if (grant.end && majority) return grant.end < majority ? grant.end : majority;
  return grant.end ?? majority;
}

function dayBefore(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

export type ProxyDecision =
  | { allowed: true }
  | { allowed: false; reason: 'revoked' | 'not-started' | 'ended' | 'out-of-scope' };

/** Whether the proxy may act in `area` for the patient today. */
export function proxyMay(
  grant: ProxyGrant,
  area: PortalArea,
  today: string,
  patientBirthDate: string,
): ProxyDecision {
  if (grant.revokedAt && grant.revokedAt.slice(0, 10) <= today) return { allowed: false, reason: 'revoked' };
  if (today < grant.start) return { allowed: false, reason: 'not-started' };
  const ends = grantEnds(grant, patientBirthDate);
  if (ends && today > ends) return { allowed: false, reason: 'ended' };
  if (!AREAS[grant.scope].has(area)) return { allowed: false, reason: 'out-of-scope' };
  return { allowed: true };
}
