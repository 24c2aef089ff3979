// "Open in new window" in the browser host: the case workspace's button opens the same case in a new tab,
// which has the desk (it starts with this tab's launch secret) and no way back to its opener. The Electron
// shell's side (a second BrowserWindow) is main's, unit tested in tests/unit/electron-deep-link.test.ts.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn } from './fixtures/signin';

// Read only, never claimed: case-workspace.spec.ts decides it, and this test only needs its screen.
const CASE_ID = 'DSP-100005';

// Both tests sign in as Ana: the second waits for her next 30 s code step, then reloads the case four times.
test.describe.configure({ timeout: 90_000 });

async function openCase(page: Page, caseId: string): Promise<void> {
  await page.evaluate((hash) => (window.location.hash = hash), `#/cases/${caseId}`);
  await expect(page.getByRole('heading', { level: 1, name: caseId })).toBeVisible({ timeout: 15_000 });
}

test('the case opens in a new tab that has the desk and no opener', async ({ signedOutPage: page, host }) => {
  await signIn(page, host, 'ana');
  await openCase(page, CASE_ID);
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Open in new window' }).click(),
  ]);
  await expect(tab.getByRole('heading', { level: 1, name: CASE_ID })).toBeVisible({ timeout: 15_000 });
  await expect(tab.getByRole('region', { name: 'Chat' })).toBeVisible();
  expect(new URL(tab.url()).hash).toBe(`#/cases/${CASE_ID}`);
  expect(await tab.evaluate(() => window.opener)).toBeNull();
  // The first tab stays on its case.
  await expect(page.getByRole('heading', { level: 1, name: CASE_ID })).toBeVisible();
  await tab.close();
});

test('the button in English and Spanish, light and dark', async ({ signedOutPage: page, host }, testInfo) => {
  await signIn(page, host, 'ana');
  await openCase(page, CASE_ID);
  const looks = [
    { language: 'en', theme: 'light', name: 'Open in new window' },
    { language: 'en', theme: 'dark', name: 'Open in new window' },
    { language: 'es', theme: 'light', name: 'Abrir en una ventana nueva' },
    { language: 'es', theme: 'dark', name: 'Abrir en una ventana nueva' },
  ] as const;
  try {
    for (const look of looks) {
      await page.evaluate((change) => window.desk!.invoke('settings.set', change), { language: look.language, theme: look.theme });
      // A reload keeps the tab's bridge and its case; the app reads the settings from the desk as it starts.
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('data-theme', look.theme);
      await expect(page.getByRole('button', { name: look.name })).toBeVisible();
      await saveScreenshot(page, testInfo, `case-new-window-${look.language}-${look.theme}`);
    }
  } finally {
    // The host's settings are shared by the worker's next tests: back to a fresh install's.
    await page.evaluate(() => window.desk!.invoke('settings.set', { language: 'system', theme: 'system' }));
  }
});
