// Synthetic chart history (years of visits: encounter, signed note, vital signs, lab reports, and the problems,
// medications and allergies that go with them) for the budget tests and `npm run bench`. Never on a request path:
// it writes with BatchWriteItem, without audit records.
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
// A test fixture, so it may use the charting context's internals (the stored item shapes) directly.
import type { Kind, RecordTypes } from '#functions/charting/kinds.ts';
import { interpretResults } from '#functions/charting/lab.ts';
import type {
  Allergy,
  Encounter,
  LabResult,
  Medication,
  Note,
  Problem,
  VitalSigns,
} from '#functions/charting/schemas.ts';
import { toItems } from '#functions/charting/store.ts';
import { bmiOf, observationsOf } from '#functions/charting/vitals.ts';
import { db, tableName } from '#shared/dynamodb.ts';
import { newId } from '#shared/ids.ts';

export interface HistoryOptions {
  years: number;
  visitsPerYear: number;
  /** Characters in each SOAP section of each note (a real note: 500–2,000). */
  sectionChars?: number;
  /** A lab report every how many visits. */
  labEvery?: number;
  /** Results in each lab report (the six analytes of a basic panel, repeated). */
  resultsPerLab?: number;
  /** Ends at this instant (default now). */
  until?: number;
}

type Seeded = { [K in Kind]: { kind: K; record: RecordTypes[K] } }[Kind];

const DAY = 86_400_000;
const SEED_ACTOR = { userId: 'system:seed', name: 'Dr. Seed', practitionerId: '01KAXDEM0000000000000000P1' };

function audited(at: string) {
  return {
    id: newId(),
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: SEED_ACTOR.userId,
    updatedBy: SEED_ACTOR.userId,
  };
}

/** The records of a patient's history, oldest first (so ids, like real ones, grow with time). */
export function syntheticHistory(patientId: string, options: HistoryOptions): Seeded[] {
  const until = options.until ?? Date.now();
  const visits = Math.max(1, Math.round(options.years * options.visitsPerYear));
  const spacing = (options.years * 365 * DAY) / visits;
  const text = 'Stable. '
    .repeat(Math.ceil((options.sectionChars ?? 800) / 8))
    .slice(0, options.sectionChars ?? 800);
  const start = new Date(until - options.years * 365 * DAY);
  const onset = start.toISOString().slice(0, 10);
  const out: Seeded[] = [];
  const base = audited(start.toISOString());
  const problems: Problem[] = [
    ['E11.9', 'Type 2 diabetes mellitus without complications'],
    ['I10', 'Essential (primary) hypertension'],
    ['E78.5', 'Hyperlipidemia, unspecified'],
  ].map(([code, display]) => ({
    ...audited(base.createdAt),
    patientId,
    code: code as string,
    display: display as string,
    clinicalStatus: 'active',
    onset,
    treatmentPlan: [{ description: 'Review every visit', status: 'in-progress' }],
  }));
  const medications: Medication[] = [
    ['860975', 'metformin hydrochloride 500 MG Extended Release Oral Tablet'],
    ['314076', 'lisinopril 10 MG Oral Tablet'],
    ['617312', 'atorvastatin 10 MG Oral Tablet'],
  ].map(([code, display]) => ({
    ...audited(base.createdAt),
    patientId,
    code: code as string,
    display: display as string,
    route: 'oral',
    frequency: 'QD',
    start: onset,
    status: 'active',
    prescriber: { id: SEED_ACTOR.practitionerId, name: SEED_ACTOR.name },
  }));
  const allergy: Allergy = {
    ...audited(base.createdAt),
    patientId,
    substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    reactions: [{ manifestation: 'Hives', severity: 'moderate' }],
  };
  for (const p of problems) out.push({ kind: 'problem', record: p });
  for (const m of medications) out.push({ kind: 'medication', record: m });
  out.push({ kind: 'allergy', record: allergy });

  for (let v = 0; v < visits; v++) {
    const at = new Date(until - options.years * 365 * DAY + v * spacing).toISOString();
    const encounter: Encounter = {
      ...audited(at),
      patientId,
      class: 'ambulatory',
      status: 'finished',
      provider: { id: SEED_ACTOR.practitionerId, name: SEED_ACTOR.name },
      reason: 'Chronic care visit',
      reasonCode: 'E11.9',
      serviceCode: '99214',
      start: at,
      end: at,
    };
    const measurements = {
      bloodPressure: { systolic: 120 + (v % 20), diastolic: 78 + (v % 8) },
      heartRate: 64 + (v % 15),
      weight: { value: 80 + (v % 5), unit: 'kg' as const },
      height: { value: 176, unit: 'cm' as const },
    };
    const bmi = bmiOf(measurements);
    const vitals: VitalSigns = {
      ...audited(at),
      patientId,
      encounterId: encounter.id,
      effective: at,
      ...measurements,
      ...(bmi !== undefined ? { bmi } : {}),
      observations: observationsOf({ ...measurements, ...(bmi !== undefined ? { bmi } : {}) }),
    };
    const note: Note = {
      ...audited(at),
      patientId,
      encounterId: encounter.id,
      templateId: 'general-internal-medicine',
      title: 'Progress note',
      subjective: text,
      objective: text,
      assessment: text,
      plan: text,
      status: 'signed',
      author: SEED_ACTOR,
      signedBy: SEED_ACTOR,
      signedAt: at,
    };
    out.push(
      { kind: 'encounter', record: encounter },
      { kind: 'vitals', record: vitals },
      { kind: 'note', record: note },
    );
    if (v % (options.labEvery ?? 2) === 0) {
      const panel = [
        ['2345-7', 'Glucose', 90 + (v % 70), 'mg/dL', 70, 99],
        ['4548-4', 'Hemoglobin A1c', 6 + (v % 3) / 2, '%', 4, 5.6],
        ['2160-0', 'Creatinine', 0.9, 'mg/dL', 0.6, 1.2],
        ['2951-2', 'Sodium', 140, 'mmol/L', 135, 145],
        ['2823-3', 'Potassium', 4.2, 'mmol/L', 3.5, 5.1],
        ['2093-3', 'Cholesterol', 180 + (v % 40), 'mg/dL', 0, 200],
      ];
      const results = interpretResults(
        Array.from(
          { length: options.resultsPerLab ?? panel.length },
          (_, i) => panel[i % panel.length] ?? [],
        ).map(([code, display, value, unit, low, high]) => ({
          code: code as string,
          display: display as string,
          value: value as number,
          unit: unit as string,
          referenceRange: { low: low as number, high: high as number },
        })),
      );
      const lab: LabResult = {
        ...audited(at),
        patientId,
        code: '24323-8',
        display: 'Comprehensive metabolic panel',
        status: 'final',
        orderingProviderId: SEED_ACTOR.practitionerId,
        issued: at,
        effective: at,
        encounterId: encounter.id,
        results,
        abnormal: results.some((r) => r.interpretation !== undefined && r.interpretation !== 'N'),
        review: { by: SEED_ACTOR, at },
      };
      out.push({ kind: 'lab-result', record: lab });
    }
  }
  return out;
}

/** Writes the history (25 items a request) and returns how many records it wrote. */
export async function seedChartHistory(patientId: string, options: HistoryOptions): Promise<number> {
  const items = syntheticHistory(patientId, options).flatMap(({ kind, record }) =>
    toItems(kind, record as RecordTypes[typeof kind]),
  );
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('Seeding kept leaving unprocessed items');
      const out = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (out.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
    }
  }
  return items.length;
}
