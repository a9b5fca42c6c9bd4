// The tenant's data: KMS keys, the EMR table and its backups, the Cognito user pool, the HealthLake
// datastore and its bulk-export bucket, the cursor secret and the audit-trail log groups. Everything here is retained, so redeploying or
// even destroying the stateless stack can never replace or delete data.
import { CfnOutput, Duration, RemovalPolicies, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
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
import { ROLES, STAFF_ROLES } from '#shared/auth/roles.ts';
import { TABLE } from '#shared/table.ts';
import { AuditTrail } from '../constructs/audit-trail.ts';
import { EncryptedLogGroup } from '../constructs/encrypted-log-group.ts';
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

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { id: tenantId, settings } = props.tenant;

    // Separate keys for PHI and for operations, so log readers never hold a key that decrypts the chart.
    // https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
    const dataKey = new kms.Key(this, 'DataKey', {
      alias: `alias/continuum-${tenantId}-data`,
      description: `Continuum ${tenantId}: EMR table, backups, HealthLake, secrets`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const opsKey = new kms.Key(this, 'OpsKey', {
      alias: `alias/continuum-${tenantId}-ops`,
      description: `Continuum ${tenantId}: log groups and the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
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
    });

    // PITR covers 35 days; AWS Backup keeps monthly copies for 7 years (HIPAA's 6-year retention, with
    // margin). https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html
    const vault = new backup.BackupVault(this, 'BackupVault', {
      backupVaultName: `continuum-${tenantId}`,
      encryptionKey: dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: `continuum-${tenantId}`,
      backupVault: vault,
      backupPlanRules: [backup.BackupPlanRule.daily(), backup.BackupPlanRule.monthly7Year()],
    });
    this.backupSelection = plan.addSelection('Table', {
      resources: [backup.BackupResource.fromArn(table.tableArn)],
    });

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

    this.resources = {
      dataKey,
      opsKey,
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
      accessLogGroup,
      wafLogGroupName,
      trailLogGroup: this.auditTrail.logGroup,
    };
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
