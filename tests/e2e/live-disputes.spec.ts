// Disputes arriving live from the exchange (issue #10), as an agent sees them: the bundled server takes
// signed platform events (PLATFORM_EVENTS_SECRET), and while Ana has the queue on screen this test plays an
// exchange: a trade opens, the parties chat in Spanish, the buyer uploads a receipt and opens a dispute.
// The case appears in the queue without a reload; its workspace shows the chat, the receipt and the
// parties; a message sent while it is open appears at once. A second trade's release, which happened on
// the exchange before its dispute opened but arrives after it, settles that case: the workspace says so and
// offers no verdict. An axe scan of each screen; screenshots in English and Spanish, light and dark, into
// /tmp/shots/live-disputes.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { PlatformEvent } from '../../shared/api/platform-events';
import { signedHeaders } from '../../electron/server/webhooks/standard-webhooks';
import { renderReceiptPng } from '../../electron/seed/images';
import { startBrowserHost } from './browser-host';
import { expect, openSignedOut, test, withCodes } from './fixtures/host';
import { ENGLISH, signIn } from './fixtures/signin';
import { seriousViolations, setTheme } from './fixtures/a11y';

test.describe.configure({ timeout: 240_000 });

const SECRET = 'e2e-platform-events-secret';
const SHOTS = '/tmp/shots/live-disputes';

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Back to the queue through the main navigation, in the screen's language. */
async function toQueue(page: Page, navigation: string, cases: string) {
  await page.getByRole('navigation', { name: navigation }).getByRole('link', { name: cases }).click();
}

