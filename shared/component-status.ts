// What a supervisor in the same process knows about a component that a probe cannot tell: that it is being
// restarted. The local runtime notes DynamoDB Local's restarts here for GET /health; in AWS nothing is noted.
export type NotedStatus = 'restarting' | 'down';

const noted = new Map<string, NotedStatus>();

/** Notes (or, with undefined, clears) what a component is doing. */
export function noteComponentStatus(component: string, status: NotedStatus | undefined): void {
  if (status === undefined) noted.delete(component);
  else noted.set(component, status);
}

export function notedComponentStatus(component: string): NotedStatus | undefined {
  return noted.get(component);
}
