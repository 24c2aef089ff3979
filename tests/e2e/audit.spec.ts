// The audit chain's check in Chromium (issue #9): sofia signs in, opens "Audit" from the navigation and
// reads "Audit chain verified" up to entry #N, where N is a checkpoint the server really signed; "Check
// again" is reachable from the keyboard; axe finds nothing serious in English and Spanish, light and dark.
// Screenshots go to the test's output and to /tmp/shots/audit/ for a person to look at.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page, TestInfo } from '@playwright/test';
import { rewriteAuditEntry } from '../server/fixtures/audit-tamper';
import { startBrowserHost, type BrowserHost } from './browser-host';
import { expect, openSignedOut, test, withCodes, type DeskHost } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { ENGLISH, signIn, SPANISH, type SignInWords } from './fixtures/signin';
import { seriousViolations, setTheme } from './fixtures/a11y';

// A second sign-in of sofia in one worker waits for the next 30 s code step.
test.describe.configure({ timeout: 120_000 });

const SHOTS = '/tmp/shots/audit';

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await saveScreenshot(page, testInfo, `audit-${name}`);
  mkdirSync(SHOTS, { recursive: true });
  copyFileSync(join(testInfo.project.outputDir, 'screenshots', `audit-${name}.png`), join(SHOTS, `${name}.png`));
}

/** The checkpoints the server signed, read from its database behind the screens. */
function signedCheckpointSeqs(host: BrowserHost): Set<number> {
  const db = new Database(join(host.dataDir, 'server', 'platform.db'), { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare('SELECT seq FROM audit_checkpoints').all() as { seq: number }[]).map((row) => row.seq));
  } finally {
    db.close();
  }
}

async function openAudit(page: Page, host: DeskHost, words: SignInWords, link: string) {
  await openSignedOut(page, host);
  await signIn(page, host, 'sofia', words);
  await page.getByRole('navigation').getByRole('link', { name: link }).click();
}

test('sofia opens Audit and sees the chain verified up to a signed checkpoint; axe-clean in light and dark', async ({ page, host }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openAudit(page, host, ENGLISH, 'Audit');
  await expect(page.getByRole('heading', { name: 'Audit', level: 1 })).toBeVisible();
  const status = page.getByRole('region', { name: 'Audit chain' });
  await expect(status.getByText('Audit chain verified')).toBeVisible({ timeout: 30_000 });
  const upTo = await status.getByText(/^up to entry #[\d,]+$/).textContent();
  const verifiedUpTo = Number(upTo!.replace(/\D/g, ''));
  expect(verifiedUpTo).toBeGreaterThan(0);
  expect(signedCheckpointSeqs(host).has(verifiedUpTo)).toBe(true);
  await expect(status.getByText(/^Signed checkpoint of /)).toBeVisible();
  await expect(status.locator('code')).toHaveText(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);

  // "Check again" from the keyboard: the check runs and ends verified again.
  const checkAgain = status.getByRole('button', { name: 'Check again' });
  await checkAgain.focus();
  await expect(checkAgain).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(status.getByText('Audit chain verified')).toBeVisible({ timeout: 30_000 });
  await expect(checkAgain).toBeEnabled();

  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'en-light');
  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'en-dark');
  await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });
});

test('other roles get no Audit screen: no link, and its address shows the queue', async ({ page, host }) => {
  await openSignedOut(page, host);
  await signIn(page, host, 'carla');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'KYT alerts' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Audit' })).toHaveCount(0);
  await page.evaluate(() => {
    window.location.hash = '#/audit';
  });
  await expect(page.getByRole('table', { name: 'Case queue' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('region', { name: 'Audit chain' })).toHaveCount(0);
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });

  test('sofia ve la cadena de auditoría verificada, en español', async ({ page, host }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await openAudit(page, host, SPANISH, 'Auditoría');
    const status = page.getByRole('region', { name: 'Cadena de auditoría' });
    await expect(status.getByText('Cadena de auditoría verificada')).toBeVisible({ timeout: 30_000 });
    await expect(status.getByText(/^hasta la entrada n\.º [\d.,]+$/)).toBeVisible();
    await expect(status.getByRole('button', { name: 'Comprobar de nuevo' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'es-light');
    await setTheme(page, 'dark', { settings: 'Configuración', theme: 'Tema' });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'es-dark');
    await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });
  });
});

test('a replaced server key raises the alarm, the supervisor trusts it by its fingerprint; a rewritten entry is shown as an alert', async ({ page }, testInfo) => {
  // Its own host (a changed key and a rewritten log would spoil the shared one), started twice, and two
  // sign-ins of sofia a code step apart.
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-e2e-audit-'));
  const hosts: BrowserHost[] = [];
  try {
    const first = withCodes(await startBrowserHost({ dataDir }));
    hosts.push(first);
    await openAudit(page, first, ENGLISH, 'Audit');
    const status = page.getByRole('region', { name: 'Audit chain' });
    await expect(status.getByText('Audit chain verified')).toBeVisible({ timeout: 30_000 });
    const pinned = await status.locator('code').textContent();

    // The server loses its key file and makes a new key when it starts again on the same database.
    await first.stop();
    hosts.length = 0;
    rmSync(join(dataDir, 'server', 'audit-signing.key'));
    const restarted = await startBrowserHost({ dataDir });
    hosts.push(restarted);
    const second: DeskHost = { ...withCodes(restarted), freshCode: first.freshCode };
    await openAudit(page, second, ENGLISH, 'Audit');

    const alarm = status.getByRole('alert');
    await expect(alarm.getByText('Audit chain check failed')).toBeVisible({ timeout: 30_000 });
    await expect(alarm.getByText(/with a different key from the one this desk trusts/)).toBeVisible();
    const trustForm = page.getByRole('form', { name: 'Trust the new key?' });
    await expect(trustForm).toBeVisible();
    const newFingerprint = (await trustForm.locator('code').textContent())!;
    expect(newFingerprint).not.toBe(pinned);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'key-changed-en-light');
    await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'key-changed-en-dark');
    await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });

    // Typing the start of the old fingerprint changes nothing; the new one's first 16 characters trust it.
    const typed = trustForm.getByRole('textbox', { name: 'First 16 characters of the new fingerprint' });
    await typed.fill(pinned!.slice(0, 19));
    await page.keyboard.press('Enter');
    await expect(trustForm.getByText('That is not the start of the new key’s fingerprint. Nothing was changed.')).toBeVisible();
    await typed.fill(newFingerprint.slice(0, 19));
    await trustForm.getByRole('button', { name: 'Trust the new key' }).click();
    await expect(status.getByText('Audit chain verified')).toBeVisible({ timeout: 30_000 });
    await expect(status.locator('code')).toHaveText(newFingerprint);
    await expect(trustForm).toHaveCount(0);

    // An insider rewrites entry 5 and recomputes the chain after it: the desk names the entry.
    rewriteAuditEntry(join(dataDir, 'server', 'platform.db'), 5, { rewritten: true });
    await status.getByRole('button', { name: 'Check again' }).click();
    await expect(status.getByRole('alert').getByText('Entry #5 has changed since this desk verified it.')).toBeVisible({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'entry-changed-en-light');
  } finally {
    for (const host of hosts) await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
