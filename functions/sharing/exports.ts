// Bulk export of what the practice shares. In AWS: a HealthLake export job (@aws-sdk/client-healthlake) writing
// NDJSON to the tenant's S3 bucket. Locally: NDJSON files, one per resource type, under EXPORT_DIR, made from
// the local FHIR server's resources whose meta.source is this practice. An export holds only what its requester
// may read of the chart (charting/visibility.ts): an admin's holds demographics, consents and appointments.
// https://docs.aws.amazon.com/healthlake/latest/APIReference/API_StartFHIRExportJob.html
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeFHIRExportJobCommand,
  HealthLakeClient,
  StartFHIRExportJobCommand,
} from '@aws-sdk/client-healthlake';
import { canSeeResource, seesWholeChart, visibilityOf } from '#functions/charting/index.ts';
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { config, practiceSource } from '#shared/config.ts';
import { ForbiddenError, NotFoundError, UnprocessableError } from '#shared/errors.ts';
import type { HttpResult } from '#shared/http/result.ts';
import { newId } from '#shared/ids.ts';
import type { WriteContext } from '#shared/write.ts';
import { fhirClient } from './exchange.ts';
import { EXTERNAL_TYPES } from './longitudinal.ts';
import type { ExportJob } from './schemas.ts';
import { DynamoSharingStore, type SharingStore } from './store.ts';

const EXPORT_TYPES = ['Patient', 'Consent', ...EXTERNAL_TYPES];
let healthlake: HealthLakeClient | undefined;

export async function startExport(
  ctx: WriteContext & { principal: Principal },
  store: SharingStore = new DynamoSharingStore(),
): Promise<HttpResult> {
  const {
    EXPORT_DIR,
    HEALTHLAKE_DATASTORE_ID,
    EXPORT_S3_URI,
    EXPORT_KMS_KEY_ID,
    EXPORT_ROLE_ARN,
    AWS_REGION,
  } = config();
  const job: ExportJob = {
    id: newId(),
    status: 'in-progress',
    target: HEALTHLAKE_DATASTORE_ID ? 'healthlake' : 'local',
    requestedAt: nowIso(),
    requestedBy: ctx.principal.sub,
    version: 1,
  };
  const visibility = visibilityOf(ctx.principal);
  if (job.target === 'healthlake') {
    // A HealthLake export job copies the whole datastore and cannot be narrowed to what the requester may read.
    if (!seesWholeChart(visibility)) {
      throw new ForbiddenError('A HealthLake export holds chart content your role may not read');
    }
    if (!EXPORT_S3_URI || !EXPORT_KMS_KEY_ID || !EXPORT_ROLE_ARN)
      throw new Error('HealthLake export is not configured');
    healthlake ??= new HealthLakeClient({ region: AWS_REGION });
    const started = await healthlake.send(
      new StartFHIRExportJobCommand({
        JobName: `continuum-${job.id}`,
        DatastoreId: HEALTHLAKE_DATASTORE_ID,
        DataAccessRoleArn: EXPORT_ROLE_ARN,
        OutputDataConfig: {
          S3Configuration: { S3Uri: `${EXPORT_S3_URI}/${job.id}`, KmsKeyId: EXPORT_KMS_KEY_ID },
        },
        ClientToken: job.id,
      }),
    );
    job.jobId = started.JobId as string;
  } else {
    if (!EXPORT_DIR) {
      throw new UnprocessableError('Exports are not configured here', [
        { field: 'body', message: 'No export target' },
      ]);
    }
    const dir = join(EXPORT_DIR, job.id);
    // Exports are PHI: owner-only, whatever the umask of the process that runs this.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const ours = practiceSource();
    const client = fhirClient();
    job.output = [];
    for (const type of EXPORT_TYPES) {
      const resources = (await client.search(type, {}, 1000)).filter(
        (r) => r.meta?.source === ours && canSeeResource(visibility, r),
      );
      if (resources.length === 0) continue;
      const file = join(dir, `${type}.ndjson`);
      await writeFile(
        file,
        resources
          .map((r) => JSON.stringify(r))
          .join('\n')
          .concat('\n'),
        { mode: 0o600 },
      );
      job.output.push({ type, count: resources.length, location: file });
    }
    job.status = 'completed';
    job.completedAt = nowIso();
  }
  const result = { status: 202, headers: { Location: `/v1/exports/${job.id}` }, body: job };
  await store.createExport(ctx, job, {
    audit: [succeeded('export.start', 'ExportJob', job.id)],
    response: result,
  });
  return result;
}

/**
 * A read: the stored job, with HealthLake's status of a job it runs. Nothing is written but the audit record, so
 * the route's role may only read the table and describe export jobs (issue 19: no Start, no PassRole, no
 * writes).
 */
export async function getExport(
  ctx: { principal: Principal; requestId: string },
  exportId: string,
  store: SharingStore = new DynamoSharingStore(),
): Promise<HttpResult> {
  let job = await store.getExport(exportId);
  if (!job) throw new NotFoundError('No such export');
  if (job.target === 'healthlake' && job.status === 'in-progress' && job.jobId) {
    healthlake ??= new HealthLakeClient({ region: config().AWS_REGION });
    const described = await healthlake.send(
      new DescribeFHIRExportJobCommand({ DatastoreId: config().HEALTHLAKE_DATASTORE_ID, JobId: job.jobId }),
    );
    const status = described.ExportJobProperties?.JobStatus;
    if (status === 'COMPLETED' || status === 'FAILED' || status === 'COMPLETED_WITH_ERRORS') {
      const endTime = described.ExportJobProperties?.EndTime;
      job = {
        ...job,
        status: status === 'FAILED' ? 'failed' : 'completed',
        completedAt: endTime ? new Date(endTime).toISOString() : nowIso(),
      };
    }
  }
  await auditRead(ctx, [succeeded('export.read', 'ExportJob', exportId)]);
  return { status: 200, body: job };
}
