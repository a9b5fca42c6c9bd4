// The chart's kinds of record in one table: for each, its name, stored item type, keys, clinical date,
// visibility rule, audit resource type and sharing category. Two columns live beside it, keyed by the same kinds
// (the compiler requires a row for every kind): the record schemas (kind-schemas.ts) and the FHIR mappers
// (kind-fhir.ts), kept apart so a handler that only stores a record (a check-in opening an encounter) does not
// bundle zod schemas and US Core mappers (decision 30). The service, the store, the visibility
// rules, the timeline's schemas and (through the door) the sharing registry read this table; adding a kind is
// adding a row.
//
// Names that look like aliases are contracts and stay: a lab result is `lab-result` (URL paths, audit actions,
// timeline types), stored as `type: 'LabReport'` under `RECORD#…#LAB` (stored data), audited as `LabResult`
// (stored audit records), shared under consent category `labs` (sharing API) and as a FHIR DiagnosticReport.
import { chartKeys } from './keys.ts';
import type {
  Addendum,
  Allergy,
  Encounter,
  LabResult,
  Medication,
  Note,
  Problem,
  VitalSigns,
} from './schemas.ts';

/** Every kind, in the order the API lists them (timeline `types`). */
export const KINDS = [
  'encounter',
  'note',
  'addendum',
  'problem',
  'medication',
  'allergy',
  'vitals',
  'lab-result',
] as const;
export type Kind = (typeof KINDS)[number];

export interface RecordTypes {
  encounter: Encounter;
  note: Note;
  addendum: Addendum;
  problem: Problem;
  medication: Medication;
  allergy: Allergy;
  vitals: VitalSigns;
  'lab-result': LabResult;
}
/** Kinds with their own address (`…/{id}`); an addendum is reached through its note. */
export type AddressableKind = Exclude<Kind, 'addendum'>;
export type AnyRecord = RecordTypes[Kind];

/** A FHIR resource as read from elsewhere (another practice's, in the longitudinal record): only what we look at. */
export type FhirLike = { resourceType: string; [field: string]: unknown };

/** The flags of a reader's visibility (visibility.ts) that a kind's rule may depend on. */
export type VisibilityFlag = 'signedNotesOnly' | 'releasedResultsOnly' | 'reviewHidden';

export interface VisibilityRule {
  /**
   * Readers with `flag` see a record of this kind only once its status is one of `statuses` (a signed note, a final
   * or corrected result); `fromFhir` reads the same state off a FHIR resource standing for one.
   */
  release?: { flag: VisibilityFlag; statuses: readonly string[]; fromFhir: (resource: FhirLike) => string };
  /** Fields only the care team reads, dropped for readers with `flag` (a reviewer's follow-up comment). */
  internal?: { flag: VisibilityFlag; fields: readonly string[] };
}

/** What a kind's sort key is made of: its id (and an addendum's note). */
export type KeyFields<K extends Kind> = K extends 'addendum'
  ? { id: string; noteId: string }
  : { id: string };

export interface ChartKind<K extends Kind> {
  /** How messages name one ("No such lab result"). */
  noun: string;
  /** The stored item's `type` attribute. */
  itemType: string;
  /** Other stored item types that stand for the kind when read (a note's summary, in the chart and note lists). */
  summaryItemType?: string;
  /** The `resourceType` of its audit records. */
  auditResourceType: string;
  /** Its collection's path segment (`/v1/patients/{id}/<segment>`); an addendum has none. */
  segment?: string;
  /** Its sort key in the patient's partition (keys.ts). */
  sortKey: (record: KeyFields<K>) => string;
  /** The sort-key prefix its list reads (state kinds: their own; history kinds: the history, filtered by type). */
  listPrefix?: string;
  /** Index keys besides the timeline's, when it has any. */
  indexKeys?: (record: RecordTypes[K]) => Record<string, string>;
  /** When it happened clinically (a date or a UTC timestamp): where it sits on the timeline. */
  clinicalDate: (record: RecordTypes[K]) => string;
  /** The FHIR resources that stand for it (ours, and other practices' in the longitudinal record). */
  fhirResources: readonly { resourceType: string; category?: string }[];
  visibility: VisibilityRule;
  /** The sharing-consent category it leaves the practice under (functions/sharing); undefined: it never does. */
  sharedAs?: string;
}

/** A lab result's FHIR statuses that mean released (FHIR's amended and appended are corrections too). */
const RELEASED_FHIR = new Set(['final', 'corrected', 'amended', 'appended']);
/** A document is a signed note only when its docStatus says so; a document without one is treated as a draft. */
const SIGNED_DOCUMENT = new Set(['final', 'amended']);

