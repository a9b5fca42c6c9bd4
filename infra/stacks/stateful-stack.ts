// The tenant's data: KMS keys, the EMR table and its backups, the Cognito user pool, the HealthLake
// datastore and its bulk-export bucket, the cursor secret and the audit-trail log groups. Everything here is retained, so redeploying or
// even destroying the stateless stack can never replace or delete data.
import {
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicies,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as healthlake from 'aws-cdk-lib/aws-healthlake';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AUDIT_KEY_PREFIX } from '#functions/audit/archive.ts';
import { ROLES, STAFF_ROLES } from '#shared/auth/roles.ts';
import { TABLE } from '#shared/table.ts';
import { AuditTrail } from '../constructs/audit-trail.ts';
import { EncryptedLogGroup } from '../constructs/encrypted-log-group.ts';
import { AUDIT_WRITER_TAG } from '../constructs/route-function.ts';
import type { Tenant } from '../tenant-config.ts';

export interface StatefulStackProps extends StackProps {
  tenant: Tenant;
}

/**
 * What the stateless stack needs from this one (passed as props, so CDK wires the cross-stack references).
 */
export interface StatefulResources {
  /** Encrypts PHI at rest: table, backups, HealthLake, the cursor secret, function environments, the DLQ. */
  dataKey: kms.IKey;
  /** Encrypts operational data: log groups and the alarm topic. */
  opsKey: kms.IKey;
  /** Encrypts the backup vault. */
  backupKey: kms.IKey;
  /** For what needs the table object itself (the FHIR mirror reads its stream). */
  table: dynamodb.ITableV2;
  /** The table's name as a plain string, so IAM statements and TABLE_NAME need no cross-stack export. */
  tableName: string;
  userPool: cognito.IUserPool;
  userPoolClient: cognito.IUserPoolClient;
  cursorSecret: secretsmanager.ISecret;
  /** FHIR R4 base URL, without a trailing slash. */
  fhirBaseUrl: string;
  /** The tenant's one HealthLake datastore (created here, or the configured existing one). */
  fhirDatastoreId: string;
  /** Every `healthlake:` grant names this ARN, never `*`. */
  fhirDatastoreArn: string;
  /** Where HealthLake bulk exports land (KMS-encrypted with the data key, versioned, access-logged). */
  exportBucket: s3.IBucket;
  /** The role HealthLake assumes to write a bulk export into the export bucket (EXPORT_ROLE_ARN). */
  fhirExportRole: iam.IRole;
  /** Billing's EDI files: 837s out (outbound/), 835/999/277CA in (inbound/); KMS, versioned, retained. */
  ediBucket: s3.IBucket;
  /** Its name as an import of a named export (ediBucketExportName), so grants on its prefixes read the same always. */
  ediBucketName: string;
  /** The audit archive: Object Lock (compliance, 6 years), KMS, versioned, access-logged. */
  auditArchiveBucket: s3.IBucket;
  /**
   * The archive's name as an import of a named export (auditArchiveExportName), so the archiver's grant on it
   * reads the same in every synth (AUDIT_ARCHIVE_BUCKET).
   */
  auditArchiveBucketName: string;
  accessLogGroup: logs.ILogGroup;
  /** WAF logging takes the group by name (it must start with aws-waf-logs-). */
  wafLogGroupName: string;
  /** CloudTrail's copy of the account's events: the security alarms' metric filters read it. */
  trailLogGroup: logs.ILogGroup;
}

