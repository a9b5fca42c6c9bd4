// Issue 19, items 7 and 8: key administrators apart from key users (no kms:* for anyone), alarms on disabling or
// deleting a key; AWS Backup under Vault Lock with its own key, an optional cross-account copy and a weekly
// restore test.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS } from '../../infra/stacks/stateful-stack.ts';
import { addTenant, type TenantStacks } from '../../infra/tenant.ts';
import { loadTenant } from '../../infra/tenant-config.ts';
import { asArray, buildApp, templateOf } from './build.ts';

type Json = Record<string, unknown>;

let stateful: Template;
let stateless: Template;

beforeAll(() => {
  const { app, tenants } = buildApp(['acme']);
  const stacks = tenants.acme as TenantStacks;
  stateful = templateOf(app, stacks.stateful);
  stateless = templateOf(app, stacks.stateless);
});

const keyStatements = (template: Template): { key: string; statements: Json[] }[] =>
  Object.entries(template.findResources('AWS::KMS::Key')).map(([key, resource]) => ({
    key,
    statements: ((resource.Properties as Json).KeyPolicy as { Statement: Json[] }).Statement,
  }));

describe('the customer managed keys', () => {
  it('grant kms:* to nobody: administrators may not use a key, users may not administer it', () => {
    const keys = keyStatements(stateful);
    expect(keys).toHaveLength(3);
    for (const { key, statements } of keys) {
      for (const statement of statements) {
        expect(asArray(statement.Action as string | string[]), key).not.toContain('kms:*');
      }
      const admin = statements.find((s) => s.Sid === 'KeyAdministrators') as Json;
      expect(asArray(admin.Action as string[]).sort(), key).toEqual([...KEY_ADMIN_ACTIONS].sort());
      expect(asArray(admin.Action as string[]), key).not.toContain('kms:Decrypt');
      // The key admin role and CloudFormation's execution role, never the account as a whole.
      const admins = JSON.stringify(admin.Principal);
      expect(admins, key).toContain('KeyAdminRole');
      expect(admins, key).toContain('cfn-exec-role');
      expect(admins, key).not.toMatch(/:root"/);
      const users = statements.find((s) => s.Sid === 'KeyUsersThroughIam') as Json;
      expect(asArray(users.Action as string[]).sort(), key).toEqual([...KEY_USE_ACTIONS].sort());
      const grants = statements.find((s) => s.Sid === 'GrantsForAwsServicesOnly') as Json;
      expect(grants.Condition, key).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    }
  });

  it('are administered by a role people assume with MFA, unless the tenant names its own', () => {
    stateful.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'continuum-acme-key-admin',
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })],
      },
    });
    const own = 'arn:aws:iam::111111111111:role/security-key-admins';
    const { app } = buildApp([]);
    const stacks = addTenant(app, loadTenant('acme', { keys: { adminRoleArns: [own] } }));
    const template = templateOf(app, stacks.stateful);
    expect(
      Object.values(template.findResources('AWS::IAM::Role')).map((r) => (r.Properties as Json).RoleName),
    ).not.toContain('continuum-acme-key-admin');
    for (const { statements } of keyStatements(template)) {
      const admin = statements.find((s) => s.Sid === 'KeyAdministrators') as Json;
      expect(JSON.stringify(admin.Principal)).toContain(own);
    }
  });

  it('alarm when any of them is disabled or scheduled for deletion', () => {
    stateless.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: ['ScheduleKeyDeletion', 'DisableKey'],
          resources: { ARN: Match.anyValue() },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('AlarmTopic') },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
    const rule = Object.values(stateless.findResources('AWS::Events::Rule')).find(
      (r) => (r.Properties as Json).Name === 'continuum-acme-key-disabled-or-deleted',
    )?.Properties as Json;
    const arns = ((rule.EventPattern as Json).detail as { resources: { ARN: unknown[] } }).resources.ARN;
    expect(arns).toHaveLength(3);
  });
});

describe('backups', () => {
  it('go to a vault of their own key under Vault Lock (compliance after the grace days)', () => {
    stateful.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'continuum-acme',
      EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupKey'), 'Arn'] },
      LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 },
    });
  });

  it('copy every recovery point to a vault in another account when the tenant names one', () => {
    const plain = Object.values(stateful.findResources('AWS::Backup::BackupPlan'))[0]?.Properties as Json;
    for (const rule of (plain.BackupPlan as { BackupPlanRule: Json[] }).BackupPlanRule)
      expect(rule.CopyActions).toBeUndefined();
    const copyVault = 'arn:aws:backup:us-east-1:333333333333:backup-vault:continuum-acme-copy';
    const { app } = buildApp([]);
    const stacks = addTenant(app, loadTenant('acme', { backup: { copyToVaultArn: copyVault } }));
    const template = templateOf(app, stacks.stateful);
    const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0]?.Properties as Json;
    const rules = (plan.BackupPlan as { BackupPlanRule: Json[] }).BackupPlanRule;
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.CopyActions).toEqual([
        expect.objectContaining({
          DestinationBackupVaultArn: copyVault,
          Lifecycle: expect.objectContaining({ DeleteAfterDays: expect.any(Number) }),
        }),
      ]);
    }
    expect(() => loadTenant('acme', { backup: { copyToVaultArn: 'my-other-vault' } })).toThrow(
      /backup.copyToVaultArn: Must be a backup vault ARN/,
    );
  });

  it('are restored every week by a restore-testing plan of the table', () => {
    stateful.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RestoreTestingPlanName: 'continuum_acme',
      ScheduleExpression: 'cron(0 7 ? * SUN *)',
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [Match.anyValue()],
        RecoveryPointTypes: ['SNAPSHOT'],
        SelectionWindowDays: 7,
      },
    });
    stateful.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'DynamoDB',
      ProtectedResourceArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] }],
      IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingRole'), 'Arn'] },
      ValidationWindowHours: 4,
    });
  });
});
