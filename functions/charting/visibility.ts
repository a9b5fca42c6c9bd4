// Who sees which parts of a chart: the object-level half of the charting policy (route role lists are the coarse
// half). One place, used by every read of chart content: single records, lists, the chart, the timeline and the
// inbox, and in FHIR form (canSeeResource) the longitudinal record and bulk exports.
import type { Principal } from '#shared/auth/principal.ts';
import type { Role } from '#shared/auth/roles.ts';
import type { TimelineType } from './schemas.ts';

export interface Visibility {
  types: ReadonlySet<TimelineType>;
  /** Drafts stay with the care team: only signed notes are shown. */
  signedNotesOnly: boolean;
  /** Only released (final or corrected) lab results are shown. */
  releasedResultsOnly: boolean;
  /** The reviewer's follow-up comment is an internal note of the care team. */
  reviewHidden: boolean;
}

const ALL: TimelineType[] = [
  'encounter',
  'note',
  'addendum',
  'problem',
  'medication',
  'allergy',
  'vitals',
  'lab-result',
];

const BY_ROLE: Partial<Record<Role, Visibility>> = {
  clinician: { types: new Set(ALL), signedNotesOnly: false, releasedResultsOnly: false, reviewHidden: false },
  nurse: { types: new Set(ALL), signedNotesOnly: false, releasedResultsOnly: false, reviewHidden: false },
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

const RELEASED = ['final', 'corrected'];

export function canSee(v: Visibility, type: TimelineType, record: object): boolean {
  if (!v.types.has(type)) return false;
  const status = 'status' in record ? String(record.status) : '';
  if (type === 'note' && v.signedNotesOnly) return status === 'signed';
  if (type === 'lab-result' && v.releasedResultsOnly) return RELEASED.includes(status);
  return true;
}

/** True when the reader sees every kind of chart record in every state (the care team). */
export function seesWholeChart(v: Visibility): boolean {
  return ALL.every((t) => v.types.has(t)) && !v.signedNotesOnly && !v.releasedResultsOnly;
}

/** FHIR statuses of a result that has been released (FHIR's amended and appended are corrections too). */
const RELEASED_FHIR = new Set(['final', 'corrected', 'amended', 'appended']);
/** A document is a signed note only when its docStatus says so; a document without one is treated as a draft. */
const SIGNED_DOCUMENT = new Set(['final', 'amended']);

type FhirLike = { resourceType: string; [field: string]: unknown };

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
): { type: TimelineType; status?: string } | 'other' | undefined {
  const status = typeof resource.status === 'string' ? resource.status : undefined;
  switch (resource.resourceType) {
    case 'Patient':
    case 'Appointment':
    case 'Consent':
      return undefined;
    case 'Encounter':
      return { type: 'encounter' };
    case 'Condition':
    case 'CarePlan':
      return { type: 'problem' };
    case 'MedicationRequest':
    case 'MedicationStatement':
      return { type: 'medication' };
    case 'AllergyIntolerance':
      return { type: 'allergy' };
    case 'DocumentReference':
      return {
        type: 'note',
        status: SIGNED_DOCUMENT.has(String(resource.docStatus)) ? 'signed' : 'draft',
      };
    case 'DiagnosticReport':
      return {
        type: 'lab-result',
        status: RELEASED_FHIR.has(status ?? '') ? 'final' : (status ?? 'unknown'),
      };
    case 'Observation':
      if (hasCategory(resource, 'vital-signs')) return { type: 'vitals' };
      if (hasCategory(resource, 'laboratory'))
        return {
          type: 'lab-result',
          status: RELEASED_FHIR.has(status ?? '') ? 'final' : (status ?? 'unknown'),
        };
      return 'other';
    default:
      return 'other';
  }
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
export function redact<T extends object>(v: Visibility, type: TimelineType, record: T): T {
  if (type === 'lab-result' && v.reviewHidden && 'review' in record) {
    const { review: _hidden, ...rest } = record;
    return rest as T;
  }
  return record;
}

/** The stored `type` attribute of each kind of chart record. */
export const ITEM_TYPE: Record<TimelineType, string> = {
  encounter: 'Encounter',
  note: 'ProgressNote',
  addendum: 'Addendum',
  problem: 'Problem',
  medication: 'Medication',
  allergy: 'Allergy',
  vitals: 'VitalSigns',
  'lab-result': 'LabReport',
};

/** The summary item each note has in the chart range (its text lives outside it). */
export const NOTE_SUMMARY_TYPE = 'ProgressNoteSummary';

/** The item types that stand for each kind when read: a note is its summary in the chart and in note lists. */
const READ_TYPES: Record<TimelineType, string[]> = {
  ...(Object.fromEntries(Object.entries(ITEM_TYPE).map(([k, t]) => [k, [t]])) as Record<
    TimelineType,
    string[]
  >),
  note: [ITEM_TYPE.note, NOTE_SUMMARY_TYPE],
};

export const TYPE_OF_ITEM: Record<string, TimelineType> = Object.fromEntries(
  Object.entries(READ_TYPES).flatMap(([kind, types]) => types.map((t) => [t, kind as TimelineType])),
);

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
export function visibilityFilter(v: Visibility, types: readonly TimelineType[]): DynamoFilter | undefined {
  const allowed = types.filter((t) => v.types.has(t));
  if (allowed.length === 0) return undefined;
  const names: Record<string, string> = { '#type': 'type' };
  const values: Record<string, unknown> = {};
  const placeholders = (types: string[], prefix: string) =>
    types.map((t, i) => {
      values[`:${prefix}${i}`] = t;
      return `:${prefix}${i}`;
    });
  const clauses = [
    `#type IN (${placeholders(
      allowed.flatMap((t) => READ_TYPES[t]),
      't',
    ).join(', ')})`,
  ];
  if (allowed.includes('note') && v.signedNotesOnly) {
    names['#status'] = 'status';
    values[':signed'] = 'signed';
    clauses.push(`(NOT (#type IN (${placeholders(READ_TYPES.note, 'n').join(', ')})) OR #status = :signed)`);
  }
  if (allowed.includes('lab-result') && v.releasedResultsOnly) {
    names['#status'] = 'status';
    values[':labType'] = ITEM_TYPE['lab-result'];
    values[':final'] = 'final';
    values[':corrected'] = 'corrected';
    clauses.push('(#type <> :labType OR #status IN (:final, :corrected))');
  }
  return { expression: clauses.join(' AND '), names, values };
}
