// Sharing persistence: the SharingStore port and its DynamoDB adapter. Consent and export jobs are this context's
// own items; a patient's shareable history is read through the patients' and scheduling's doors (their keys).
// Access patterns 19-21: docs/data-model.md.
import { patientKeys } from '#functions/patients/index.ts';
import { appointmentKeys } from '#functions/scheduling/index.ts';
import type { AuditEvent } from '#shared/audit.ts';
import { getItem, getItems, type Item, itemAt, queryAll, tableName } from '#shared/dynamodb.ts';
import { PreconditionFailedError } from '#shared/errors.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext } from '#shared/write.ts';
import { sharingKeys } from './keys.ts';
import { CONSENT_TYPE } from './registry.ts';
import type { ExportJob, SharingConsent } from './schemas.ts';

/** What a write stores besides its item: its audit records and the response an Idempotency-Key replays. */
export interface SharingWrite {
  audit: AuditEvent[];
  response: StoredResponse;
}

export interface SharingStore {
  patientExists(patientId: string): Promise<boolean>;
  /** The patient's recorded consent; undefined until one is first recorded. One GetItem. */
  consent(patientId: string): Promise<SharingConsent | undefined>;
  /** The recorded consents of many patients (a stream batch's): one BatchGetItem per 100 patients. */
  consents(patientIds: readonly string[]): Promise<Map<string, SharingConsent>>;
  /**
   * Records `consent` if the patient's consent is still at `readVersion` (0: none recorded yet), with its audit
   * records, in one transaction; a concurrent change is a PreconditionFailedError and writes nothing.
   */
  putConsent(
    ctx: WriteContext,
    readVersion: number,
    consent: SharingConsent,
    write: SharingWrite,
  ): Promise<void>;
  /** Every item stored about a patient that could be shared: the patient's partition and their appointments. */
  patientItems(patientId: string): Promise<Item[]>;
  getExport(exportId: string): Promise<ExportJob | undefined>;
  createExport(ctx: WriteContext, job: ExportJob, write: SharingWrite): Promise<void>;
}

export class DynamoSharingStore implements SharingStore {
  async patientExists(patientId: string): Promise<boolean> {
    return (await getItem({ pk: patientKeys.partition(patientId), sk: patientKeys.profile })) !== undefined;
  }

  async consent(patientId: string): Promise<SharingConsent | undefined> {
    const item = await getItem(sharingKeys.consent(patientId));
    return item ? recordOf<SharingConsent>(item) : undefined;
  }

  async consents(patientIds: readonly string[]): Promise<Map<string, SharingConsent>> {
    const consents = new Map<string, SharingConsent>();
    for (let i = 0; i < patientIds.length; i += 100) {
      const ids = patientIds.slice(i, i + 100);
      const found = await getItems(ids.map((id) => sharingKeys.consent(id)));
      for (const id of ids) {
        const item = itemAt(found, sharingKeys.consent(id));
        if (item) consents.set(id, recordOf<SharingConsent>(item));
      }
    }
    return consents;
  }

  async putConsent(
    ctx: WriteContext,
    readVersion: number,
    consent: SharingConsent,
    write: SharingWrite,
  ): Promise<void> {
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: { ...sharingKeys.consent(consent.patientId), type: CONSENT_TYPE, ...consent },
              ...(readVersion === 0
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : {
                    ConditionExpression: 'version = :v',
                    ExpressionAttributeValues: { ':v': readVersion },
                  }),
            },
          },
          onConditionFailed: () => new PreconditionFailedError('The consent changed since you read it'),
        },
      ],
      audit: write.audit,
      response: write.response,
    });
  }

  async patientItems(patientId: string): Promise<Item[]> {
    const chart = await queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': patientKeys.partition(patientId) },
    });
    const appointments = await queryAll({
      IndexName: appointmentKeys.byPatient.index,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': appointmentKeys.byPatient.pk(patientId) },
    });
    return [...chart, ...appointments];
  }

  async getExport(exportId: string): Promise<ExportJob | undefined> {
    const item = await getItem(sharingKeys.export(exportId));
    return item ? recordOf<ExportJob>(item) : undefined;
  }

  async createExport(ctx: WriteContext, job: ExportJob, write: SharingWrite): Promise<void> {
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: { ...sharingKeys.export(job.id), type: 'ExportJob', ...job },
            },
          },
        },
      ],
      audit: write.audit,
      response: write.response,
    });
  }
}
