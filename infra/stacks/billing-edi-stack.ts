// Billing's EDI functions (the inbound-file ingest and the daily timely-filing check, with their queue, rules and
// alarms) as a nested stack of the stateless stack, so the parent template stays well under CloudFormation's
// resource limit.
import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BillingEdi, type BillingEdiProps } from '../constructs/billing-edi.ts';

export type BillingEdiStackProps = NestedStackProps & BillingEdiProps;

export class BillingEdiStack extends NestedStack {
  readonly edi: BillingEdi;

  constructor(scope: Construct, id: string, props: BillingEdiStackProps) {
    super(scope, id, { ...(props.description ? { description: props.description } : {}) });
    this.edi = new BillingEdi(this, 'Edi', props);
  }
}
