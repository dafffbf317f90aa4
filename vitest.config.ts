import { existsSync } from 'node:fs';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Opening hours are computed with the process's local time: tests run in UTC as the server does (ADR 8).
process.env.TZ = 'UTC';

// What runs depends on what this machine has; CI must have everything (see .ci/run).
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
const hasPostgres = !!process.env.TEST_DATABASE_URL;
const skipped = [
  !hasPostgres && 'the API suite on PostgreSQL (set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)',
  !hasChromium && `the browser journeys (no Chromium at ${chromium}: apt-get install -y chromium)`,
].filter(Boolean);
if (skipped.length) {
  const message = `Not run here: ${skipped.join('; ')}.`;
  if (process.env.CI) throw new Error(`CI must run every suite. ${message}`);
  console.warn(`\n⚠ ${message}\n`);
}

const api = (name: string, driver: string): TestProjectInlineConfiguration => ({
  test: {
    name,
    include: ['server/**/*.api.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    env: { RELAIS_TEST_DB: driver },
    // Tests sign several people in (scrypt at OWASP cost, slow on purpose) while three workers share
    // two cores: a test is not a timing, so give the busy machine room rather than flake.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    // API tests mostly wait on the database and scrypt: three workers on two cores cut the run by a third.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/**/*.unit.test.ts', 'contracts/**/*.unit.test.ts', 'web/**/*.unit.test.ts'],
          hookTimeout: 60_000,
          testTimeout: 30_000,
        },
      },
      api('api-pglite', 'pglite'),
      ...(hasPostgres ? [api('api-postgres', 'postgres')] : []),
      ...(hasChromium
        ? [
            {
              test: {
                name: 'e2e',
                include: ['e2e/**/*.e2e.test.ts'],
                globalSetup: ['server/test/global-setup.ts', 'e2e/build-web.ts'],
                env: { CHROMIUM_PATH: chromium },
                testTimeout: 60_000,
                hookTimeout: 120_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
