// The WAFv2 web ACL in front of the API stage: AWS managed rule groups (IP reputation, anonymous IPs, common
// exploits, known bad inputs), an 8 KB body limit everywhere but the note routes, and a per-IP rate limit,
// logging blocked and counted requests to an encrypted aws-waf-logs-* group with credentials, referers, query
// strings and paths redacted.
// https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { AnyRoute } from '#shared/http/route.ts';

export interface WebAclProps {
  tenantId: string;
  /** ARN of the API Gateway stage to protect. */
  stageArn: string;
  /** Name of the (already existing) log group; it must start with aws-waf-logs-. */
  logGroupName: string;
  rateLimitPer5Minutes: number;
  /** The route table: the note routes' paths are the only ones allowed bodies over BODY_LIMIT_BYTES. */
  routes: readonly AnyRoute[];
}

/**
 * Managed groups in priority order, with the rules we count instead of block (and why):
 * - AnonymousIpList's HostingProviderIPList would block every caller in a cloud (a practice's integration engine,
 *   a portal back end); VPNs, Tor and proxies are still blocked by AnonymousIPList.
 * - CommonRuleSet's SizeRestrictions_BODY (8 KB) would block a progress note; BodyTooLargeOutsideNotes below
 *   keeps that limit for every other route.
 */
const MANAGED_RULE_GROUPS: { name: string; countOnly: string[] }[] = [
  { name: 'AWSManagedRulesAmazonIpReputationList', countOnly: [] },
  { name: 'AWSManagedRulesAnonymousIpList', countOnly: ['HostingProviderIPList'] },
  { name: 'AWSManagedRulesCommonRuleSet', countOnly: ['SizeRestrictions_BODY'] },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: [] },
];

/** The common rule set's own body limit, kept for every route but the note routes. */
export const BODY_LIMIT_BYTES = 8192;

/**
 * The note routes (progress notes, addenda, note templates: four sections of up to 20,000 characters each) as
 * one regular expression over the URI path, built from the route table. Not anchored at the start: through the
 * execute-api endpoint the path starts with the stage, through the tenant's domain it does not.
 */
export function noteRoutesPattern(routes: readonly AnyRoute[]): string | undefined {
  const paths = [
    ...new Set(
      routes
        .filter((r) => r.request.body && /\/notes(\/|$)|^\/v1\/note-templates/.test(r.path))
        .map((r) => r.path.replace(/\{[^}]+\}/g, '[^/]+')),
    ),
  ];
  return paths.length === 0 ? undefined : `(${paths.join('|')})$`;
}

/** A body over BODY_LIMIT_BYTES (or too large for WAF to inspect) on a path that is not a note route. */
function bodyTooLarge(notePaths: string | undefined): wafv2.CfnWebACL.StatementProperty {
  const tooLarge: wafv2.CfnWebACL.StatementProperty = {
    sizeConstraintStatement: {
      fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
      comparisonOperator: 'GT',
      size: BODY_LIMIT_BYTES,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  };
  if (!notePaths) return tooLarge;
  const notANoteRoute: wafv2.CfnWebACL.StatementProperty = {
    notStatement: {
      statement: {
        regexMatchStatement: {
          fieldToMatch: { uriPath: {} },
          regexString: notePaths,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
    },
  };
  return { andStatement: { statements: [tooLarge, notANoteRoute] } };
}

export class WebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const metricPrefix = `continuum-${props.tenantId}`;
    // Sampled requests would show full URIs and query strings (search terms are PHI) in the console: off.
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${metricPrefix}-${name}`,
      sampledRequestsEnabled: false,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `continuum-${props.tenantId}`,
      description: `Continuum ${props.tenantId} API`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('web-acl'),
      rules: [
        ...MANAGED_RULE_GROUPS.map(({ name, countOnly }, priority) => ({
          name,
          priority,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name,
              ...(countOnly.length > 0
                ? {
                    ruleActionOverrides: countOnly.map((rule) => ({
                      name: rule,
                      actionToUse: { count: {} },
                    })),
                  }
                : {}),
            },
          },
          visibilityConfig: visibility(name),
        })),
        {
          name: 'BodyTooLargeOutsideNotes',
          priority: MANAGED_RULE_GROUPS.length,
          action: { block: {} },
          statement: bodyTooLarge(noteRoutesPattern(props.routes)),
          visibilityConfig: visibility('body-too-large'),
        },
        {
          name: 'RateLimitPerIp',
          priority: MANAGED_RULE_GROUPS.length + 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPer5Minutes,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('rate-limit'),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF wants the log group ARN without the trailing :* that CloudFormation's Arn attribute carries.
    const logGroupArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: props.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'x-api-key' } },
        { singleHeader: { Name: 'cookie' } },
        // The referring page's URL can carry a patient id or search terms.
        { singleHeader: { Name: 'referer' } },
        { queryString: {} },
        { uriPath: {} },
      ],
      // Allowed requests are already in the API access log; keep what WAF acted on.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [
              { ActionCondition: { Action: 'BLOCK' } },
              { ActionCondition: { Action: 'COUNT' } },
              { ActionCondition: { Action: 'EXCLUDED_AS_COUNT' } },
            ],
          },
        ],
      },
    });
  }
}
