// `npm run events`: writes events/<operationId>.json, a sample API Gateway event for every route, from the
// route table's examples. A test fails when events/ and the route table disagree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { routes } from '#functions/routes.ts';
import { buildEvent } from './events.ts';
import { REPO_ROOT } from './paths.ts';

/** Sample events are signed as a user the route allows: the admin where it may, else the route's first role. */
export function sampleEvent(route: (typeof routes)[number]) {
  const user =
    route.roles.includes('admin') || route.auth === 'public' ? 'admin' : (route.roles[0] ?? 'admin');
  return buildEvent(route, { ...route.example, user, requestId: `sample-${route.operationId}` });
}

if (import.meta.main) {
  const dir = join(REPO_ROOT, 'events');
  mkdirSync(dir, { recursive: true });
  for (const route of routes) {
    writeFileSync(join(dir, `${route.operationId}.json`), `${JSON.stringify(sampleEvent(route), null, 2)}\n`);
  }
  console.log(`Wrote ${routes.length} sample events to events/`);
}
