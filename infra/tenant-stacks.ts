// The stacks one tenant deploys, as the tenant builder (tenant.ts) returns them and the nag rules (nag.ts) read them.
import type { StatefulStack } from './stacks/stateful-stack.ts';
import type { StatelessStack } from './stacks/stateless-stack.ts';

export interface TenantStacks {
  stateful: StatefulStack;
  stateless: StatelessStack;
}
