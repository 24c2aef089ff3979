// Issue 4: during a long first sync the banner shows how far the sync has got, and afterwards that the
// desk is up to date and when it last synced. A platform server with the load seed makes the sync long.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { startBrowserHost, type BrowserHost } from './browser-host';
import { withCodes } from './fixtures/host';
import { signIn } from './fixtures/signin';

const LOAD_CASES = 8000;
/** The load seed adds its cases to the demo data's 84. */
const TOTAL_CASES = '8,084 cases';

interface PlatformServer {
  url: string;
  stop(): Promise<void>;
}

/** The bundled platform server in a child process, seeded with `cases` generated cases. */
async function startLoadServer(dataDir: string, cases: number): Promise<PlatformServer> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsx,
      resolve('electron/server/cli.ts'),
      '--port',
      '0',
      '--data',
      dataDir,
      '--seed',
      'load',
      '--cases',
      String(cases),
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for await (const line of createInterface({ input: child.stdout })) {
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
    if (url) return { url, stop };
  }
  throw new Error('The platform server exited before it listened.');
}

let tempDir: string;
let server: PlatformServer | undefined;
let host: BrowserHost | undefined;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  tempDir = mkdtempSync(join(tmpdir(), 'dd-e2e-sync-'));
  server = await startLoadServer(join(tempDir, 'server'), LOAD_CASES);
  host = await startBrowserHost({ serverUrl: server.url, dataDir: join(tempDir, 'host') });
});

test.afterAll(async () => {
  await host?.stop();
  await server?.stop();
  rmSync(tempDir, { recursive: true, force: true });
});

test('the first sync shows its progress, then "Up to date" with the last-synced time', async ({ page }) => {
  test.setTimeout(90_000);
  const desk = withCodes(host!);
  await page.goto(desk.pageUrl);
  await signIn(page, desk, 'carla');

  const sync = page.getByRole('status', { name: 'Sync status' });
  // The sync is under way: an (indeterminate) progress bar and a count of the changes applied so far.
  await expect(page.getByRole('progressbar', { name: 'Syncing…' })).toBeVisible({ timeout: 20_000 });
  const progressText = /Syncing… ([\d,]+) changes/;
  await expect(sync).toContainText(progressText, { timeout: 20_000 });

  // The count grows while the sync runs: sample the headline until it shows a second, larger number.
  const applied = (text: string | null): number | null => {
    const match = progressText.exec(text ?? '');
    return match?.[1] ? Number(match[1].replace(/,/g, '')) : null;
  };
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        const count = applied(await sync.textContent());
        if (count !== null) seen.add(count);
        return seen.size;
      },
      { timeout: 30_000, intervals: [50] },
    )
    .toBeGreaterThan(1);

  // Done: up to date, a last-synced time, no progress bar, and every case in the queue.
  await expect(sync).toContainText('Up to date', { timeout: 60_000 });
  await expect(sync).toContainText(/Last synced \d{1,2}:\d{2}/);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByText(TOTAL_CASES, { exact: true })).toBeVisible({ timeout: 15_000 });
});
