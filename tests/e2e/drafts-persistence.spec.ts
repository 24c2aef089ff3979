// What an agent is writing on a case is kept by the desk, not by the page: the message to the parties,
// the internal note and the verdict being prepared (reason and rationale) come back after the session
// expired on the server and after the browser host itself was restarted on the same data folder; a note
// that was added is on the server and comes back too. Signing out deletes the drafts from the computer
// (issue #11): the button says so first, and after signing back in the composer is empty.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Draft } from '../../shared/desk-api/schemas';
import { startBrowserHost, type BrowserHost } from './browser-host';
import { expect, openSignedOut, test, withCodes, type DeskHost } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn } from './fixtures/signin';

// A plain open case of the demo data (no hold, no four-eyes, unassigned). This test has a host and a
// server of its own, so no other test can claim it or use up the agent's codes.
const CASE_ID = 'DSP-100044';
const AGENT = 'bruno';

const ADDED_NOTE = 'Called the seller’s bank: no transfer with that reference yet.';
const EXPECTED: Draft = {
  message: 'Hola a ambos: estamos revisando el comprobante y el estado de cuenta.',
  note: 'Ask the buyer for the full bank statement if the seller keeps silent.',
  verdict: { outcome: 'release', reasonCode: 'payment_confirmed', rationale: 'The transfer is on the seller’s statement with the same reference.' },
};

/** Opens the case, whether sign-in brought the queue back or the case the page was showing. */
async function openCase(page: Page): Promise<void> {
  const search = page.getByRole('searchbox', { name: 'Search cases' });
  const heading = page.getByRole('heading', { level: 1, name: CASE_ID });
  await expect(search.or(heading).first()).toBeVisible({ timeout: 20_000 });
  if (await heading.isVisible()) return;
  await search.fill(CASE_ID);
  const row = page.getByRole('table', { name: 'Case queue' }).getByRole('row').filter({ hasText: CASE_ID });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await row.click();
  await expect(heading).toBeVisible({ timeout: 15_000 });
}

async function storedDraft(page: Page): Promise<Draft | null> {
  return page.evaluate(async (caseId) => {
    const result = await window.desk!.invoke('drafts.get', { caseId });
    return result.ok ? result.value : null;
  }, CASE_ID);
}

/** Every draft is back on the screen, and so is the note that was added. */
async function expectDraftsShown(page: Page): Promise<void> {
  await expect(page.getByRole('textbox', { name: 'Message to both parties' })).toHaveValue(EXPECTED.message, { timeout: 15_000 });
  await expect(page.getByRole('textbox', { name: 'New internal note' })).toHaveValue(EXPECTED.note);
  await expect(page.getByText(ADDED_NOTE)).toBeVisible();
  await page.getByRole('button', { name: 'Release to buyer' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('combobox', { name: 'Reason' })).toHaveValue(EXPECTED.verdict!.reasonCode!);
  await expect(dialog.getByRole('textbox', { name: 'Rationale' })).toHaveValue(EXPECTED.verdict!.rationale);
  await expect(dialog.getByRole('textbox', { name: 'Authentication code' })).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

async function signInAndOpen(page: Page, host: DeskHost): Promise<void> {
  await signIn(page, host, AGENT);
  await openCase(page);
}

test('Drafts survive session expiry and a restart of the host, and go at sign-out after a warning', async ({ page }, testInfo) => {
  // Four sign-ins by one agent (drafts belong to their writer) take four 30 s code steps.
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 1400 });
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-e2e-drafts-'));
  const hosts: BrowserHost[] = [];
  try {
    const first = withCodes(await startBrowserHost({ dataDir }));
    hosts.push(first);
    await openSignedOut(page, first);
    await signInAndOpen(page, first);

    // The composer is the case holder's: claim first. Then a note is added for real, and everything
    // else is only written, not sent.
    await page.getByRole('button', { name: 'Claim case' }).click();
    const message = page.getByRole('textbox', { name: 'Message to both parties' });
    await expect(message).toBeVisible({ timeout: 15_000 });
    const note = page.getByRole('textbox', { name: 'New internal note' });
    await note.fill(ADDED_NOTE);
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(page.getByText(ADDED_NOTE)).toBeVisible({ timeout: 15_000 });
    await expect(note).toHaveValue('');

    await message.fill(EXPECTED.message);
    await note.fill(EXPECTED.note);
    await page.getByRole('button', { name: 'Release to buyer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Reason' }).selectOption({ label: 'Payment confirmed' });
    await dialog.getByRole('textbox', { name: 'Rationale' }).fill(EXPECTED.verdict!.rationale);
    await expect(page.getByText('Draft saved')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    // The desk holds the drafts now (saved after a pause in typing), not just the page.
    await expect.poll(() => storedDraft(page), { timeout: 10_000 }).toEqual(EXPECTED);

    // 1. The server ends the session, as an expiry does; the desk's next call gets a 401.
    execFileSync('sqlite3', [
      join(dataDir, 'server', 'platform.db'),
      '.timeout 5000',
      `UPDATE sessions SET revoked_at = '${new Date().toISOString()}' WHERE revoked_at IS NULL;`,
    ]);
    await page.evaluate(() => window.desk!.invoke('sync.now'));
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('status').filter({ hasText: 'Your session expired' })).toBeVisible();
    await signInAndOpen(page, first);
    await expectDraftsShown(page);

    // 2. The host stops and starts again on the same data folder, at a new address with a new secret.
    await first.stop();
    hosts.length = 0;
    const restarted = await startBrowserHost({ dataDir });
    hosts.push(restarted);
    expect(restarted.pageUrl).not.toBe(first.pageUrl);
    // The same server data: the codes used before stay used, so the code helper carries over.
    const second: DeskHost = { ...withCodes(restarted), freshCode: first.freshCode };
    await openSignedOut(page, second);
    await signInAndOpen(page, second);
    await expectDraftsShown(page);
    await saveScreenshot(page, testInfo, 'case-drafts-after-restart');

    // 3. Signing out deletes the drafts, after saying so; the added note is the server's and stays.
    await page.getByRole('button', { name: 'Sign out' }).click();
    const confirm = page.getByRole('dialog', { name: 'Sign out and delete your drafts?' });
    await expect(confirm).toContainText('Your draft on 1 case will be deleted from this computer.');
    await confirm.getByRole('button', { name: 'Sign out and delete drafts' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await signInAndOpen(page, second);
    await expect(page.getByText(ADDED_NOTE)).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('textbox', { name: 'Message to both parties' })).toHaveValue('');
    await expect(page.getByRole('textbox', { name: 'New internal note' })).toHaveValue('');
    expect(await storedDraft(page)).toEqual({ message: '', note: '', verdict: null });
  } finally {
    for (const host of hosts) await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