export class StatefulStack extends Stack {
  readonly resources: StatefulResources;
  readonly backupSelection: backup.BackupSelection;
  readonly exportBucket: s3.Bucket;
  /** Server access logs of the export bucket. */
  readonly exportAccessLogs: s3.Bucket;
  readonly fhirExportRole: iam.Role;
  /** CloudTrail to the locked archive (issue 19 item 9). */
  readonly auditTrail: AuditTrail;
  readonly auditArchiveBucket: s3.Bucket;
  readonly ediBucket: s3.Bucket;
  readonly backupVault: backup.BackupVault;
  readonly backupPlan: backup.BackupPlan;
  /** Weekly: restores the latest recovery point into a scratch table, then deletes it (AWS Backup restore testing). */
  readonly restoreTestingPlan: backup.CfnRestoreTestingPlan;
  readonly restoreTestingRole: iam.Role;
  /** Encrypts the backup vault: apart from the data key, so disabling one does not lose the other's copies. */
  readonly backupKey: kms.Key;
  /** Who administers the customer managed keys (keyPolicy): never a key user. */
  readonly keyAdmins: iam.IPrincipal[];
  /** The role that administers the keys when the tenant names none (keys.adminRoleArns). */
  keyAdminRole?: iam.Role;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { id: tenantId, settings } = props.tenant;

    // Separate keys for PHI and for operations, so log readers never hold a key that decrypts the chart. Each
    // key's policy keeps administering it apart from using it (keyPolicy): no principal holds kms:*.
    // https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
    this.keyAdmins = this.keyAdministrators(tenantId, settings);
    const key = (id: string, name: string, description: string) =>
      new kms.Key(this, id, {
        alias: `alias/continuum-${tenantId}-${name}`,
        description: `Continuum ${tenantId}: ${description}`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
        policy: keyPolicy(this.keyAdmins),
      });
    const dataKey = key('DataKey', 'data', 'EMR table, HealthLake, secrets, the audit archive');
    const opsKey = key('OpsKey', 'ops', 'log groups and the alarm topic');
    this.allowServicesToUseOpsKey(opsKey);