export const CHART_KINDS: { readonly [K in Kind]: ChartKind<K> } = {
  encounter: {
    noun: 'encounter',
    itemType: 'Encounter',
    auditResourceType: 'Encounter',
    segment: 'encounters',
    sortKey: (r) => chartKeys.encounter(r.id),
    listPrefix: chartKeys.historyPrefix,
    clinicalDate: (r) => r.start,
    fhirResources: [{ resourceType: 'Encounter' }],
    visibility: {},
    sharedAs: 'encounters',
  },
  note: {
    noun: 'progress note',
    itemType: 'ProgressNote',
    summaryItemType: 'ProgressNoteSummary',
    auditResourceType: 'ProgressNote',
    segment: 'notes',
    sortKey: (r) => chartKeys.note(r.id),
    listPrefix: chartKeys.historyPrefix,
    clinicalDate: (r) => r.createdAt,
    // An addendum is a DocumentReference too; read from FHIR, every signed document counts as a signed note.
    fhirResources: [{ resourceType: 'DocumentReference' }],
    visibility: {
      release: {
        flag: 'signedNotesOnly',
        statuses: ['signed'],
        fromFhir: (d) => (SIGNED_DOCUMENT.has(String(d.docStatus)) ? 'signed' : 'draft'),
      },
    },
    sharedAs: 'notes',
  },
  addendum: {
    noun: 'addendum',
    itemType: 'Addendum',
    auditResourceType: 'Addendum',
    sortKey: (r) => chartKeys.addendum(r.noteId, r.id),
    clinicalDate: (r) => r.signedAt,
    fhirResources: [{ resourceType: 'DocumentReference' }],
    visibility: {},
    sharedAs: 'notes',
  },
  problem: {
    noun: 'problem',
    itemType: 'Problem',
    auditResourceType: 'Problem',
    segment: 'problems',
    sortKey: (r) => chartKeys.problem(r.id),
    listPrefix: chartKeys.problemPrefix,
    clinicalDate: (r) => r.onset ?? r.createdAt,
    fhirResources: [{ resourceType: 'Condition' }, { resourceType: 'CarePlan' }],
    visibility: {},
    sharedAs: 'problems',
  },
  medication: {
    noun: 'medication',
    itemType: 'Medication',
    auditResourceType: 'Medication',
    segment: 'medications',
    sortKey: (r) => chartKeys.medication(r.id),
    listPrefix: chartKeys.medicationPrefix,
    clinicalDate: (r) => r.start,
    fhirResources: [{ resourceType: 'MedicationRequest' }, { resourceType: 'MedicationStatement' }],
    visibility: {},
    sharedAs: 'medications',
  },
  allergy: {
    noun: 'allergy',
    itemType: 'Allergy',
    auditResourceType: 'Allergy',
    segment: 'allergies',
    sortKey: (r) => chartKeys.allergy(r.id),
    listPrefix: chartKeys.allergyPrefix,
    clinicalDate: (r) => r.onset ?? r.createdAt,
    fhirResources: [{ resourceType: 'AllergyIntolerance' }],
    visibility: {},
    sharedAs: 'allergies',
  },
  vitals: {
    noun: 'vital signs',
    itemType: 'VitalSigns',
    auditResourceType: 'VitalSigns',
    segment: 'vitals',
    sortKey: (r) => chartKeys.vitals(r.id),
    listPrefix: chartKeys.historyPrefix,
    clinicalDate: (r) => r.effective,
    fhirResources: [{ resourceType: 'Observation', category: 'vital-signs' }],
    visibility: {},
    sharedAs: 'vitals',
  },
  'lab-result': {
    noun: 'lab result',
    itemType: 'LabReport',
    auditResourceType: 'LabResult',
    segment: 'lab-results',
    sortKey: (r) => chartKeys.labResult(r.id),
    listPrefix: chartKeys.historyPrefix,
    // Only unreviewed results are in their ordering provider's inbox.
    indexKeys: (r) => (r.review ? {} : chartKeys.inbox.attributes(r)),
    clinicalDate: (r) => r.issued,
    fhirResources: [
      { resourceType: 'DiagnosticReport' },
      { resourceType: 'Observation', category: 'laboratory' },
    ],
    visibility: {
      release: {
        flag: 'releasedResultsOnly',
        statuses: ['final', 'corrected'],
        fromFhir: (r) => {
          const status = typeof r.status === 'string' ? r.status : undefined;
          return RELEASED_FHIR.has(status ?? '') ? 'final' : (status ?? 'unknown');
        },
      },
      internal: { flag: 'reviewHidden', fields: ['review'] },
    },
    sharedAs: 'labs',
  },
};

/** The row of a kind, typed for code that holds a kind only as a `Kind`. */
export function chartKind(kind: Kind): ChartKind<Kind> {
  return CHART_KINDS[kind] as unknown as ChartKind<Kind>;
}

/** The kind each stored item type stands for (a note summary stands for its note). */
export const KIND_OF_ITEM_TYPE: Readonly<Record<string, Kind>> = Object.fromEntries(
  KINDS.flatMap((kind) => {
    const { itemType, summaryItemType } = chartKind(kind);
    return [itemType, ...(summaryItemType ? [summaryItemType] : [])].map((t) => [t, kind]);
  }),
);

/** The stored item types that stand for a kind when read. */
export function itemTypesOf(kind: Kind): string[] {
  const { itemType, summaryItemType } = chartKind(kind);
  return summaryItemType ? [itemType, summaryItemType] : [itemType];
}
