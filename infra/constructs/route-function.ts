// One Lambda function for one route of the route table: ContinuumFunction's defaults (Node 24 on arm64, local
// esbuild ESM bundle, encrypted log group with retention, X-Ray, reserved concurrency, dead-letter queue) plus
// the least-privilege table grant the route's `tableAccess` asks for and the FHIR grant of its `fhirAccess`.
import { createHash } from 'node:crypto';
import { Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AUDIT_KEY_PREFIX } from '#functions/audit/archive.ts';
import type { AnyRoute } from '#shared/http/route.ts';
import { ContinuumFunction, type ContinuumFunctionProps } from './continuum-function.ts';
import {
  type ExchangeRefs,
  type FhirAccess,
  fhirAccessOf,
  fhirEnvironment,
  grantFhirAccess,
} from './fhir-access.ts';

/** The audit log's partitions (shared/audit.ts auditKeys): the only keys a read route may write. */
export const AUDIT_LEADING_KEYS = `${AUDIT_KEY_PREFIX}*`;

/**
 * The principal tag that makes a role an audit writer: the table's resource policy (stateful stack) denies
 * putting an audit item to every role without it. Every route function appends audit records, so every route's
 * role carries it; the mirror's, the archiver's and people's roles do not.
 */
export const AUDIT_WRITER_TAG = 'continuum:audit-writer';

/**
 * Item reads. Not Scan (no request path scans, docs/data-model.md) and not the stream actions (only the
 * mirror reads the stream). TransactWriteItems and TransactGetItems are authorized per item with these same
 * actions. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
/** No route batch-writes: every change is one TransactWriteItems, which IAM authorises per Put/Update/Delete. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
/**
 * What DynamoDB needs of the caller on a table encrypted with a customer managed key (the actions of CDK's
 * own write grant). Read routes need the encrypt side too: they append audit records.
 */
export const TABLE_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
];

/** The table as the functions see it: a name, an ARN and the key it is encrypted with. */
export interface TableRef {
  name: string;
  arn: string;
  key: kms.IKey;
}

/** A route's function: the shared defaults (ContinuumFunctionProps) with name, texts and handler from the route. */
export interface RouteFunctionProps
  extends Omit<ContinuumFunctionProps, 'functionName' | 'description' | 'roleDescription' | 'handler'> {
  tenantId: string;
  route: AnyRoute;
  table: TableRef;
  /** The FHIR store and the exchange's queues and export target, for routes with `fhirAccess`. */
  exchange: ExchangeRefs;
  /** Seals pagination cursors: only routes that page get its ARN and may read it. */
  cursorSecret: secretsmanager.ISecret;
  /** Billing's EDI bucket, for routes with `ediOutbound`. */
  ediBucketName?: string;
}

/** A route pages when its query takes a `cursor` (the list and search routes). */
export function pagesWithCursors(route: AnyRoute): boolean {
  const query = route.request.query as { shape?: Record<string, unknown> } | undefined;
  return query?.shape !== undefined && 'cursor' in query.shape;
}

/** Lambda names are at most 64 characters; long ones keep a readable prefix and a stable hash. */
export function functionName(tenantId: string, operationId: string): string {
  const name = `continuum-${tenantId}-${operationId}`;
  if (name.length <= 64) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 55)}-${hash}`;
}

export class RouteFunction extends ContinuumFunction {
  readonly route: AnyRoute;
  /** What the function may do in the FHIR store (undefined: nothing). */
  readonly fhirAccess: FhirAccess | undefined;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    const { route } = props;
    const name = functionName(props.tenantId, route.operationId);
    const fhirAccess = fhirAccessOf(route);
    const pages = pagesWithCursors(route);
    const {
      tenantId: _tenant,
      route: _route,
      table: _table,
      exchange: _exchange,
      cursorSecret: _secret,
      ediBucketName: _edi,
      ...defaults
    } = props;
    const edi = route.ediOutbound ? props.ediBucketName : undefined;
    super(scope, id, {
      ...defaults,
      functionName: name,
      description: `${route.method} ${route.path}: ${route.summary}`,
      roleDescription: `${name}: ${route.method} ${route.path}`,
      handler: route.handler,
      environment: {
        ...props.environment,
        ...fhirEnvironment(fhirAccess, props.exchange),
        ...(pages ? { CURSOR_SECRET_ARN: props.cursorSecret.secretArn } : {}),
        ...(edi ? { EDI_BUCKET: edi } : {}),
      },
    });
    if (edi) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'SendEdiFiles',
          actions: ['s3:PutObject'],
          resources: [`arn:${Stack.of(this).partition}:s3:::${edi}/outbound/*`],
        }),
      );
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'EdiObjectsKey',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.dataKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    this.route = route;
    this.fhirAccess = fhirAccess;
    this.grantTableAccess(this.role, props.table);
    if (route.tableAccess === 'read' || route.tableAccess === 'write')
      Tags.of(this.role).add(AUDIT_WRITER_TAG, 'true');
    grantFhirAccess(this.role, fhirAccess, props.exchange);
    if (pages) this.grantCursorSecret(props.cursorSecret, props.dataKey);
  }

  /**
   * The cursor secret's current and previous versions, read at run time (shared/cursor-secrets.ts), decrypted
   * with the data key through Secrets Manager only. Nothing else: no DescribeSecret, no write.
   */
  private grantCursorSecret(secret: secretsmanager.ISecret, dataKey: kms.IKey): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCursorSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secret.secretArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptCursorSecret',
        actions: ['kms:Decrypt'],
        resources: [dataKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
  }

  /**
   * `describe`: DescribeTable on the table, no item and no index (the health probes). `read`: item reads, plus
   * PutItem only on the audit partitions (reading PHI appends its
   * audit record). `write`: item reads and writes. `none`: nothing. Never `dynamodb:*`, never another table.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
   */
  private grantTableAccess(role: iam.IRole, table: TableRef): void {
    const access = this.route.tableAccess;
    if (access === 'none') return;
    if (access === 'describe') {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DescribeTable',
          actions: ['dynamodb:DescribeTable'],
          resources: [table.arn],
        }),
      );
      return;
    }
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadItems',
        actions: TABLE_READ_ACTIONS,
        resources: [table.arn, `${table.arn}/index/*`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: access === 'write' ? 'WriteItems' : 'AppendAuditRecordsOnly',
        // A page of disclosures is audited in one TransactWriteItems of Puts, which IAM checks as PutItem, so a
        // read route holds no action that could delete or overwrite-by-batch an audit record.
        actions: access === 'write' ? TABLE_WRITE_ACTIONS : ['dynamodb:PutItem'],
        resources: [table.arn],
        ...(access === 'read'
          ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_LEADING_KEYS] } } }
          : {}),
      }),
    );
    // The key only through DynamoDB: the function cannot call KMS on the data key directly.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseTableKeyThroughDynamoDb',
        actions: TABLE_KEY_ACTIONS,
        resources: [table.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