    const tableName = `continuum-${tenantId}`;
    const table = new dynamodb.TableV2(this, 'Table', {
      tableName,
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: Object.entries(TABLE.indexes).map(([indexName, index]) => ({
        indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(dataKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      dynamoStream: dynamodb.StreamViewType[TABLE.streamView],
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      resourcePolicy: auditAppendOnlyPolicy(),
    });

    // PITR covers 35 days; AWS Backup keeps daily recovery points 35 days and monthly ones 7 years (HIPAA's 6-year
    // retention, with margin), in a vault of their own key, under Vault Lock, optionally copied to a vault in
    // another account. https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
    const backupKey = key('BackupKey', 'backup', 'AWS Backup vault (recovery points of the table)');
    this.backupKey = backupKey;
    const backups = this.buildBackups(tenantId, settings, table, backupKey);
    this.backupVault = backups.vault;
    this.backupPlan = backups.plan;
    this.backupSelection = backups.selection;
    this.restoreTestingPlan = backups.restoreTestingPlan;
    this.restoreTestingRole = backups.restoreTestingRole;

    const { userPool, userPoolClient } = this.buildUserPool(tenantId, settings);

    const cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: `Continuum ${tenantId}: seals pagination cursors (CURSOR_SECRET)`,
      encryptionKey: dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });

    // The tenant's own datastore: a shared one is refused in tenant-config.ts until the exchange hub mediates
    // access, so an export of this datastore only ever holds this practice's resources.
    // https://docs.aws.amazon.com/healthlake/latest/devguide/data-encryption-at-rest.html
    const datastore = new healthlake.CfnFHIRDatastore(this, 'FhirDatastore', {
      datastoreName: `continuum-${tenantId}`,
      datastoreTypeVersion: 'R4',
      sseConfiguration: {
        kmsEncryptionConfig: { cmkType: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: dataKey.keyArn },
      },
    });
    datastore.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // The documented endpoint shape, built without the trailing slash the attribute carries.
    const fhirBaseUrl = `https://healthlake.${this.region}.amazonaws.com/datastore/${datastore.attrDatastoreId}/r4`;
    const fhirDatastoreId = datastore.attrDatastoreId;
    const fhirDatastoreArn = datastore.attrDatastoreArn;
    const { exportBucket, exportAccessLogs } = this.buildExportBucket(dataKey, settings);
    this.exportBucket = exportBucket;
    this.exportAccessLogs = exportAccessLogs;
    this.fhirExportRole = this.buildExportRole(tenantId, exportBucket, dataKey, fhirDatastoreArn);
    this.auditArchiveBucket = this.buildAuditArchive(dataKey, exportAccessLogs);
    this.ediBucket = this.buildEdiBucket(dataKey, exportAccessLogs, settings);

    const accessLogGroup = new EncryptedLogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/continuum-${tenantId}/access`,
      encryptionKey: opsKey,
      retentionDays: settings.auditLogRetentionDays,
    }).logGroup;
    // WAF only logs to groups whose name starts with aws-waf-logs-.
    // https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
    const wafLogGroupName = `aws-waf-logs-${tenantId}`;
    new EncryptedLogGroup(this, 'WafLogs', {
      logGroupName: wafLogGroupName,
      encryptionKey: opsKey,
      retentionDays: settings.auditLogRetentionDays,
    });

    // Evidence: the account's management events and this tenant's data events, locked for the audit period.
    this.auditTrail = new AuditTrail(this, 'AuditTrail', {
      tenantId,
      dataKey,
      retentionDays: settings.auditLogRetentionDays,
      lockMode: settings.trailLockMode,
      tableArn: table.tableArn,
      exportBucket,
      accessLogsBucket: exportAccessLogs,
    });

    // Nothing CloudFormation manages here may ever be deleted or replaced away, not even the children of
    // retained resources (user pool groups and clients, key aliases, the backup plan): see
    // docs/deploy.md#what-cdk-destroy-keeps.
    RemovalPolicies.of(this).retain();

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('TableName', tableName, 'The EMR table');
    output(
      'UserPoolId',
      userPool.userPoolId,
      'Cognito user pool (create users and add them to role groups here)',
    );
    output(
      'AppClientId',
      userPoolClient.userPoolClientId,
      'Client id for the web and mobile apps (SRP, no secret)',
    );
    output(
      'HostedUiDomain',
      `https://${settings.cognito.domainPrefix}.auth.${this.region}.amazoncognito.com`,
      'Cognito hosted UI',
    );
    output('FhirBaseUrl', fhirBaseUrl, 'HealthLake FHIR R4 base URL');
    output('ExportBucketName', exportBucket.bucketName, 'HealthLake bulk exports (POST /v1/exports)');
    output(
      'EdiBucketName',
      this.ediBucket.bucketName,
      "Billing's EDI files: 837s in outbound/, drop 835/999/277CA in inbound/",
    );
    output(
      'AuditArchiveBucketName',
      this.auditArchiveBucket.bucketName,
      'Audit records, Object Lock for 6 years (docs/deploy.md#for-your-hipaa-auditor)',
    );

    this.resources = {
      dataKey,
      opsKey,
      backupKey,
      table,
      tableName,
      userPool,
      userPoolClient,
      cursorSecret,
      fhirBaseUrl,
      fhirDatastoreId,
      fhirDatastoreArn,
      exportBucket,
      fhirExportRole: this.fhirExportRole,
      auditArchiveBucket: this.auditArchiveBucket,
      ediBucket: this.ediBucket,
      ediBucketName: this.exportValue(this.ediBucket.bucketName, { name: ediBucketExportName(tenantId) }),
      auditArchiveBucketName: this.exportValue(this.auditArchiveBucket.bucketName, {
        name: auditArchiveExportName(tenantId),
      }),
      accessLogGroup,
      wafLogGroupName,
      trailLogGroup: this.auditTrail.logGroup,
    };
  }

