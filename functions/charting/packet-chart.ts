// The chart as a referral's packet is built from: one consistent Query over the patient's charting items, the
// notes' text included (the chart read leaves note text out; a packet sends signed notes whole). Offered through
// charting's door so the referrals context never reads charting's keys or items itself.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Patient } from '#functions/patients/index.ts';
import { db, tableName } from '#shared/dynamodb.ts';
import { recordOf } from '#shared/table.ts';
import { chartKeys } from './keys.ts';
import { CHART_KINDS } from './kinds.ts';
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

export interface PacketChart {
  patient?: Patient;
  encounters: Encounter[];
  problems: Problem[];
  medications: Medication[];
  allergies: Allergy[];
  vitals: VitalSigns[];
  labs: LabResult[];
  /** Whole notes (sections included), each with its addenda, oldest first. */
  notes: Note[];
  /** False when the partition outgrew one 1 MB page: the newest notes' text or the oldest history is missing. */
  complete: boolean;
}

/** The range from the first current-state item to the last note text: every charting item of the partition. */
const RANGE = { from: chartKeys.chartRange.from, to: 'TEXT#~' };

/** One Query (the send budget's one read). */
export async function readPacketChart(patientId: string): Promise<PacketChart> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': chartKeys.partition(patientId),
        ':from': RANGE.from,
        ':to': RANGE.to,
      },
      ConsistentRead: true,
    }),
  );
  const chart: PacketChart = {
    encounters: [],
    problems: [],
    medications: [],
    allergies: [],
    vitals: [],
    labs: [],
    notes: [],
    complete: out.LastEvaluatedKey === undefined,
  };
  const addenda: Addendum[] = [];
  const lists: Record<string, object[]> = {
    [CHART_KINDS.encounter.itemType]: chart.encounters,
    [CHART_KINDS.problem.itemType]: chart.problems,
    [CHART_KINDS.medication.itemType]: chart.medications,
    [CHART_KINDS.allergy.itemType]: chart.allergies,
    [CHART_KINDS.vitals.itemType]: chart.vitals,
    [CHART_KINDS['lab-result'].itemType]: chart.labs,
    [CHART_KINDS.note.itemType]: chart.notes,
    [CHART_KINDS.addendum.itemType]: addenda,
  };
  for (const item of out.Items ?? []) {
    if (item.sk === chartKeys.profile) chart.patient = recordOf<Patient>(item);
    lists[item.type as string]?.push(recordOf(item));
  }
  for (const note of chart.notes) {
    const own = addenda
      .filter((a) => a.noteId === note.id)
      .sort((a, b) => a.signedAt.localeCompare(b.signedAt));
    if (own.length > 0) note.addenda = own;
  }
  return chart;
}
