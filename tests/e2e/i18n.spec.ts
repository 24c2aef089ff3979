// The whole sign-in and queue flow once in Spanish, the language chosen from a Spanish system (DESIGN §6),
// and switching the language in the settings.
import { expect, test } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn, SPANISH } from './fixtures/signin';

test.describe.configure({ timeout: 90_000 });

test.describe('on a Spanish system', () => {
  test.use({ locale: 'es-ES' });

  test('sign-in and the queue speak Spanish, with Spanish number formats', async ({ signedOutPage: page, host }, testInfo) => {
    await expect(page.getByRole('heading', { name: 'Inicia sesión en Dispute Desk' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await saveScreenshot(page, testInfo, 'signin-es');
    await signIn(page, host, 'bruno', SPANISH);

    const table = page.getByRole('table', { name: 'Cola de casos' });
    await expect(table).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Todos' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('columnheader', { name: 'Caso' })).toBeVisible();
    const total = await page.evaluate(async () => {
      const result = await window.desk!.invoke('queue.query', {});
      return result.ok ? result.value.total : -1;
    });
    await expect(page.getByText(`${new Intl.NumberFormat('es-ES').format(total)} casos`, { exact: true })).toBeVisible();

    await page.getByRole('searchbox', { name: 'Buscar casos' }).fill('DSP-1000');
    await expect(table.getByRole('rowgroup').nth(1).getByRole('row').first()).toBeVisible();
    await page.getByRole('searchbox', { name: 'Buscar casos' }).fill('');
    await saveScreenshot(page, testInfo, 'queue-es');

    await page.getByRole('tab', { name: 'Sin asignar' }).click();
    await expect(page.getByRole('tab', { name: 'Sin asignar' })).toHaveAttribute('aria-selected', 'true');
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await expect(page.getByRole('button', { name: 'Iniciar sesión' })).toBeVisible();
  });
});

test('the language and theme change from the settings and stay', async ({ signedOutPage: page, host }, testInfo) => {
  await signIn(page, host, 'carla');
  await expect(page.getByRole('table', { name: 'Case queue' })).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await dialog.getByRole('combobox', { name: 'Language' }).selectOption('es');
  await expect(page.getByRole('dialog', { name: 'Configuración' })).toBeVisible();
  await saveScreenshot(page, testInfo, 'settings-dark-es');
  await page.getByRole('dialog', { name: 'Configuración' }).getByRole('button', { name: 'Cerrar' }).last().click();
  await expect(page.getByRole('table', { name: 'Cola de casos' })).toBeVisible();
  await saveScreenshot(page, testInfo, 'queue-dark-es');

  await page.reload();
  await expect(page.getByRole('table', { name: 'Cola de casos' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  // Back to the defaults, for the other tests on this host.
  await page.getByRole('button', { name: 'Configuración' }).click();
  const ajustes = page.getByRole('dialog', { name: 'Configuración' });
  await ajustes.getByRole('combobox', { name: 'Idioma' }).selectOption('system');
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('combobox', { name: 'Theme' }).selectOption('system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
