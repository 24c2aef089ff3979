// Accounts end to end (issue #11) against the real browser host and bundled server: sofia creates a person
// on the People screen with a fresh code and copies the invitation; the person redeems it in the signed-out
// desk, enrols with the QR secret and gets to the queue; sofia disables them (through the server's API, as
// from another desk) and their session ends at once. Screenshots EN/ES, light and dark.
import type { Page, TestInfo } from '@playwright/test';
import { seriousViolations, setTheme } from './fixtures/a11y';
import { DEMO_USERS, expect, openSignedOut, test, type DeskHost } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn, SPANISH } from './fixtures/signin';

test.describe.configure({ timeout: 120_000 });

/** sofia's session on the server itself, for acting as if from another desk while the person is signed in. */
async function sofiaOnServer(page: Page, host: DeskHost) {
  const state = await page.evaluate(() => window.desk!.invoke('session.state'));
  if (!state.ok) throw new Error(`the desk gave no session state: ${state.error.message}`);
  const api = `${state.value.serverUrl}/v1`;
  const { password, secret } = DEMO_USERS.sofia;
  const login = await page.request.post(`${api}/auth/login`, { data: { username: 'sofia', password } });
  const { loginToken } = (await login.json()) as { loginToken: string };
  const session = await page.request.post(`${api}/auth/totp`, { data: { loginToken, code: await host.freshCode(secret) } });
  const { accessToken } = (await session.json()) as { accessToken: string };
  return { api, headers: { authorization: `Bearer ${accessToken}` } };
}

const shot = (page: Page, testInfo: TestInfo, name: string) => saveScreenshot(page, testInfo, `people-${name}`);

test('a supervisor adds a person, who enrols by the invitation; disabling them ends their session at once', async ({
  signedOutPage: page,
  host,
  context,
}, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, host, 'sofia');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
  const table = page.getByRole('table', { name: 'People' });
  await expect(table.getByRole('row', { name: /Diego Paredes/ })).toContainText('Invited until');
  await expect(table.getByRole('row', { name: /Sofía Herrera/ })).toContainText('you');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'en-light');

  await page.getByRole('button', { name: 'Add person' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a person' });
  await dialog.getByRole('textbox', { name: 'Username' }).fill('nadia');
  await dialog.getByRole('textbox', { name: 'Display name' }).fill('Nadia Torres');
  await dialog.getByRole('combobox', { name: 'Role' }).selectOption('agent');
  await dialog.getByRole('textbox', { name: 'Authentication code' }).fill(await host.freshCode(DEMO_USERS.sofia.secret));
  await shot(page, testInfo, 'create-en-light');
  await dialog.getByRole('button', { name: 'Create account' }).click();

  const invitation = page.getByRole('region', { name: 'Invitation for Nadia Torres' });
  await expect(invitation).toBeVisible();
  await invitation.getByRole('button', { name: 'Copy invitation' }).click();
  await expect(invitation.getByRole('button', { name: 'Copied' })).toBeVisible();
  const token = await page.evaluate(() => navigator.clipboard.readText());
  expect(token).toBe((await page.getByTestId('invitation-code').innerText()).trim());
  await expect(table.getByRole('row', { name: /Nadia Torres/ })).toContainText('Invited until');
  expect(await seriousViolations(page)).toEqual([]);
  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  await shot(page, testInfo, 'invitation-en-dark');
  await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });
  await invitation.getByRole('button', { name: 'Done' }).click();
  await expect(invitation).toBeHidden();

  // Nadia, at a signed-out desk.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'I have an invitation' }).click();
  await page.getByRole('textbox', { name: 'Invitation code' }).fill(token);
  await page.getByLabel('Choose a password', { exact: true }).fill('nadia-chosen-password');
  await page.getByLabel('Repeat the password', { exact: true }).fill('nadia-chosen-password');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  await page.getByRole('textbox', { name: 'Authentication code' }).fill(await host.freshCode(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  const firstCodes = page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
  await expect(firstCodes).toHaveCount(10);
  const enrolmentCodes = await firstCodes.allInnerTexts();
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  await expect(page.getByRole('table', { name: 'Case queue' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Nadia Torres');

  // Nadia draws new backup codes in the settings, with a fresh code of her own.
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('textbox', { name: 'Authentication code' }).fill(await host.freshCode(secret));
  await settings.getByRole('button', { name: 'Get new backup codes' }).click();
  const newCodes = settings.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
  await expect(newCodes).toHaveCount(10);
  expect(await newCodes.allInnerTexts()).not.toContain(enrolmentCodes[0]);
  await shot(page, testInfo, 'backup-codes-en-light');
  await page.keyboard.press('Escape');

  // sofia disables Nadia from elsewhere: the desk's event stream closes, and the desk is signed out.
  const sofia = await sofiaOnServer(page, host);
  const accounts = (await (await page.request.get(`${sofia.api}/accounts`, { headers: sofia.headers })).json()) as {
    accounts: { id: string; username: string }[];
  };
  const nadia = accounts.accounts.find((account) => account.username === 'nadia')!;
  const disabled = await page.request.post(`${sofia.api}/accounts/${nadia.id}/disable`, {
    headers: sofia.headers,
    data: { totp: await host.freshCode(DEMO_USERS.sofia.secret) },
  });
  expect(disabled.status()).toBe(200);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Your session expired' })).toBeVisible();
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });

  test('sofia ve Personas y el diálogo de desactivar, en español', async ({ page, host }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await openSignedOut(page, host);
    await page.getByRole('button', { name: 'Tengo una invitación' }).click();
    await expect(page.getByRole('heading', { name: 'Únete a Dispute Desk' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Código de invitación' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'signin-invitation-es-light');
    await page.getByRole('button', { name: 'Volver al inicio de sesión' }).click();
    await signIn(page, host, 'sofia', SPANISH);
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Personas' }).click();
    const table = page.getByRole('table', { name: 'Personas' });
    for (const column of ['Nombre', 'Usuario', 'Rol', 'Estado', 'Acciones'])
      await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'es-light');
    await setTheme(page, 'dark', { settings: 'Configuración', theme: 'Tema' });
    await page.getByRole('button', { name: 'Desactivar a Ana Rodríguez' }).click();
    const dialog = page.getByRole('dialog', { name: 'Desactivar a Ana Rodríguez' });
    await expect(dialog.getByRole('textbox', { name: 'Código de autenticación' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'disable-es-dark');
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    await shot(page, testInfo, 'es-dark');
    await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });
  });
});
