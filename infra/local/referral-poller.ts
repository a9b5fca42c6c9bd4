// The local stand-in for the referral exchange's scheduled Lambda: runs one pass every `intervalMs` (never two at
// once), so a specialist's change to a Task in the local FHIR store reaches the referral within seconds.
export interface ReferralPoller {
  stop(): Promise<void>;
}

export function startReferralPoller(options: {
  intervalMs: number;
  run: () => Promise<unknown>;
  log?: (line: Record<string, unknown>) => void;
}): ReferralPoller {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = options
      .run()
      .catch((error: unknown) =>
        options.log?.({
          level: 'WARN',
          message: 'referral exchange pass failed',
          error: error instanceof Error ? error.name : 'unknown',
        }),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
