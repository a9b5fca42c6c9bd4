// Who sees which parts of a chart: the object-level half of the charting policy (route role lists are the coarse
// half). One place, used by every read of chart content: single records, lists, the chart, the timeline and the
// inbox, and in FHIR form (canSeeResource) the longitudinal record and bulk exports.
// Which kinds a role sees is here; how a kind is held back (a draft, a preliminary result, an internal comment) is
// its row's visibility rule in kinds.ts.
import type { Principal } from '#shared/auth/principal.ts';
import type { Role } from '#shared/auth/roles.ts';
import { chartKind, type FhirLike, itemTypesOf, KINDS, type Kind } from './kinds.ts';

export interface Visibility {
  types: ReadonlySet<Kind>;
  /** Drafts stay with the care team: only signed notes are shown. */
  signedNotesOnly: boolean;
  /** Only released (final or corrected) lab results are shown. */
  releasedResultsOnly: boolean;
  /** The reviewer's follow-up comment is an internal note of the care team. */
  reviewHidden: boolean;
}

const BY_ROLE: Partial<Record<Role, Visibility>> = {
  clinician: {
    types: new Set(KINDS),
    signedNotesOnly: false,
    releasedResultsOnly: false,
    reviewHidden: false,
  },
  nurse: { types: new Set(KINDS), signedNotesOnly: false, releasedResultsOnly: false, reviewHidden: false },
  // Coding a visit needs the visit and what the clinician signed, nothing more.
  billing: {
    types: new Set(['encounter', 'note', 'addendum']),
    signedNotesOnly: true,
    releasedResultsOnly: true,
    reviewHidden: true,
  },
  'front-desk': {
    types: new Set(['encounter']),
    signedNotesOnly: true,
    releasedResultsOnly: true,
    reviewHidden: true,
  },
  patient: {
    types: new Set(['note', 'addendum', 'problem', 'medication', 'allergy', 'vitals', 'lab-result']),
    signedNotesOnly: true,
    releasedResultsOnly: true,
    reviewHidden: true,
  },
};

/** The roles that may read a patient's chart as a whole (the chart, and the longitudinal record built on it). */
export const CHART_READERS: readonly Role[] = ['clinician', 'nurse', 'patient'];

const NOTHING: Visibility = {
  types: new Set(),
  signedNotesOnly: true,
  releasedResultsOnly: true,
  reviewHidden: true,
};

/** The union of what the principal's roles may see (admin and external providers: nothing of the chart). */
export function visibilityOf(principal: Principal): Visibility {
  return principal.roles
    .map((role) => BY_ROLE[role] ?? NOTHING)
    .reduce(
      (a, b) => ({
        types: new Set([...a.types, ...b.types]),
        signedNotesOnly: a.signedNotesOnly && b.signedNotesOnly,
        releasedResultsOnly: a.releasedResultsOnly && b.releasedResultsOnly,
        reviewHidden: a.reviewHidden && b.reviewHidden,
      }),
      NOTHING,
    );
}

/**
 * Whether a record of `kind` is in a state fit for readers outside the care team (a signed note, a final or corrected
 * result; a kind without a release rule always is). What a patient, billing, or a referral's recipient may get.
 */
export function isReleased(kind: Kind, record: object): boolean {
  const release = chartKind(kind).visibility.release;
  if (!release) return true;
  return 'status' in record && release.statuses.includes(String(record.status));
}

/** Whether this reader sees records of `kind` only once released. */
function heldBack(v: Visibility, kind: Kind): boolean {
  const release = chartKind(kind).visibility.release;
  return release !== undefined && v[release.flag];
}

export function canSee(v: Visibility, type: Kind, record: object): boolean {
  if (!v.types.has(type)) return false;
  return !heldBack(v, type) || isReleased(type, record);
}

/** True when the reader sees every kind of chart record in every state (the care team). */
export function seesWholeChart(v: Visibility): boolean {
  return KINDS.every((kind) => v.types.has(kind) && !heldBack(v, kind));
}

/** FHIR resources that are not chart content: every reader of the record may see them. */
const NOT_CHART = new Set(['Patient', 'Appointment', 'Consent']);

function hasCategory(resource: FhirLike, code: string): boolean {
  const categories = (resource.category ?? []) as { coding?: { code?: string }[] }[];
  return categories.some((c) => c.coding?.some((coding) => coding.code === code));
}

/**
 * The chart record a FHIR resource stands for, in our words: its kind and its state. `undefined` for what is not
 * chart content (the patient's demographics, appointments, consents); `other` for clinical resources the chart
 * does not hold (immunizations, procedures, ...), which only readers of the whole chart see.
 */
export function chartKindOfResource(
  resource: FhirLike,
): { type: Kind; status?: string } | 'other' | undefined {
  if (NOT_CHART.has(resource.resourceType)) return undefined;
  const type = KINDS.find((kind) =>
    chartKind(kind).fhirResources.some(
      (r) =>
        r.resourceType === resource.resourceType &&
        (r.category === undefined || hasCategory(resource, r.category)),
    ),
  );
  if (type === undefined) return 'other';
  const release = chartKind(type).visibility.release;
  return release ? { type, status: release.fromFhir(resource) } : { type };
}

/**
 * The same policy for chart content in FHIR form (the longitudinal record, exports): a resource is shown exactly
 * when the chart record it stands for would be.
 */
export function canSeeResource(v: Visibility, resource: FhirLike): boolean {
  const kind = chartKindOfResource(resource);
  if (kind === undefined) return true;
  if (kind === 'other') return seesWholeChart(v);
  return canSee(v, kind.type, kind.status === undefined ? {} : { status: kind.status });
}

/** The record as this principal may see it. */
export function redact<T extends object>(v: Visibility, type: Kind, record: T): T {
  const internal = chartKind(type).visibility.internal;
  if (!internal || !v[internal.flag]) return record;
  return Object.fromEntries(
    Object.entries(record).filter(([field]) => !internal.fields.includes(field)),
  ) as T;
}

export interface DynamoFilter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * A DynamoDB filter that lets through only `types` this principal may see, in the state they may see them, so a
 * page never carries a record its reader may not have (the filter runs before the page leaves DynamoDB).
 * Undefined when none of `types` is visible: there is nothing to read.
 */
export function visibilityFilter(v: Visibility, types: readonly Kind[]): DynamoFilter | undefined {
  const allowed = types.filter((t) => v.types.has(t));
  if (allowed.length === 0) return undefined;
  const names: Record<string, string> = { '#type': 'type' };
  const values: Record<string, unknown> = {};
  const placeholders = (items: readonly string[], prefix: string) =>
    items.map((item, i) => {
      values[`:${prefix}${i}`] = item;
      return `:${prefix}${i}`;
    });
  const clauses = [`#type IN (${placeholders(allowed.flatMap(itemTypesOf), 't').join(', ')})`];
  // A kind held back from this reader: its items pass only in a releasing status.
  for (const [k, kind] of allowed.entries()) {
    const release = chartKind(kind).visibility.release;
    if (!release || !heldBack(v, kind)) continue;
    names['#status'] = 'status';
    const types = placeholders(itemTypesOf(kind), `k${k}t`).join(', ');
    const statuses = placeholders(release.statuses, `k${k}s`).join(', ');
    clauses.push(`(NOT (#type IN (${types})) OR #status IN (${statuses}))`);
  }
  return { expression: clauses.join(' AND '), names, values };
}
