// Mutation testing of the pure domain modules (`npm run test:mutation`, run in CI): every surviving mutant is a rule
// no test pins. Survivors judged equivalent are listed with their reasons in docs/mutation-testing.md.
// https://stryker-mutator.io/docs/stryker-js/configuration/
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: [
    'functions/scheduling/availability.ts',
    'functions/scheduling/time.ts',
    'functions/scheduling/booking-decision.ts',
    'functions/scheduling/calendar.ts',
    'shared/npi.ts',
    'functions/charting/vitals.ts',
    'shared/codes.ts',
    'functions/charting/lab.ts',
    'functions/charting/visibility.ts',
    'shared/auth/policy.ts',
    'shared/cursor.ts',
    'shared/ids.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  thresholds: { high: 95, low: 85, break: 85 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['.data', 'cdk.out', 'reports', '.bench', 'test/e2e', 'docs', 'events'],
  // Stryker rewrites the sandbox's tsconfig with the `typescript` package's JS API, which TypeScript 7 (native) no
  // longer has. Ours has no `extends` or `references` to rewrite, so name a file that does not exist to skip it.
  tsconfigFile: 'no-tsconfig-to-rewrite.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
