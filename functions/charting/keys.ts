// Every key and index value of the chart's entities, in one place. Access patterns: docs/charting.md.
//
// The chart lives in the patient's partition, and its sort keys are laid out for the chart read (one Query over
// one range, which DynamoDB cuts at 1 MB):
//   ALLERGY#…  MEDICATION#…  PATIENT  PROBLEM#…   current-state items: few, small, always read whole
//   RECORD#<newest-first id>#<TYPE>               history (encounters, note summaries, vitals, lab reports),
//                                                  newest first
//   TEXT#NOTE#<id>[#ADDENDUM#<id>]                 the notes' text and addenda: outside the chart's range
// so when a chart outgrows one page, what DynamoDB leaves unread is the oldest history, never an allergy, and the
// bulk of a chart (note text) is never read by the chart at all.

import { patientKeys } from '#functions/patients/index.ts';
import { ID_PATTERN } from '#shared/ids.ts';

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The ULID with every character mirrored in the alphabet: ascending order of the result is newest-first order of the
 * ids (ULIDs sort by creation time). Reversible, so a record's key is computed from its id alone.
 */
export function newestFirst(id: string): string {
  if (!ID_PATTERN.test(id)) throw new Error('newestFirst expects a ULID');
  let out = '';
  for (const c of id) out += ULID_ALPHABET[31 - ULID_ALPHABET.indexOf(c)];
  return out;
}

/** History record types, as they appear in sort keys and in the `type` attribute's suffix. */
export type HistoryType = 'ENCOUNTER' | 'NOTE' | 'VITALS' | 'LAB';

const record = (type: HistoryType, id: string) => `RECORD#${newestFirst(id)}#${type}`;

export const chartKeys = {
  partition: patientKeys.partition,
  profile: patientKeys.profile,
  allergy: (id: string) => `ALLERGY#${id}`,
  allergyPrefix: 'ALLERGY#',
  /** One item per patient, rewritten (conditionally on its version) by every allergy change: serialises them. */
  allergyList: 'ALLERGY#LIST',
  medication: (id: string) => `MEDICATION#${id}`,
  medicationPrefix: 'MEDICATION#',
  problem: (id: string) => `PROBLEM#${id}`,
  problemPrefix: 'PROBLEM#',
  encounter: (id: string) => record('ENCOUNTER', id),
  /** A note's summary (no section text), written with the note: what the chart and the note list show. */
  noteSummary: (id: string) => record('NOTE', id),
  /** The whole note, outside the chart range. */
  note: (id: string) => `TEXT#NOTE#${id}`,
  /** Sorts right after its note, so `begins_with(sk, note(id))` reads a note and its addenda together. */
  addendum: (noteId: string, addendumId: string) => `TEXT#NOTE#${noteId}#ADDENDUM#${addendumId}`,
  vitals: (id: string) => record('VITALS', id),
  labResult: (id: string) => record('LAB', id),
  historyPrefix: 'RECORD#',
  /**
   * The per-kind lists whose sort keys sit right next to the patient's profile item (`PATIENT`): problems right after
   * it, medications right before it. Their list range takes the profile in, so the list's one Query also says whether
   * the patient exists (an empty first page that did not even read the profile: no such patient).
   */
  listRangeWithProfile: {
    problem: { from: patientKeys.profile, to: 'PROBLEM#~', profileFirst: true },
    medication: { from: 'MEDICATION#', to: patientKeys.profile, profileFirst: false },
  } as Partial<Record<string, { from: string; to: string; profileFirst: boolean }>>,
  /** The chart read: every charting item of the partition and nothing any other context may add around it. */
  chartRange: { from: 'ALLERGY#', to: 'RECORD#~' },
  /**
   * Pattern "timeline: a patient's record in clinical-date order, optionally within dates and of some types"
   * (gsi2). `date` is the record's clinical time in UTC ISO form, so the sort key orders by it.
   */
  timeline: {
    index: 'gsi2' as const,
    pk: (patientId: string) => `TIMELINE#${patientId}`,
    sk: (date: string, type: string, id: string) => `${date}#${type}#${id}`,
  },
  /**
   * Pattern "an ordering provider's unreviewed results, abnormal first, oldest first within each" (gsi1). Only
   * unreviewed lab reports carry these keys: reviewing one removes them, so the inbox holds only the work left.
   */
  inbox: {
    index: 'gsi1' as const,
    pk: (providerId: string) => `INBOX#${providerId}`,
    sk: (abnormal: boolean, issued: string, id: string) => `${abnormal ? 0 : 1}#${issued}#${id}`,
    /** The index attributes an unreviewed result carries. */
    attributes: (r: { orderingProviderId: string; abnormal: boolean; issued: string; id: string }) => ({
      gsi1pk: chartKeys.inbox.pk(r.orderingProviderId),
      gsi1sk: chartKeys.inbox.sk(r.abnormal, r.issued, r.id),
    }),
  },
};

/** A practice's own note templates: one partition, read whole (a practice has tens, not thousands). */
export const templateKeys = {
  partition: 'NOTE_TEMPLATES',
  item: (id: string) => ({ pk: 'NOTE_TEMPLATES', sk: `TEMPLATE#${id}` }),
  prefix: 'TEMPLATE#',
};
