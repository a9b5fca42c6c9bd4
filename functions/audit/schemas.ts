// Audit log query and record shapes.
import * as z from 'zod';
import { Cursor, Id, Limit, page } from '#shared/schemas.ts';

export const AuditQuery = z.strictObject({
  patientId: Id.optional(),
  /** Inclusive lower bound (ISO date or date-time). Without a patient, defaults to 24 hours before `to`. */
  from: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
  /** Inclusive upper bound (ISO date or date-time); defaults to now. */
  to: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type AuditQuery = z.output<typeof AuditQuery>;

export const AuditRecord = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().optional(),
  patientId: z.string().optional(),
  /** `denied`: the policy refused; `failure`: the request was allowed but did not succeed (409, 412, 422, 5xx…). */
  outcome: z.enum(['success', 'denied', 'failure']),
  /** An idempotent replay: the stored response was returned again; nothing changed. */
  replayed: z.boolean().optional(),
  /** The outside organisation an external provider acted for (the referral's recipient). */
  organization: z.object({ id: z.string(), name: z.string() }).optional(),
  actor: z.object({ sub: z.string(), roles: z.array(z.string()) }),
  requestId: z.string(),
});

export const AuditPage = page(AuditRecord);
