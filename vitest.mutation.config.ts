// The unit tests of the pure domain modules, without the global setup that starts the local runtime: what Stryker
// runs against every mutant (`npm run test:mutation`, stryker.config.js). Each module is killed by its own tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'functions/scheduling/availability.test.ts',
      'functions/scheduling/time.test.ts',
      'functions/scheduling/booking-decision.test.ts',
      'functions/scheduling/calendar.test.ts',
      'shared/npi.test.ts',
      'functions/charting/vitals.test.ts',
      'shared/codes.test.ts',
      'functions/charting/lab.test.ts',
      'functions/charting/visibility.test.ts',
      'shared/auth/policy.test.ts',
      'shared/cursor.test.ts',
      'shared/ids.test.ts',
    ],
    pool: 'forks',
  },
});
