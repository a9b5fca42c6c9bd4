// Opening an encounter inside another context's transaction (a check-in opens the visit): the charting context
// builds the record, its writes and its audit event; the caller commits them with its own.
import { type AuditEvent, succeeded } from '#shared/audit.ts';
import { newRecord, type Writer } from '#shared/records.ts';
import type { WriteOp } from '#shared/write.ts';
import type { Encounter } from './schemas.ts';
import { putNew } from './store.ts';

export interface EncounterOpening {
  patientId: string;
  provider: { id: string; name: string };
  location: { id: string; name: string };
  reason: string;
  appointmentId: string;
  /** When the visit started (the check-in), ISO 8601. */
  start: string;
}

/** An in-progress ambulatory encounter, the write that creates it (failing if it exists) and its audit event. */
export function openEncounter(
  ctx: Writer,
  opening: EncounterOpening,
): { encounter: Encounter; ops: WriteOp[]; audit: AuditEvent[] } {
  const stamped = newRecord(ctx, {
    ...opening,
    class: 'ambulatory' as const,
    status: 'in-progress' as const,
  });
  const encounter: Encounter = { ...stamped, createdAt: opening.start, updatedAt: opening.start };
  return {
    encounter,
    ops: [putNew('encounter', encounter)],
    audit: [succeeded('encounter.create', 'Encounter', encounter.id, encounter.patientId)],
  };
}
