// The first-run choice, in a browser host started as a fresh install (no --server, no --demo): "Try the demo"
// reaches sign-in with the demo accounts; "Connect to my organisation" refuses bad addresses with a clear
// reason and checks a real second server (started here, on loopback) with GET /v1/health before saving it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { startBundledServer, type BundledServer } from '../../electron/launch/bundled-server';
import { startBrowserHost, type BrowserHost } from './browser-host';
import { saveScreenshot } from './fixtures/screenshots';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let host: BrowserHost;
test.beforeEach(async () => {
  host = await startBrowserHost({ firstRun: true });
});
test.afterEach(async () => {
  await host.stop();
});

async function open(page: Page, language: 'en' | 'es', theme: 'light' | 'dark'): Promise<void> {
  await page.goto(host.pageUrl);
  await page.evaluate(
    async ([language, theme]) => window.desk?.invoke('settings.set', { language, theme }),
    [language, theme] as const,
  );
  await page.reload();
}

test('first run offers the choice; the demo reaches sign-in with the demo accounts and their roles', async ({ page }, testInfo) => {
  await open(page, 'en', 'light');
  await expect(page.getByRole('heading', { name: 'Welcome to Dispute Desk' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Connect to my organisation' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  for (const [language, theme] of [['en', 'light'], ['en', 'dark'], ['es', 'light'], ['es', 'dark']] as const) {
    await open(page, language, theme);
    await expect(page.getByRole('button', { name: language === 'en' ? 'Try the demo' : 'Probar la demo' })).toBeVisible();
    await saveScreenshot(page, testInfo, `first-run-${language}-${theme}`);
  }

  await open(page, 'en', 'light');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('demo (this computer)')).toBeVisible();
  const accounts = page.getByRole('table', { name: 'Demo accounts' });
  await expect(accounts.getByRole('row', { name: /ana Agent ana-demo-pass/ })).toBeVisible();
  await expect(accounts.getByRole('row', { name: /carla Compliance carla-demo-pass/ })).toBeVisible();
  await expect(accounts.getByRole('row', { name: /sofia Supervisor sofia-demo-pass/ })).toBeVisible();

  // The choice is kept: a reload goes straight to sign-in.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  for (const [language, theme] of [['en', 'light'], ['en', 'dark'], ['es', 'light'], ['es', 'dark']] as const) {
    await open(page, language, theme);
    await expect(page.getByRole('table', { name: language === 'en' ? 'Demo accounts' : 'Cuentas de demostración' })).toBeVisible();
    await saveScreenshot(page, testInfo, `sign-in-demo-${language}-${theme}`);
  }

  // Once chosen, this host's page may not change the server (no native confirmation here): no way back.
  await expect(page.getByRole('button', { name: 'Cambiar servidor' })).toHaveCount(0);
  await expect(page.getByText(/^Para cambiarlo, detén el escritorio y vuelve a iniciarlo con npm run browser -- --server/)).toBeVisible();
});

test('an organisation address is refused with a clear reason, and a real server is checked, then saved', async ({ page }, testInfo) => {
  // Something on loopback that answers, but not as a Dispute Desk server does.
  const impostor = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end('{"hello":"world"}');
  });
  await new Promise<void>((done) => impostor.listen(0, '127.0.0.1', done));
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-e2e-org-'));
  let organisation: BundledServer | null = null;
  try {
    organisation = await startBundledServer({
      dataDir,
      seed: 'none',
      entry: { kind: 'source', cliPath: resolve('electron/server/cli.ts') },
      timeoutMs: 60_000,
    });
    await open(page, 'en', 'light');
    await page.getByRole('button', { name: 'Connect to my organisation' }).click();
    const address = page.getByRole('textbox', { name: 'Server address' });
    const check = page.getByRole('button', { name: 'Check server' });

    await address.fill('http://disputes.example.com');
    await check.click();
    await expect(page.getByRole('alert')).toContainText('Use an https:// address');

    await address.fill(`http://127.0.0.1:${(impostor.address() as AddressInfo).port}`);
    await check.click();
    await expect(page.getByRole('alert')).toContainText('not a Dispute Desk server');

    // A port nothing listens on: the impostor's, once closed.
    const closedPort = (impostor.address() as AddressInfo).port;
    await new Promise<void>((done) => impostor.close(() => done()));
    await address.fill(`http://127.0.0.1:${closedPort}`);
    await check.click();
    await expect(page.getByRole('alert')).toContainText('No server answered');

    await address.fill(organisation.url);
    await check.click();
    const host127 = new URL(organisation.url).host;
    await expect(page.getByText(`A Dispute Desk server answered at ${host127}`)).toBeVisible();
    await saveScreenshot(page, testInfo, 'first-run-organisation-checked-en-light');
    await page.getByRole('button', { name: 'Use this server' }).click();
    await expect(page.getByText(`Saved. Dispute Desk connects to ${host127} when it starts again`)).toBeVisible();

    // Saved in the desk's settings, for the next start; the sign-in screen says so meanwhile.
    const settings = await page.evaluate(async () => window.desk?.invoke('settings.get'));
    expect(settings).toMatchObject({ ok: true, value: { serverUrl: organisation.url, serverChosen: true } });
    await page.reload();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText(`From the next start: ${host127}`)).toBeVisible();
  } finally {
    if (impostor.listening) impostor.close();
    await organisation?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
