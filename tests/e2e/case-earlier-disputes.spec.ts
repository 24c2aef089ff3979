// Issue 4: the case header names the earlier disputes between the same two parties, as links, and says
// the payment method in the user's language. In the demo data DSP-100028 (resolved) and DSP-100029 are
// between the same buyer and seller, paid by bank transfer; DSP-100028 was opened first.
import { expect, openSignedOut, test } from './fixtures/host';
import { signIn } from './fixtures/signin';

const CASE = 'DSP-100029';
const EARLIER = 'DSP-100028';

test('the header links the earlier disputes between the two parties', async ({ page, host }, testInfo) => {
  test.setTimeout(90_000);
  await openSignedOut(page, host);
  await signIn(page, host, 'carla');
  await expect(page.getByRole('searchbox', { name: 'Search cases' })).toBeVisible({ timeout: 20_000 });

  await page.evaluate((caseId) => (window.location.hash = `#/cases/${caseId}`), CASE);
  await expect(page.getByRole('heading', { level: 1, name: CASE })).toBeVisible({ timeout: 15_000 });
  const header = page.locator('.case-header');
  await expect(header).toContainText('Earlier disputes between these two:');
  await expect(header).toContainText(`${EARLIER} (Resolved)`);
  await expect(header).toContainText('Paid by Bank transfer');

  // The link opens the earlier case, and its header has no dispute between the two before it.
  await header.getByRole('link', { name: EARLIER }).click();
  await expect(page.getByRole('heading', { level: 1, name: EARLIER })).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.case-header')).toContainText('No earlier disputes between these two');

  // In Spanish, the payment method is named in Spanish too.
  // (The language is read when the page loads, so the page is loaded again.)
  await page.evaluate(() => window.desk!.invoke('settings.set', { language: 'es' }));
  await page.evaluate((caseId) => (window.location.hash = `#/cases/${caseId}`), CASE);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: CASE })).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.case-header')).toContainText('Pagado por Transferencia bancaria');
  await expect(page.locator('.case-header')).toContainText(`Disputas anteriores entre estas dos partes: ${EARLIER} (Resuelto)`);
  await page.screenshot({ path: testInfo.outputPath('earlier-disputes-es.png') });

  // The queue's payment method filter names it in Spanish as well.
  await page.evaluate(() => (window.location.hash = '#/'));
  const filter = page.getByRole('combobox', { name: 'Método de pago' });
  await expect(filter.locator('option', { hasText: 'Transferencia bancaria' })).toHaveCount(1);
  await expect(filter.locator('option', { hasText: 'Pago Móvil' })).toHaveCount(1);
});
