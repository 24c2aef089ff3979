// The retention period in the settings dialog (issue #11): how long decided cases stay on this computer,
// shown as the desk keeps it, refused with a plain message outside 1 to 540 days, saved for the desk's
// retention job; in English and Spanish, light and dark.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/host';
import { setTheme } from './fixtures/a11y';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn } from './fixtures/signin';

test.describe.configure({ timeout: 90_000 });

// The host's settings are shared by the worker's next tests: back to a fresh install's, as the test found them.
test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.desk?.invoke('settings.set', { language: 'system', theme: 'system', retentionDays: 30 }));
});

const storedRetention = (page: Page) =>
  page.evaluate(async () => {
    const result = await window.desk!.invoke('settings.get');
    return result.ok ? result.value.retentionDays : null;
  });

test('the retention period is set in the settings, checked, and kept by the desk', async ({ signedOutPage: page, host }, testInfo) => {
  await signIn(page, host, 'bruno');
  await expect(page.getByRole('table', { name: 'Case queue' })).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const days = dialog.getByRole('spinbutton', { name: 'Keep decided cases on this computer for (days)' });
  await expect(days).toHaveValue('30');

  await days.fill('0');
  await days.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('Enter a whole number of days from 1 to 540.');
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  expect(await storedRetention(page)).toBe(30);

  await days.fill('90');
  await days.press('Enter');
  await expect.poll(() => storedRetention(page)).toBe(90);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await saveScreenshot(page, testInfo, 'settings-retention-light-en');
  await page.keyboard.press('Escape');

  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(days).toHaveValue('90');
  await saveScreenshot(page, testInfo, 'settings-retention-dark-en');

  await dialog.getByRole('combobox', { name: 'Language' }).selectOption('es');
  const ajustes = page.getByRole('dialog', { name: 'Configuración' });
  const dias = ajustes.getByRole('spinbutton', { name: 'Conservar los casos decididos en este equipo durante (días)' });
  await dias.fill('541');
  await dias.press('Enter');
  await expect(ajustes.getByRole('alert')).toHaveText('Escribe un número entero de días de 1 a 540.');
  await saveScreenshot(page, testInfo, 'settings-retention-dark-es');
  await dias.fill('90');
  await dias.press('Enter');
  await page.keyboard.press('Escape');

  await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });
  await page.getByRole('button', { name: 'Configuración' }).click();
  await expect(dias).toHaveValue('90');
  await saveScreenshot(page, testInfo, 'settings-retention-light-es');
  expect(await storedRetention(page)).toBe(90);
});
