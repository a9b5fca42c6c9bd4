// The schema column of the chart kinds table (kinds.ts), and the timeline's schemas built from it: one entry shape
// per kind. Apart from the table so that storing a record does not bundle every record schema (decision 30).
import * as z from 'zod';
import { CalendarDate, Cursor, Limit, page, Timestamp } from '#shared/schemas.ts';
import { KINDS, type Kind, type RecordTypes } from './kinds.ts';
import { Addendum, Allergy, Encounter, LabResult, Medication, Note, Problem, VitalSigns } from './schemas.ts';

/** Each kind's record shape. */
export const KIND_SCHEMAS: { readonly [K in Kind]: z.ZodType<RecordTypes[K]> } = {
  encounter: Encounter,
  note: Note,
  addendum: Addendum,
  problem: Problem,
  medication: Medication,
  allergy: Allergy,
  vitals: VitalSigns,
  'lab-result': LabResult,
};

// ── The timeline's schemas: one entry shape per kind ────────────────────────────────────────────────────────
const typeAlternatives = KINDS.join('|');
const DateOrTime = z.union([CalendarDate, Timestamp]);

export const TimelineQuery = z.strictObject({
  /** A date (YYYY-MM-DD, from its start) or a timestamp. */
  from: DateOrTime.optional(),
  /** A date (YYYY-MM-DD, to its end) or a timestamp. */
  to: DateOrTime.optional(),
  /** Comma-separated: encounter, note, addendum, problem, medication, allergy, vitals, lab-result. */
  types: z
    .string()
    .regex(
      new RegExp(`^(${typeAlternatives})(,(${typeAlternatives}))*$`),
      `Comma-separated: ${typeAlternatives}`,
    )
    .optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type TimelineQuery = z.output<typeof TimelineQuery>;

const entry = (kind: Kind) =>
  z.object({
    type: z.literal(kind),
    date: z.string(),
    record: KIND_SCHEMAS[kind] as z.ZodType<RecordTypes[Kind]>,
  });
export const TimelineEntry = z.discriminatedUnion(
  'type',
  KINDS.map(entry) as unknown as [ReturnType<typeof entry>, ...ReturnType<typeof entry>[]],
);
export const TimelinePage = page(TimelineEntry);