  /**
   * AWS Backup for the table: a vault under Vault Lock (compliance mode after `backup.vaultLockGraceDays`; no
   * recovery point can then be deleted before its retention ends, not even by the root user), the daily and
   * monthly-for-7-years rules, each copied to `backup.copyToVaultArn` in another account when set, and a weekly
   * restore test of the latest recovery point. DynamoDB's advanced AWS Backup features (cold storage, copies
   * across accounts, the vault's own key) are an account setting turned on once per region (docs/deploy.md).
   */
  private buildBackups(
    tenantId: string,
    settings: Tenant['settings'],
    table: dynamodb.TableV2,
    backupKey: kms.IKey,
  ) {
    const daily = backup.BackupPlanRule.daily();
    const monthly = backup.BackupPlanRule.monthly7Year();
    const vault = new backup.BackupVault(this, 'BackupVault', {
      backupVaultName: `continuum-${tenantId}`,
      encryptionKey: backupKey,
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: {
        // The shortest rule's retention: every recovery point lives at least this long.
        minRetention: daily.props.deleteAfter ?? Duration.days(35),
        changeableFor: Duration.days(settings.backup.vaultLockGraceDays),
      },
    });
    const copyTo = settings.backup.copyToVaultArn
      ? backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', settings.backup.copyToVaultArn)
      : undefined;
    const withCopy = (rule: backup.BackupPlanRule) =>
      copyTo
        ? new backup.BackupPlanRule({
            ...rule.props,
            copyActions: [
              {
                destinationBackupVault: copyTo,
                ...(rule.props.deleteAfter ? { deleteAfter: rule.props.deleteAfter } : {}),
                ...(rule.props.moveToColdStorageAfter
                  ? { moveToColdStorageAfter: rule.props.moveToColdStorageAfter }
                  : {}),
              },
            ],
          })
        : rule;
    const plan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: `continuum-${tenantId}`,
      backupVault: vault,
      backupPlanRules: [withCopy(daily), withCopy(monthly)],
    });
    const selection = plan.addSelection('Table', {
      resources: [backup.BackupResource.fromArn(table.tableArn)],
    });

    // Restore testing: every Sunday the latest recovery point of the week is restored into a scratch table,
    // kept 4 hours for validation, then deleted by AWS Backup; a failed restore job fails the test.
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
    const restoreTestingRole = new iam.Role(this, 'RestoreTestingRole', {
      description: `continuum-${tenantId}: AWS Backup restores the table's recovery points to test them`,
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': this.account },
      }),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores'),
      ],
    });
    const restoreTestingPlan = new backup.CfnRestoreTestingPlan(this, 'RestoreTestingPlan', {
      // Letters, digits and underscores only.
      restoreTestingPlanName: `continuum_${tenantId.replaceAll('-', '_')}`,
      scheduleExpression: 'cron(0 7 ? * SUN *)',
      startWindowHours: 24,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [vault.backupVaultArn],
        recoveryPointTypes: ['SNAPSHOT'],
        selectionWindowDays: 7,
      },
    });
    const restoreTestingSelection = new backup.CfnRestoreTestingSelection(this, 'RestoreTestingSelection', {
      restoreTestingPlanName: restoreTestingPlan.restoreTestingPlanName,
      restoreTestingSelectionName: 'table',
      protectedResourceType: 'DynamoDB',
      protectedResourceArns: [table.tableArn],
      iamRoleArn: restoreTestingRole.roleArn,
      validationWindowHours: 4,
    });
    restoreTestingSelection.node.addDependency(restoreTestingPlan);
    return { vault, plan, selection, restoreTestingPlan, restoreTestingRole };
  }

  /**
   * The key administrators: the tenant's keys.adminRoleArns, or else a role of this stack that people of this
   * account assume with MFA; plus CloudFormation's execution role, which must keep the right to update the key
   * (KMS refuses a policy that would lock out the principal that sets it).
   * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
   */
  private keyAdministrators(tenantId: string, settings: Tenant['settings']): iam.IPrincipal[] {
    const admins: iam.IPrincipal[] = settings.keys.adminRoleArns.map((arn) => new iam.ArnPrincipal(arn));
    if (admins.length === 0) {
      this.keyAdminRole = new iam.Role(this, 'KeyAdminRole', {
        roleName: `continuum-${tenantId}-key-admin`,
        description: `continuum-${tenantId}: administers the customer managed keys; cannot encrypt or decrypt`,
        assumedBy: new iam.AccountRootPrincipal().withConditions({
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        }),
        maxSessionDuration: Duration.hours(1),
      });
      admins.push(this.keyAdminRole);
    }
    const synthesizer = this.synthesizer;
    const deployRole =
      synthesizer instanceof DefaultStackSynthesizer
        ? // The synthesizer's ARN carries ${AWS::Partition} for CloudFormation to fill in.
          Fn.sub(synthesizer.cloudFormationExecutionRoleArn)
        : `arn:${this.partition}:iam::${this.account}:role/cdk-hnb659fds-cfn-exec-role-${this.account}-${this.region}`;
    admins.push(new iam.ArnPrincipal(deployRole));
    return admins;
  }

  /**
   * Services that encrypt with these keys on our behalf, each limited to this account (and for logs, to log
   * groups in this region).
   * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/logs/encrypt-log-data-kms.html
   */
  private allowServicesToUseOpsKey(opsKey: kms.Key): void {
    opsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`,
          },
        },
      }),
    );
    // CloudWatch alarms publish to the encrypted alarm topic; SNS moves undeliverable alarms to the encrypted
    // DLQ. https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
    opsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsPublishToEncryptedTopic',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('sns.amazonaws.com'),
          // The key alarms' EventBridge rule publishes to the same topic.
          new iam.ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    // X-Ray encrypts traces with the ops key for principals of this account that may use X-Ray, only through
    // X-Ray (the policy AWS gives its own aws/xray key).
    // https://docs.aws.amazon.com/xray/latest/devguide/xray-console-encryption.html
    opsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'XRayEncryptsTraces',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:CallerAccount': this.account,
            'kms:ViaService': `xray.${this.region}.amazonaws.com`,
          },
        },
      }),
    );
    // The data key needs no such statement: DynamoDB, HealthLake, Secrets Manager, Lambda and AWS Backup use
    // it through grants made on behalf of the calling principal.
  }

  /**
   * Bulk exports are PHI at rest outside HealthLake: encrypted with the data key, versioned, private, TLS only,
   * and every request is in the access logs (kept as long as the audit logs). HealthLake writes under
   * exports/<job> with the export role of the stateless stack.
   * https://docs.aws.amazon.com/healthlake/latest/devguide/export-permissions.html
   */
  private buildExportBucket(dataKey: kms.IKey, settings: Tenant['settings']) {
    const common = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    // S3 delivers server access logs only to buckets with SSE-S3 default encryption. Log delivery is allowed
    // by a bucket policy (cdk.json's @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy), and new buckets have
    // ACLs disabled. https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    const exportAccessLogs = new s3.Bucket(this, 'ExportAccessLogs', {
      ...common,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        {
          // Old versions are evidence too: kept as long as current ones.
          expiration: Duration.days(settings.auditLogRetentionDays),
          noncurrentVersionExpiration: Duration.days(settings.auditLogRetentionDays),
        },
      ],
    });
    const exportBucket = new s3.Bucket(this, 'ExportBucket', {
      ...common,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: dataKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: exportAccessLogs,
      serverAccessLogsPrefix: 'export-bucket/',
    });
    return { exportBucket, exportAccessLogs };
  }

  /**
   * Billing's EDI files (claims out, remittances in: PHI): KMS with the data key, versioned (a file overwritten by a
   * resend is still there), retained with the stack's data, private, TLS only, access-logged. Old versions expire
   * with the audit logs' retention. "Object Created" events go to EventBridge, where the stateless stack's ingest
   * function listens for inbound/.
   */
  private buildEdiBucket(dataKey: kms.IKey, accessLogs: s3.IBucket, settings: Tenant['settings']): s3.Bucket {
    const bucket = new s3.Bucket(this, 'EdiBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: dataKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'edi-bucket/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(settings.auditLogRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The bucket's own CloudFormation property, not `eventBridgeEnabled`: that one adds a notifications custom
    // resource (a Python Lambda with a managed-policy role) for what CloudFormation does natively.
    (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    return bucket;
  }

  /**
   * Every audit record, copied from the table's stream by the archiver (stateless stack), kept where nobody can
   * change or delete it for 6 years, HIPAA's retention for such records (45 CFR 164.316(b)(2)): Object Lock in
   * compliance mode, which not even the account root can shorten. Encrypted with the data key (the records name
   * patients by id), versioned (Object Lock requires it), private, TLS only, access-logged.
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
   */
  private buildAuditArchive(dataKey: kms.IKey, accessLogs: s3.IBucket): s3.Bucket {
    return new s3.Bucket(this, 'AuditArchive', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(
        Duration.days(AUDIT_ARCHIVE_RETENTION_DAYS),
      ),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: dataKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'audit-archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * HealthLake assumes this role to write a bulk export: check the export bucket, put objects under exports/,
   * and encrypt them with the data key (multipart uploads decrypt too). Only HealthLake may assume it, and only
   * for this tenant's datastore. https://docs.aws.amazon.com/healthlake/latest/devguide/export-permissions.html
   */
  private buildExportRole(
    tenantId: string,
    bucket: s3.IBucket,
    dataKey: kms.IKey,
    datastoreArn: string,
  ): iam.Role {
    const role = new iam.Role(this, 'FhirExportRole', {
      description: `continuum-${tenantId}: HealthLake writes bulk exports to the export bucket`,
      assumedBy: new iam.ServicePrincipal('healthlake.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': this.account },
        ArnEquals: { 'aws:SourceArn': datastoreArn },
      }),
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CheckExportBucket',
        actions: ['s3:ListBucket', 's3:GetBucketPublicAccessBlock', 's3:GetEncryptionConfiguration'],
        resources: [bucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteExports',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('exports/*')],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptExports',
        actions: ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [dataKey.keyArn],
      }),
    );
    return role;
  }

  private buildUserPool(tenantId: string, settings: Tenant['settings']) {
    const plus = settings.cognito.featurePlan === 'plus';
    // MFA is REQUIRED for everyone: Cognito cannot require it per group (staff vs patient), and a patient
    // account opens a chart too. TOTP only: SMS is phishable and needs an SNS origination number per tenant.
    // https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
    const userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `continuum-${tenantId}`,
      // Accounts are created by the practice's admins (AdminCreateUser), never by self sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        patientId: new cognito.StringAttribute({ minLen: 26, maxLen: 26, mutable: true }),
        practitionerId: new cognito.StringAttribute({ minLen: 26, maxLen: 26, mutable: true }),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      userPool.addGroup(`Group-${role}`, {
        groupName: role,
        description: (STAFF_ROLES as readonly string[]).includes(role)
          ? `Practice staff: ${role}`
          : `Outside the practice: ${role} (sees only what is theirs or was shared)`,
      });
    }
    // Users may change their profile but never the ids that drive object-level access (custom:patientId,
    // custom:practitionerId): only an admin (AdminUpdateUserAttributes) sets those.
    const writeAttributes = new cognito.ClientAttributes().withStandardAttributes({
      email: true,
      givenName: true,
      familyName: true,
      phoneNumber: true,
    });
    const readAttributes = writeAttributes
      .withStandardAttributes({ emailVerified: true, phoneNumberVerified: true })
      .withCustomAttributes('patientId', 'practitionerId');
    const userPoolClient = userPool.addClient('AppClient', {
      userPoolClientName: `continuum-${tenantId}-app`,
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      readAttributes,
      writeAttributes,
      // A token is honoured until it expires, even after its user is disabled or loses a group: short tokens
      // bound that window; the apps keep the session with the refresh token, which a global sign-out revokes
      // (docs/decisions.md, "Short ID tokens, refresh tokens for sessions").
      idTokenValidity: Duration.minutes(settings.sessions.idTokenMinutes),
      accessTokenValidity: Duration.minutes(settings.sessions.idTokenMinutes),
      // Default 12 hours, about one clinical shift; a stolen refresh token dies with it.
      refreshTokenValidity: Duration.hours(settings.sessions.refreshTokenHours),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: settings.cognito.callbackUrls,
        logoutUrls: settings.cognito.logoutUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });
    // The classic hosted UI works without a branding resource; switch to managed login once the apps brand
    // it.
    userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: settings.cognito.domainPrefix } });
    return { userPool, userPoolClient };
  }
}

/** The export that carries the audit archive bucket's name to the stateless stack. */
/** The named export of the EDI bucket's name (see auditArchiveExportName). */
export function ediBucketExportName(tenantId: string): string {
  return `continuum-${tenantId}-edi-bucket`;
}

export function auditArchiveExportName(tenantId: string): string {
  return `continuum-${tenantId}-audit-archive-bucket`;
}

/** Six years (2192 days, leap days included): how long the archive keeps each audit record unchangeable. */
export const AUDIT_ARCHIVE_RETENTION_DAYS = 2192;

/**
 * The table's resource policy: audit records are append-only for everyone, whatever their IAM policies say
 * (an explicit deny wins). Nobody may update or delete an item whose partition key is an audit key, nor put one
 * with the TTL attribute (it would expire), and only roles tagged continuum:audit-writer (the route functions,
 * which append with attribute_not_exists) may put one at all. IAM cannot see a condition expression, so an
 * audit writer could still overwrite with a bare Put: the archive keeps the original and the archiver alarms on
 * any change (docs/decisions.md). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
export function auditAppendOnlyPolicy(): iam.PolicyDocument {
  const auditKeys = { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${AUDIT_KEY_PREFIX}*`] } };
  const everyone = [new iam.AnyPrincipal()];
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AuditRecordsAreNeverChanged',
        effect: iam.Effect.DENY,
        principals: everyone,
        actions: [
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:PartiQLUpdate',
          'dynamodb:PartiQLDelete',
        ],
        // A table's own policy cannot name the table's ARN (a circular reference): * means this table.
        resources: ['*'],
        conditions: auditKeys,
      }),
      new iam.PolicyStatement({
        sid: 'AuditRecordsNeverExpire',
        effect: iam.Effect.DENY,
        principals: everyone,
        actions: ['dynamodb:PutItem', 'dynamodb:PartiQLInsert'],
        resources: ['*'],
        conditions: {
          ...auditKeys,
          'ForAnyValue:StringEquals': { 'dynamodb:Attributes': [TABLE.timeToLiveAttribute] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'OnlyAuditWritersAppend',
        effect: iam.Effect.DENY,
        principals: everyone,
        actions: ['dynamodb:PutItem', 'dynamodb:PartiQLInsert'],
        resources: ['*'],
        conditions: {
          ...auditKeys,
          StringNotEquals: { [`aws:PrincipalTag/${AUDIT_WRITER_TAG}`]: 'true' },
        },
      }),
    ],
  });
}

/** What a key administrator may do: manage, rotate, disable, schedule deletion; never encrypt or decrypt. */
export const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** What a key user may do, when an IAM policy of this account grants it (the functions' least-privilege roles). */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
];

/**
 * A customer managed key's policy: administrators by name (no use), users through IAM (no administration).
 * The account is trusted only to delegate use, never kms:*, so an IAM policy can let a function decrypt but
 * cannot let anyone disable, re-policy or delete the key; grants only for AWS services acting for a caller
 * (DynamoDB, Lambda, Secrets Manager, HealthLake, AWS Backup create them).
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export function keyPolicy(admins: iam.IPrincipal[]): iam.PolicyDocument {
  const account = new iam.AccountRootPrincipal();
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'KeyAdministrators',
        principals: admins,
        actions: KEY_ADMIN_ACTIONS,
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'KeyUsersThroughIam',
        principals: [account],
        actions: KEY_USE_ACTIONS,
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'GrantsForAwsServicesOnly',
        principals: [account],
        actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        resources: ['*'],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ],
  });
}
