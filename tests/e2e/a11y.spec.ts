// An axe scan of the sign-in and queue screens (and the settings dialog) in both themes: no serious or
// critical violations.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { enterPassword, PASSWORD_STEP, signIn } from './fixtures/signin';
import { DEMO_USERS } from './fixtures/host';

test.describe.configure({ timeout: 90_000 });

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
}

test('the sign-in screens have no serious accessibility violations', async ({ signedOutPage: page }, testInfo) => {
  expect(await seriousViolations(page)).toEqual([]);
  await enterPassword(page, 'wrong', 'wrong');
  await expect(page.getByRole('alert')).toBeVisible(PASSWORD_STEP);
  expect(await seriousViolations(page)).toEqual([]);
  await enterPassword(page, 'ana', DEMO_USERS.ana.password);
  await expect(page.getByRole('textbox', { name: 'Authentication code' })).toBeVisible(PASSWORD_STEP);
  expect(await seriousViolations(page)).toEqual([]);
  await saveScreenshot(page, testInfo, 'a11y-signin-code');
});

test('the queue has no serious accessibility violations, in light and dark', async ({ signedOutPage: page, host }, testInfo) => {
  await signIn(page, host, 'bruno');
  const table = page.getByRole('table', { name: 'Case queue' });
  await expect(table.getByRole('rowgroup').nth(1).getByRole('row').first()).toHaveAttribute('data-case-id', /.+/, { timeout: 30_000 });
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await page.keyboard.press('Escape');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await seriousViolations(page)).toEqual([]);
  await saveScreenshot(page, testInfo, 'queue-dark');

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('combobox', { name: 'Theme' }).selectOption('system');
});
