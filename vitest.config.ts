// Test tiers: *.test.ts (no network), *.int.test.ts (DynamoDB Local), test/e2e (HTTP against `npm start`'s runtime).
// One local runtime is started for the whole run by test/global-setup.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'cdk.out/**', '.data/**', '.stryker-tmp/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
