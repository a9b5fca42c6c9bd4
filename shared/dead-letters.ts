// Where the exchange puts what the FHIR store rejected, so nothing is silently dropped: an SQS queue in AWS,
// a JSON-lines file locally. Entries name the record and the reason (status, issue codes, element paths) and
// never carry resource content or the server's free-text diagnostics, which can quote PHI.
import { appendFile } from 'node:fs/promises';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { nowIso } from './clock.ts';
import { config } from './config.ts';
import { logger } from './logger.ts';

export interface DeadLetter {
  /** The table item (pk|sk) the resource came from. */
  itemKey: string;
  resourceType: string;
  resourceId: string;
  sourceVersion?: number;
  status: number;
  /** OperationOutcome issue codes and element paths only. */
  issues: { code: string; paths: string[] }[];
}

let sqs: SQSClient | undefined;

/** Keeps the machine-readable part of an OperationOutcome: codes and paths, never diagnostics text. */
export function outcomeIssues(outcome: unknown): DeadLetter['issues'] {
  const issues = (
    outcome as { issue?: { code?: string; expression?: string[]; location?: string[] }[] } | undefined
  )?.issue;
  return (issues ?? []).map((i) => ({
    code: i.code ?? 'unknown',
    paths: [...(i.expression ?? []), ...(i.location ?? [])],
  }));
}

export async function sendToDeadLetters(entries: DeadLetter[]): Promise<void> {
  if (entries.length === 0) return;
  const { DEAD_LETTER_QUEUE_URL, DEAD_LETTER_FILE, AWS_REGION } = config();
  const stamped = entries.map((e) => ({ ...e, at: nowIso() }));
  if (DEAD_LETTER_QUEUE_URL) {
    sqs ??= new SQSClient({ region: AWS_REGION });
    for (const entry of stamped) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: DEAD_LETTER_QUEUE_URL, MessageBody: JSON.stringify(entry) }),
      );
    }
  } else if (DEAD_LETTER_FILE) {
    await appendFile(DEAD_LETTER_FILE, stamped.map((e) => `${JSON.stringify(e)}\n`).join(''), {
      mode: 0o600,
    });
  }
  for (const e of stamped) {
    logger.warn('resource rejected by the FHIR store', {
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      status: e.status,
      issueCodes: e.issues.map((i) => i.code),
    });
  }
}
