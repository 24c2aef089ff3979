// "Restart to update" in the renderer (renderer/src/app/UpdateBanner.tsx), in real Chromium against the
// browser host. The browser host has no Electron shell, so window.deskShell is stood in for by a page
// script that plays main's part: it hands notices to the page as main's updater does (the gate's decisions
// themselves are unit tested in tests/unit/update-gate.test.ts) and records the restart the page asks for.
import type { Page } from '@playwright/test';
import type { UpdateNotice } from '../../shared/desk-api/shell';
import { finishTransitions, seriousViolations } from './fixtures/a11y';
import { expect, test } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn } from './fixtures/signin';

interface FakeShell {
  notify(notice: UpdateNotice): void;
  restarts: number;
  restartAnswer: boolean;
}

declare global {
  interface Window {
    fakeShell?: FakeShell;
  }
}

/** A window.deskShell with main's update side played by the test; installed before the app's script runs. */
async function installFakeShell(page: Page): Promise<void> {
  await page.addInitScript(() => {
    let notice: UpdateNotice = { kind: 'none' };
    const listeners = new Set<(notice: UpdateNotice) => void>();
    const fake: FakeShell = {
      restarts: 0,
      restartAnswer: true,
      notify(next) {
        notice = next;
        for (const listener of listeners) listener(next);
      },
    };
    window.fakeShell = fake;
    window.deskShell = {
      openCaseWindow: () => Promise.resolve(true),
      onUpdateNotice(listener) {
        listeners.add(listener);
        listener(notice);
        return () => listeners.delete(listener);
      },
      restartToUpdate() {
        fake.restarts += 1;
        return Promise.resolve(fake.restartAnswer);
      },
    };
  });
  await page.reload();
}

const notify = (page: Page, notice: UpdateNotice) => page.evaluate((next) => window.fakeShell!.notify(next), notice);

test('offers the restart only when main says it may, and asks main when the user chooses it', async ({ signedOutPage: page, host }) => {
  await installFakeShell(page);
  await signIn(page, host, 'ana');
  const strip = page.locator('.update-banner');
  await expect(strip).toHaveAttribute('role', 'status');
  await expect(strip).toBeEmpty();

  // Held by the gate: it says why, and there is nothing to press.
  await notify(page, { kind: 'held', version: '1.4.0', why: 'step_up_pending' });
  await expect(page.getByRole('status').filter({ hasText: 'Dispute Desk 1.4.0 is ready.' })).toContainText(
    'once your verdict or approval has reached the server',
  );
  await expect(page.getByRole('button', { name: 'Restart to update' })).toHaveCount(0);

  // Main held it again when asked: the button comes back for another try.
  await notify(page, { kind: 'ready', version: '1.4.0' });
  await page.evaluate(() => (window.fakeShell!.restartAnswer = false));
  const restart = page.getByRole('button', { name: 'Restart to update' });
  await restart.click();
  await expect(restart).toBeEnabled();
  expect(await page.evaluate(() => window.fakeShell!.restarts)).toBe(1);

  // Main restarts: the button stays busy until the window goes.
  await page.evaluate(() => (window.fakeShell!.restartAnswer = true));
  await restart.click();
  await expect(restart).toBeDisabled();
  expect(await page.evaluate(() => window.fakeShell!.restarts)).toBe(2);

  await notify(page, { kind: 'none' });
  await expect(strip).toBeEmpty();
});

test('the offer in English and Spanish, light and dark, without accessibility findings', async ({ signedOutPage: page, host }, testInfo) => {
  // Ana's code of this 30 s step is often used already (by the test above, or another of the worker's),
  // so sign-in may wait for the next step; then four reloads, eight axe scans and eight screenshots.
  test.setTimeout(90_000);
  await installFakeShell(page);
  await signIn(page, host, 'ana');
  const looks = [
    { language: 'en', theme: 'light', restart: 'Restart to update', held: 'once you have given the fresh authentication code' },
    { language: 'en', theme: 'dark', restart: 'Restart to update', held: 'once you have given the fresh authentication code' },
    { language: 'es', theme: 'light', restart: 'Reiniciar para actualizar', held: 'cuando hayas dado el código de autenticación nuevo' },
    { language: 'es', theme: 'dark', restart: 'Reiniciar para actualizar', held: 'cuando hayas dado el código de autenticación nuevo' },
  ] as const;
  try {
    for (const look of looks) {
      await page.evaluate((change) => window.desk!.invoke('settings.set', change), { language: look.language, theme: look.theme });
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('data-theme', look.theme);
      await notify(page, { kind: 'ready', version: '1.4.0' });
      await expect(page.getByRole('button', { name: look.restart })).toBeVisible();
      await finishTransitions(page);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, testInfo, `update-ready-${look.language}-${look.theme}`);
      await notify(page, { kind: 'held', version: '1.4.0', why: 'step_up_needs_code' });
      await expect(page.getByRole('status').filter({ hasText: '1.4.0' })).toContainText(look.held);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, testInfo, `update-held-${look.language}-${look.theme}`);
    }
  } finally {
    // The host's settings are shared by the worker's next tests: back to a fresh install's.
    await page.evaluate(() => window.desk!.invoke('settings.set', { language: 'system', theme: 'system' }));
  }
});