/** An exchange that signs its events as Standard Webhooks do and posts them to the platform server. */
function exchangeAt(serverUrl: string) {
  return async function send(event: PlatformEvent): Promise<{ caseId: string | null }> {
    const body = JSON.stringify(event);
    const response = await fetch(`${serverUrl}/v1/platform/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders([SECRET], `msg_${randomUUID()}`, body) },
      body,
    });
    const answer = (await response.json()) as { caseId: string | null; status?: string };
    expect(response.status, JSON.stringify(answer)).toBe(200);
    expect(answer.status).toBe('applied');
    return answer;
  };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const shortId = () => randomUUID().slice(0, 8);

function tradeOpened(tradeId: string, names: { buyer: string; seller: string }): PlatformEvent {
  return {
    type: 'trade.opened',
    timestamp: minutesAgo(40),
    data: {
      tradeId,
      buyer: { id: `P-${shortId()}`, displayName: names.buyer, country: 'VE', kycStatus: 'verified', accountCreatedAt: '2024-06-03T14:00:00.000Z' },
      seller: { id: `P-${shortId()}`, displayName: names.seller, country: 'VE', kycStatus: 'verified', accountCreatedAt: '2023-11-20T09:30:00.000Z' },
      asset: 'USDT',
      amount: '180.000000',
      fiatCurrency: 'VES',
      fiatAmount: '6570.00',
      price: '36.50',
      paymentMethod: 'Pago Móvil',
    },
  };
}

const message = (tradeId: string, minutes: number, sender: 'buyer' | 'seller', body: string, evidence?: string[]): PlatformEvent => ({
  type: 'trade.message',
  timestamp: minutesAgo(minutes),
  data: { tradeId, messageId: `m-${shortId()}`, sender, body, ...(evidence ? { evidence } : {}) },
});

const dispute = (tradeId: string, minutes: number): PlatformEvent => ({
  type: 'dispute.opened',
  timestamp: minutesAgo(minutes),
  data: { tradeId, openedBy: 'buyer', reason: 'Pagué por Pago Móvil y el vendedor no libera los USDT.' },
});

const RECEIPT = renderReceiptPng({
  bank: 'Banco de Venezuela',
  method: 'Pago Móvil',
  amount: '6570',
  currency: 'VES',
  payerName: 'Valentina Rojas',
  payerAccount: '0414-5550123',
  payeeName: 'Andrés Quintero',
  payeeAccount: '0424-5559876',
  reference: '00123456789',
  paidAt: '2025-06-01T10:15:00-04:00',
  locale: 'es',
  seed: `live-disputes-${shortId()}`,
});

/** The seller's own banking app, showing the payment arrived. */
const STATEMENT = renderReceiptPng({
  bank: 'Banesco',
  method: 'Pago Móvil',
  amount: '6570',
  currency: 'VES',
  payerName: 'Valentina Rojas',
  payerAccount: '0414-5550123',
  payeeName: 'Andrés Quintero',
  payeeAccount: '0424-5559876',
  reference: '00123456789',
  paidAt: '2025-06-01T10:15:00-04:00',
  locale: 'es',
  seed: `live-disputes-seller-${shortId()}`,
});

test('a dispute arrives while the agent works, chat and receipt live, and a late release settles another', async ({ page }) => {
  const host = withCodes(await startBrowserHost({ env: { PLATFORM_EVENTS_SECRET: SECRET } }));
  try {
    await page.setViewportSize({ width: 1440, height: 1100 });
    await openSignedOut(page, host);
    await signIn(page, host, 'ana', ENGLISH);
    const search = page.getByRole('searchbox', { name: 'Search cases' });
    await expect(search).toBeVisible({ timeout: 20_000 });
    const state = await page.evaluate(() => window.desk!.invoke('session.state'));
    if (!state.ok) throw new Error(state.error.message);
    const send = exchangeAt(state.value.serverUrl);

    // A trade opens on the exchange, the parties chat in Spanish, the buyer uploads a receipt: no case yet.
    const tradeId = `T-live-${shortId()}`;
    const caseId = `DSP-${tradeId}`;
    await send(tradeOpened(tradeId, { buyer: 'Valentina Rojas', seller: 'Andrés Quintero' }));
    await send(message(tradeId, 35, 'buyer', 'Hola Andrés, ya te hice el Pago Móvil por los 6.570 Bs.'));
    await send({
      type: 'trade.receipt',
      timestamp: minutesAgo(34),
      data: { tradeId, uploadedBy: 'buyer', fileName: 'comprobante-pago-movil.png', contentBase64: RECEIPT.toString('base64') },
    });
    const sha256 = createHash('sha256').update(RECEIPT).digest('hex');
    await send(message(tradeId, 34, 'buyer', 'Aquí está el comprobante.', [sha256]));
    await send(message(tradeId, 30, 'seller', 'No me ha llegado nada todavía, déjame revisar.'));
    await send({ type: 'trade.paid', timestamp: minutesAgo(33), data: { tradeId } });

    // The queue is on screen, filtered on the case that does not exist yet; the dispute opens.
    await search.fill(caseId);
    const queue = page.getByRole('table', { name: 'Case queue' });
    const row = queue.getByRole('row').filter({ hasText: caseId });
    await expect(row).toHaveCount(0);
    expect((await send(dispute(tradeId, 20))).caseId).toBe(caseId);
    await expect(row).toBeVisible({ timeout: 20_000 });
    await expect(row).toContainText('Pago Móvil');
    await expect(row).toContainText('Open');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'queue-live-case-en-light');

    // The workspace: the parties, the chat as it was before the dispute, the receipt.
    await row.getByRole('link', { name: caseId }).click();
    await expect(page.getByRole('heading', { level: 1, name: caseId })).toBeVisible({ timeout: 15_000 });
    const workspace = page.getByRole('article', { name: `Case ${caseId}` });
    await expect(workspace.getByText('Valentina Rojas').first()).toBeVisible();
    await expect(workspace.getByText('Andrés Quintero').first()).toBeVisible();
    const chat = page.getByRole('region', { name: 'Chat' });
    const lines = chat.locator('.case-chat__body');
    await expect(lines).toHaveText([
      'Hola Andrés, ya te hice el Pago Móvil por los 6.570 Bs.',
      'Aquí está el comprobante.',
      'No me ha llegado nada todavía, déjame revisar.',
    ]);
    await expect(chat.getByRole('button', { name: 'Show comprobante-pago-movil.png in the evidence viewer' })).toBeVisible();
    const evidence = page.getByRole('region', { name: 'Evidence' });
    await expect(evidence.getByRole('button', { name: /Receipt\s*comprobante-pago-movil\.png/ })).toBeVisible();
    await expect(evidence.getByRole('img', { name: /comprobante-pago-movil\.png/ })).toBeVisible({ timeout: 15_000 });
    await expect(evidence.getByText(/^Uploaded by .*Valentina Rojas/)).toBeVisible();
    await expect(evidence.locator('code')).toHaveText(sha256);

    // A message while the case is open appears without a reload, at the bottom.
    await send(message(tradeId, 1, 'seller', 'Ya revisé el banco y sí llegó. Libero ahora mismo, disculpa.'));
    await expect(lines.last()).toHaveText('Ya revisé el banco y sí llegó. Libero ahora mismo, disculpa.', { timeout: 20_000 });
    await expect(lines).toHaveCount(4);
    // And a file the seller uploads now: listed after the buyer's, its bytes fetched and shown.
    await send({
      type: 'trade.receipt',
      timestamp: minutesAgo(1),
      data: { tradeId, uploadedBy: 'seller', fileName: 'movimientos-banco.png', contentBase64: STATEMENT.toString('base64') },
    });
    const files = evidence.getByRole('list', { name: 'Files of this case' }).getByRole('button');
    await expect(files).toHaveText([/comprobante-pago-movil\.png/, /movimientos-banco\.png/], { timeout: 20_000 });
    await files.last().click();
    await expect(evidence.getByRole('img', { name: /movimientos-banco\.png/ })).toBeVisible({ timeout: 15_000 });
    await expect(evidence.getByText(/^Uploaded by .*Andrés Quintero/)).toBeVisible();
    await files.first().click();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'workspace-live-en-light');

    // A second trade: disputed, and then the seller's release, which happened on the exchange two minutes
    // before the dispute opened, arrives while its case is open.
    const settledTradeId = `T-late-${shortId()}`;
    const settledCaseId = `DSP-${settledTradeId}`;
    await send(tradeOpened(settledTradeId, { buyer: 'Camila Herrera', seller: 'Luis Fernández' }));
    await send(message(settledTradeId, 25, 'buyer', 'Pagué hace rato, ¿me liberas por favor?'));
    await send(dispute(settledTradeId, 10));
    await toQueue(page, 'Main', 'Cases');
    await search.fill(settledCaseId);
    await queue.getByRole('row').filter({ hasText: settledCaseId }).getByRole('link', { name: settledCaseId }).click();
    await expect(page.getByRole('heading', { level: 1, name: settledCaseId })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('button', { name: 'Claim case' })).toBeEnabled();
    await send({ type: 'trade.released', timestamp: minutesAgo(12), data: { tradeId: settledTradeId } });

    const banner = page.getByTestId('settled-on-exchange');
    await expect(banner).toBeVisible({ timeout: 20_000 });
    await expect(banner).toContainText('Settled on the exchange: the seller released the crypto to the buyer on');
    await expect(banner).toContainText('before the dispute opened');
    await expect(page.getByTestId('escrow-state')).toHaveText('Released');
    for (const action of ['Claim case', 'Release to buyer', 'Refund to seller'])
      await expect(page.getByRole('button', { name: action })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Case actions' })).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'settled-on-exchange-en-light');

    await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'settled-on-exchange-en-dark');

    // The settled case in the queue: resolved, no SLA left, nothing broken.
    await toQueue(page, 'Main', 'Cases');
    const settledRow = queue.getByRole('row').filter({ hasText: settledCaseId });
    await expect(settledRow).toContainText('Resolved');
    await shot(page, 'queue-settled-case-en-dark');
    await search.fill(caseId);
    await expect(row).toBeVisible();
    await shot(page, 'queue-live-case-en-dark');

    // Spanish, dark then light.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('combobox', { name: 'Language' }).selectOption('es');
    await page.getByRole('dialog', { name: 'Configuración' }).getByRole('button', { name: 'Cerrar' }).last().click();
    const cola = page.getByRole('table', { name: 'Cola de casos' });
    await expect(cola.getByRole('row').filter({ hasText: caseId })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'queue-live-case-es-dark');
    await cola.getByRole('row').filter({ hasText: caseId }).getByRole('link', { name: caseId }).click();
    await expect(page.getByRole('region', { name: 'Chat' }).locator('.case-chat__body')).toHaveCount(4);
    await shot(page, 'workspace-live-es-dark');
    await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'workspace-live-es-light');

    await toQueue(page, 'Principal', 'Casos');
    await page.getByRole('searchbox').fill(settledCaseId);
    await cola.getByRole('row').filter({ hasText: settledCaseId }).getByRole('link', { name: settledCaseId }).click();
    await expect(banner).toContainText(
      'Resuelto en el exchange: el vendedor liberó las criptomonedas al comprador el',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'settled-on-exchange-es-light');
    await setTheme(page, 'dark', { settings: 'Configuración', theme: 'Tema' });
    await shot(page, 'settled-on-exchange-es-dark');
    await toQueue(page, 'Principal', 'Casos');
    await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });
    await page.getByRole('searchbox').fill(caseId);
    await expect(cola.getByRole('row').filter({ hasText: caseId })).toBeVisible();
    await shot(page, 'queue-live-case-es-light');
  } finally {
    await host.stop();
  }
});
