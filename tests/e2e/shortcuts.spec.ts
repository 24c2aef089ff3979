// Keyboard-first: "/" focuses the search, "?" opens the overlay that lists every shortcut, c claims, r
// opens the release dialog (which still asks for the code), and none of them fires while typing in a field.
import type { Page } from '@playwright/test';
import { DEMO_USERS, expect, openSignedOut, test, type DeskHost } from './fixtures/host';
import { plainUnassignedCase } from './fixtures/cases';
import { saveScreenshot } from './fixtures/screenshots';

async function signInAsAna(page: Page, host: DeskHost): Promise<void> {
  await openSignedOut(page, host);
  await page.getByRole('textbox', { name: 'Username' }).fill('ana');
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_USERS.ana.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('textbox', { name: 'Authentication code' }).fill(await host.freshCode(DEMO_USERS.ana.secret));
  const verify = page.getByRole('button', { name: 'Verify' });
  if (await verify.isVisible().catch(() => false)) await verify.click().catch(() => undefined);
  await expect(page.getByRole('searchbox', { name: 'Search cases' })).toBeVisible({ timeout: 20_000 });
}

async function setLook(page: Page, language: 'en' | 'es', theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate(async ([language, theme]) => window.desk?.invoke('settings.set', { language, theme }), [language, theme] as const);
  await page.reload();
  await expect(page.getByRole('searchbox')).toBeVisible({ timeout: 20_000 });
}

/** The host's settings are shared by the worker's next tests: back to a fresh install's. */
const resetLook = (page: Page) => page.evaluate(() => window.desk?.invoke('settings.set', { language: 'system', theme: 'system' }));

const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

test('/ focuses the search and ? lists the shortcuts, in English and Spanish, light and dark', async ({ page, host }, testInfo) => {
  test.setTimeout(90_000);
  await signInAsAna(page, host);
  const search = page.getByRole('searchbox', { name: 'Search cases' });
  await blur(page);
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  // Typed in the search box, "?" and "/" are text: no overlay opens.
  await page.keyboard.type('?/');
  await expect(search).toHaveValue('?/');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await search.fill('');
  await blur(page);

  await page.keyboard.press('?');
  const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(overlay).toBeVisible();
  for (const [key, action] of [
    ['/', 'Search cases'],
    ['c', 'Claim the case'],
    ['n', 'Write an internal note'],
    ['r', 'Release to buyer (opens the dialog)'],
    ['f', 'Refund to seller (opens the dialog)'],
    ['j', 'Next case'],
  ]) {
    await expect(overlay.locator('.shortcuts__item').filter({ has: page.locator('kbd').getByText(key!, { exact: true }) })).toContainText(action!);
  }
  await page.keyboard.press('Escape');
  await expect(overlay).toBeHidden();

  try {
    for (const [language, theme] of [['en', 'light'], ['en', 'dark'], ['es', 'light'], ['es', 'dark']] as const) {
      await setLook(page, language, theme);
      await blur(page);
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: language === 'en' ? 'Keyboard shortcuts' : 'Atajos de teclado' })).toBeVisible();
      await saveScreenshot(page, testInfo, `shortcuts-${language}-${theme}`);
      await page.keyboard.press('Escape');
    }
  } finally {
    await resetLook(page);
  }
});

test('on a case: keys typed in the note are text; c claims and r opens the release dialog, which asks for the code', async ({ page, host }) => {
  test.setTimeout(90_000);
  await signInAsAna(page, host);
  // The worker's host is shared: a fixed case may already be claimed or decided by an earlier test.
  const caseId = await plainUnassignedCase(page);
  await page.getByRole('searchbox', { name: 'Search cases' }).fill(caseId);
  const table = page.getByRole('table', { name: 'Case queue' });
  await expect(table).toHaveAttribute('aria-rowcount', '2', { timeout: 15_000 });
  await table.getByRole('row').filter({ hasText: caseId }).click();
  await expect(page.getByRole('heading', { level: 1, name: caseId })).toBeVisible({ timeout: 15_000 });
  const claim = page.getByRole('button', { name: 'Claim case' });
  await expect(claim).toBeEnabled();

  await blur(page);
  await page.keyboard.press('n');
  const note = page.getByRole('textbox', { name: 'New internal note' });
  await expect(note).toBeFocused();
  await page.keyboard.type('crf?/ n');
  await expect(note).toHaveValue('crf?/ n');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(claim).toBeEnabled();
  await note.fill('');

  await blur(page);
  await page.keyboard.press('c');
  const release = page.getByRole('button', { name: 'Release to buyer' });
  await expect(release).toBeEnabled({ timeout: 15_000 });
  await blur(page);
  await page.keyboard.press('r');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Confirm release' })).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Authentication code' })).toBeVisible();
  // Inside the dialog the keys are the dialog's: f does not swap it for the refund dialog.
  await dialog.getByRole('textbox', { name: 'Rationale' }).press('f');
  await expect(dialog.getByRole('button', { name: 'Confirm release' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
