// What another context may know of an encounter without reading the chart: its state, date and provider, and its
// notes' states. Billing asks before it records charges (a finished encounter) and creates a claim (a signed note).
import { queryAll } from '#shared/dynamodb.ts';
import { chartKeys } from './keys.ts';
import { CHART_KINDS } from './kinds.ts';

const ENCOUNTER_TYPE = CHART_KINDS.encounter.itemType;
const NOTE_SUMMARY_TYPE = CHART_KINDS.note.summaryItemType as string;

export interface EncounterFacts {
  id: string;
  patientId: string;
  status: string;
  start: string;
  provider: { id: string; name: string };
  notes: { id: string; status: 'draft' | 'signed' }[];
}

/**
 * The encounter and its notes' summaries, read from the patient's history range (one Query in practice; the filter
 * keeps the answer small). Undefined when the patient has no such encounter.
 */
export async function encounterFacts(
  patientId: string,
  encounterId: string,
): Promise<EncounterFacts | undefined> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
    FilterExpression: '(#type = :encounter AND id = :id) OR (#type = :note AND encounterId = :id)',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: {
      ':pk': chartKeys.partition(patientId),
      ':history': chartKeys.historyPrefix,
      ':encounter': ENCOUNTER_TYPE,
      ':note': NOTE_SUMMARY_TYPE,
      ':id': encounterId,
    },
    ConsistentRead: true,
  });
  const encounter = items.find((i) => i.type === ENCOUNTER_TYPE);
  if (!encounter) return undefined;
  return {
    id: encounterId,
    patientId,
    status: encounter.status as string,
    start: encounter.start as string,
    provider: encounter.provider as EncounterFacts['provider'],
    notes: items
      .filter((i) => i.type === NOTE_SUMMARY_TYPE)
      .map((i) => ({ id: i.id as string, status: i.status as 'draft' | 'signed' })),
  };
}
