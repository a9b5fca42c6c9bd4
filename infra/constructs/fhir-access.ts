// What a function may do in the exchange's FHIR store (HealthLake), as IAM: each kind of access is a short list
// of `healthlake:` actions on the tenant's one datastore, never `healthlake:*` and never Resource *. Routes
// declare their kind in the route table (`fhirAccess`); the stream mirror and /health have theirs here.
// Actions: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awshealthlake.html
import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { AnyRoute } from '#shared/http/route.ts';

export type RouteFhirAccess = NonNullable<AnyRoute['fhirAccess']>;
/**
 * `capabilities`: the /health probe. `mirror`: the stream consumer (batch bundles of GET, PUT and DELETE).
 * `referral-exchange`: reads Tasks and the consult notes they point at, puts referrals' resources by id, and searches
 * for inbound Tasks owned by the practice.
 */
export type FhirAccess = RouteFhirAccess | 'capabilities' | 'mirror' | 'referral-exchange';

const READ = ['healthlake:ReadResource', 'healthlake:SearchWithGet', 'healthlake:SearchWithPost'];
/** A batch bundle is authorized as a bundle (ProcessBundle) and again per entry (read, create, update, delete). */
const BUNDLE_WRITES = [
  'healthlake:ProcessBundle',
  'healthlake:CreateResource',
  'healthlake:UpdateResource',
  'healthlake:DeleteResource',
];

export const HEALTHLAKE_ACTIONS: Record<FhirAccess, readonly string[]> = {
  capabilities: ['healthlake:GetCapabilities'],
  read: READ,
  // The backfill reads current versions in a bundle and writes in bundles, like the mirror, and may search.
  write: [...READ, ...BUNDLE_WRITES],
  export: ['healthlake:StartFHIRExportJob', 'healthlake:DescribeFHIRExportJob'],
  'export-status': ['healthlake:DescribeFHIRExportJob'],
  // The mirror never searches: it reads by id inside its batch bundles.
  mirror: ['healthlake:ReadResource', ...BUNDLE_WRITES],
  // PUT by id creates or updates (UpdateResource); GET searches find the Tasks other organisations addressed to
  // the practice (inbound referrals). It never deletes, searches by POST or sends bundles.
  'referral-exchange': ['healthlake:ReadResource', 'healthlake:SearchWithGet', 'healthlake:UpdateResource'],
};

/**
 * Handlers whose route cannot declare `fhirAccess` in the route table yet: GET /health probes the capability
 * statement (functions/system/routes.ts belongs to another change; move this there when it is next edited).
 */
const FHIR_ACCESS_BY_HANDLER: Record<string, FhirAccess> = {
  'functions/system/handlers/health.ts': 'capabilities',
  'functions/system/handlers/health-details.ts': 'capabilities',
};

export function fhirAccessOf(route: AnyRoute): FhirAccess | undefined {
  return route.fhirAccess ?? FHIR_ACCESS_BY_HANDLER[route.handler];
}

/** The exchange's resources, as the functions that use them see them. */
export interface ExchangeRefs {
  /** The one HealthLake datastore of this tenant (created, or the configured existing one). */
  datastoreId: string;
  datastoreArn: string;
  /** Where resources the FHIR store rejects go, with their reason (DEAD_LETTER_QUEUE_URL). */
  rejectedQueue: sqs.IQueue;
  /** Bulk export: HealthLake writes NDJSON under `s3://<bucket>/exports/` with this role and key. */
  export: { bucketName: string; roleArn: string; keyArn: string };
}

/** The variables a function with this access needs besides the common ones (FHIR_BASE_URL, FHIR_AUTH, …). */
export function fhirEnvironment(access: FhirAccess | undefined, refs: ExchangeRefs): Record<string, string> {
  switch (access) {
    case 'write':
    case 'mirror':
      return { DEAD_LETTER_QUEUE_URL: refs.rejectedQueue.queueUrl };
    case 'export':
      return {
        HEALTHLAKE_DATASTORE_ID: refs.datastoreId,
        EXPORT_S3_URI: `s3://${refs.export.bucketName}/exports`,
        EXPORT_KMS_KEY_ID: refs.export.keyArn,
        EXPORT_ROLE_ARN: refs.export.roleArn,
      };
    case 'export-status':
      return { HEALTHLAKE_DATASTORE_ID: refs.datastoreId };
    default:
      return {};
  }
}

/** The `healthlake:` statement on the one datastore, plus what the access needs around it. */
export function grantFhirAccess(role: iam.IRole, access: FhirAccess | undefined, refs: ExchangeRefs): void {
  if (!access) return;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'HealthLakeDatastore',
      actions: [...HEALTHLAKE_ACTIONS[access]],
      resources: [refs.datastoreArn],
    }),
  );
  if (access === 'write' || access === 'mirror') {
    // Encryption with the data key is allowed through SQS by ContinuumFunction's EncryptDeadLetters.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendRejectedResources',
        actions: ['sqs:SendMessage'],
        resources: [refs.rejectedQueue.queueArn],
      }),
    );
  }
  if (access === 'export') {
    // StartFHIRExportJob hands HealthLake this one role, and only HealthLake may receive it.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassExportRoleToHealthLake',
        actions: ['iam:PassRole'],
        resources: [refs.export.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'healthlake.amazonaws.com' } },
      }),
    );
  }
}

/** The datastore's ARN from its id (existing mode; the CfnFHIRDatastore gives it in create mode). */
export function datastoreArnOf(stack: Stack, datastoreId: string): string {
  return stack.formatArn({
    service: 'healthlake',
    resource: 'datastore',
    resourceName: `fhir/${datastoreId}`,
  });
}
