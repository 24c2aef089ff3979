// The whole agent flow once in Spanish, the language the desk picks on a Spanish system (DESIGN §6):
// sign in, find a case, read the chat and the evidence, claim it, refund it with a fresh code, see
// "Reembolsado" in the header, and check on the platform server itself that the escrow went back.
import { DEMO_USERS, expect, openSignedOut, test } from './fixtures/host';
import { caseOnServer } from './fixtures/platform-api';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn, SPANISH } from './fixtures/signin';

// A plain open case of the demo data (no hold, no four-eyes, unassigned, a receipt in the chat) that no
// other test touches: the seed is deterministic, and the worker's host is shared with other files.
const CASE_ID = 'DSP-100038';

test.use({ locale: 'es-ES' });

test('the whole agent flow run once in Spanish', async ({ page, host }, testInfo) => {
  // Two codes for one agent (sign-in, verdict) may mean waiting for the next 30 s step.
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  // Signed out, with the language back on the system's: another test on this worker's host may have chosen one.
  await openSignedOut(page, host);
  await expect(page.getByRole('heading', { name: 'Inicia sesión en Dispute Desk' })).toBeVisible();

  await signIn(page, host, 'ana', SPANISH);
  const search = page.getByRole('searchbox', { name: 'Buscar casos' });
  await expect(search).toBeVisible({ timeout: 20_000 });
  await search.fill(CASE_ID);
  const row = page.getByRole('table', { name: 'Cola de casos' }).getByRole('row').filter({ hasText: CASE_ID });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await row.click();
  const workspace = page.getByRole('article', { name: `Caso ${CASE_ID}` });
  await expect(workspace.getByRole('heading', { level: 1, name: CASE_ID })).toBeVisible({ timeout: 15_000 });

  // The chat: the parties' words and the platform's own events.
  const chat = workspace.getByRole('region', { name: 'Chat' });
  await expect(chat).toContainText('Abro disputa para que revisen.');
  await expect(chat.getByText(/abrió una disputa/)).toBeVisible();

  // The receipt in the chat opens in the evidence viewer, and the image really loaded.
  await chat.getByRole('button', { name: /^Mostrar .* en el visor de evidencias$/ }).first().click();
  const evidence = workspace.getByRole('region', { name: 'Evidencias' });
  const receipt = evidence.getByRole('img', { name: /\.png$/ });
  await expect(receipt).toBeVisible();
  await expect.poll(() => receipt.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  await expect(evidence.locator('code')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(workspace.getByRole('region', { name: 'Identidad' })).toBeVisible();

  await workspace.getByRole('button', { name: 'Tomar el caso' }).click();
  const refund = workspace.getByRole('button', { name: 'Reembolsar al vendedor' });
  await expect(refund).toBeEnabled({ timeout: 15_000 });
  await refund.click();

  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('volverán de la custodia al vendedor');
  await dialog.getByRole('combobox', { name: 'Motivo' }).selectOption({ label: 'Pago no recibido' });
  await dialog.getByRole('textbox', { name: 'Justificación' }).fill('El estado de cuenta del vendedor no muestra la transferencia del comprador.');
  await dialog.getByRole('textbox', { name: 'Código de autenticación' }).fill(await host.freshCode(DEMO_USERS.ana.secret));
  await saveScreenshot(page, testInfo, 'verdict-dialog-es');
  await dialog.getByRole('button', { name: 'Confirmar reembolso' }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByTestId('escrow-state')).toHaveText('Reembolsado', { timeout: 20_000 });
  await expect(refund).toBeDisabled();
  await saveScreenshot(page, testInfo, 'case-refunded-es');
  expect(await caseOnServer(page, host, CASE_ID)).toMatchObject({ status: 'resolved', escrow: { state: 'refunded' } });
});
