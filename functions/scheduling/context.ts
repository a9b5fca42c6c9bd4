// What every scheduling use case shares: the request it runs for, and deciding again when what it read changed.
import type { Principal } from '#shared/auth/principal.ts';
import { ConflictError } from '#shared/errors.ts';
import type { WriteContext } from '#shared/write.ts';
import { StaleRead } from './store.ts';

export interface SchedulingContext extends WriteContext {
  principal: Principal;
}

/** Optimistic retries when a calendar hour changed under us (full jitter, capped exponential backoff). */
const MAX_ATTEMPTS = 16;

/**
 * Runs a read-decide-write use case again while its write finds that something it read changed (two bookings of
 * neighbouring times share an hour bucket: the second re-reads and usually succeeds). After MAX_ATTEMPTS, 409.
 */
export async function withRetries<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof StaleRead)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The calendar is busy; retry the request');
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}
