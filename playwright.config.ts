import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig, devices } from '@playwright/test';

// Playwright cannot download browsers on every machine (DESIGN §8): Debian's Chromium is used where it
// is installed, Playwright's own browser elsewhere (scripts/test.mjs installs it then).
const systemChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  globalSetup: './tests/e2e/global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  // Each worker has its own host (server, desk and browser), and much of a test's time is waiting: for the
  // next 30 s code step, for a sync, for a page. Two workers on a 2-core machine halve the run (15.6 to 8.6
  // minutes measured) where Playwright's default would give one.
  workers: Math.max(2, Math.floor(availableParallelism() / 2)),
  forbidOnly: Boolean(process.env.CI),
  reporter: 'list',
  use: {
    headless: true,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
          // No sandbox: containers and CI often run as root, where Chromium's sandbox cannot start. The
          // rest keeps the browser quiet and offline: no GPU, QUIC, first-run, update or sync traffic.
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
