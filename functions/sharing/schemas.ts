// Sharing consent: which categories of a patient's record leave the practice as FHIR.
import * as z from 'zod';
import { Id } from '#shared/schemas.ts';

export const CATEGORIES = [
  'demographics',
  'problems',
  'medications',
  'allergies',
  'vitals',
  'labs',
  'encounters',
  'notes',
  'appointments',
  'coverage',
] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.output<typeof Category>;

export const PutSharingBody = z
  .strictObject({
    mode: z.enum(['none', 'all', 'categories']),
    categories: z.array(Category).max(CATEGORIES.length).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.mode === 'categories' && (!b.categories || b.categories.length === 0)) {
      ctx.addIssue({ code: 'custom', message: 'Name at least one category', path: ['categories'] });
    }
    if (b.mode !== 'categories' && b.categories !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'Only with mode "categories"', path: ['categories'] });
    }
  });
export type PutSharingBody = z.output<typeof PutSharingBody>;

export const SharingConsent = z.object({
  patientId: z.string(),
  mode: z.enum(['none', 'all', 'categories']),
  categories: z.array(Category),
  /** 0 until the patient's consent is first recorded (the practice default is "none"). */
  version: z.number(),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export type SharingConsent = z.output<typeof SharingConsent>;

/** A patient's consent before one is first recorded: the practice default, nothing leaves (version 0). */
export function defaultConsent(patientId: string): SharingConsent {
  return { patientId, mode: 'none', categories: [], version: 0 };
}

export const PatientParams = z.strictObject({ patientId: Id });

/** The categories a consent lets out. */
export function allowed(consent: Pick<SharingConsent, 'mode' | 'categories'> | undefined): Set<Category> {
  if (!consent || consent.mode === 'none') return new Set();
  if (consent.mode === 'all') return new Set(CATEGORIES);
  return new Set(consent.categories);
}

export const BackfillReport = z.object({
  written: z.number(),
  unchanged: z.number(),
  deleted: z.number(),
  deadLettered: z.number(),
  /** Resources the FHIR store could not take yet (throttled or unavailable); run the backfill again. */
  pending: z.number(),
});

export const LongitudinalRecord = z.object({
  patientId: z.string(),
  /** Every organisation an entry came from (this practice is urn:continuum:<practice>). */
  sources: z.array(z.string()),
  entries: z.array(
    z.object({
      source: z.string(),
      origin: z.enum(['practice', 'external']),
      resourceType: z.string(),
      date: z.string().optional(),
      resource: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const ExportJob = z.object({
  id: z.string(),
  status: z.enum(['in-progress', 'completed', 'failed']),
  target: z.enum(['local', 'healthlake']),
  requestedAt: z.string(),
  requestedBy: z.string(),
  completedAt: z.string().optional(),
  jobId: z.string().optional(),
  output: z.array(z.object({ type: z.string(), count: z.number(), location: z.string() })).optional(),
  version: z.number(),
});
export type ExportJob = z.output<typeof ExportJob>;
export const ExportParams = z.strictObject({ exportId: Id });
export const EmptyBody = z.strictObject({});
