// What goes in a referral's clinical packet when the clinician does not choose: active problems, active
// medications, allergies, the last vitals, results of the last 90 days and the referring encounter's signed note.
// Only what a clinician may see goes; drafts and preliminary results never leave the practice (charting's release
// rule, through its door).
import { isReleased } from '#functions/charting/index.ts';

export interface PacketCandidates {
  problems: { id: string; status: string }[];
  medications: { id: string; status: string }[];
  allergies: { id: string; verificationStatus?: string }[];
  vitals: { id: string; effective: string }[];
  labs: { id: string; status: string; effective: string }[];
  notes: { id: string; status: string; encounterId: string }[];
}

export interface PacketSelection {
  problems: string[];
  medications: string[];
  allergies: string[];
  vitals: string[];
  labs: string[];
  notes: string[];
}

const RESULT_WINDOW_DAYS = 90;

export function defaultPacket(chart: PacketCandidates, encounterId: string, today: string): PacketSelection {
  const since = new Date(`${today}T00:00:00Z`);
  since.setUTCDate(since.getUTCDate() - RESULT_WINDOW_DAYS);
  const from = since.toISOString().slice(0, 10);
  const lastVitals = [...chart.vitals].sort(
    (a, b) => b.effective.localeCompare(a.effective) || b.id.localeCompare(a.id),
  )[0];
  return {
    problems: chart.problems.filter((p) => p.status === 'active').map((p) => p.id),
    medications: chart.medications.filter((m) => m.status === 'active').map((m) => m.id),
    allergies: chart.allergies
      .filter((a) => a.verificationStatus !== 'refuted' && a.verificationStatus !== 'entered-in-error')
      .map((a) => a.id),
    vitals: lastVitals ? [lastVitals.id] : [],
    labs: chart.labs
      .filter((l) => isReleased('lab-result', l) && l.effective.slice(0, 10) >= from)
      .map((l) => l.id),
    notes: chart.notes.filter((n) => isReleased('note', n) && n.encounterId === encounterId).map((n) => n.id),
  };
}

/** Ids the clinician chose that are not in the chart, or not fit to leave (drafts, preliminary results). */
export function unsendable(
  chart: PacketCandidates,
  chosen: PacketSelection,
): { field: string; id: string }[] {
  const fit: Record<keyof PacketSelection, Set<string>> = {
    problems: new Set(chart.problems.map((p) => p.id)),
    medications: new Set(chart.medications.map((m) => m.id)),
    allergies: new Set(chart.allergies.map((a) => a.id)),
    vitals: new Set(chart.vitals.map((v) => v.id)),
    labs: new Set(chart.labs.filter((l) => isReleased('lab-result', l)).map((l) => l.id)),
    notes: new Set(chart.notes.filter((n) => isReleased('note', n)).map((n) => n.id)),
  };
  return (Object.keys(fit) as (keyof PacketSelection)[]).flatMap((field) =>
    chosen[field].filter((id) => !fit[field].has(id)).map((id) => ({ field: `packet.${field}`, id })),
  );
}
