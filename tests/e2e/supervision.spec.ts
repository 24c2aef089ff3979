// The supervisor's workspace in Chromium (issue #9): sofia signs in, opens Supervision, reads the
// "Verdict history" of the demo data, filters it by agent, exports it as CSV (the file's rows are the
// filtered ones), finds this week's quality review not drawn yet, scores a verdict of last week's and sees
// the agent's figures count it; an axe scan of each view; screenshots in English and Spanish, light and
// dark, into /tmp/shots/supervision.
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { isoWeekOf } from '../../shared/domain/iso-week';
import { startBrowserHost } from './browser-host';
import { expect, openSignedOut, test, withCodes } from './fixtures/host';
import { ENGLISH, signIn, SPANISH } from './fixtures/signin';
import { seriousViolations, setTheme } from './fixtures/a11y';

test.describe.configure({ timeout: 180_000 });

const SHOTS = '/tmp/shots/supervision';

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The week the quality review opens on: the last one that has ended, by this machine's clock (as the host's). */
const lastEndedWeek = () => isoWeekOf(new Date(Date.now() - 7 * 86_400_000));

/** The number in an agent's "Reviews" cell of the figures table. */
async function reviewsOf(figures: Locator, username: string): Promise<number> {
  return Number(await figures.locator(`tr[data-agent="${username}"] [data-figure="reviews"]`).innerText());
}

test('sofia reads the verdict history, filters and exports it, and scores a verdict of last week', async ({ page, host }) => {
  await page.setViewportSize({ width: 1440, height: 1400 });
  await openSignedOut(page, host);
  await signIn(page, host, 'sofia', ENGLISH);

  // Keyboard: the navigation link is reachable and opens the screen.
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supervision' });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/supervision$/);
  await expect(page.getByRole('heading', { name: 'Supervision', level: 1 })).toBeVisible();
  // The desk's own check of the audit chain heads the screen (DESIGN §6).
  await expect(page.getByText('Audit chain verified')).toBeVisible({ timeout: 30_000 });

  const table = page.getByRole('table', { name: 'Verdict history' });
  await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
  for (const column of ['Decided', 'Case', 'Agent', 'Outcome', 'Amount', 'Reason', 'Time to resolve', 'Approver'])
    await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
  const allRows = await table.locator('tbody tr').count();
  expect(allRows).toBeGreaterThanOrEqual(20);
  // Both outcomes, reasons in words, approvals by Sofia and a proposal that was sent back.
  await expect(table.getByText('Released').first()).toBeVisible();
  await expect(table.getByText('Refunded').first()).toBeVisible();
  await expect(table.getByText('Payment confirmed').first()).toBeVisible();
  await expect(table.getByRole('cell', { name: /^Sofía/ }).first()).toBeVisible();
  await expect(table.getByText('sent back once').first()).toBeVisible();
  const figures = page.getByRole('table', { name: 'Agent figures' });
  await expect(figures.locator('tr[data-agent="ana"]')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'history-en-light');
  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'history-en-dark');
  await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });

  // Filter by agent: only Ana's verdicts.
  await page.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Ana Rodríguez' });
  // Both at once: while the filtered page loads, the table may be empty for a moment.
  const onlyAnas = async () =>
    (await table.locator('tbody tr:not([data-agent="ana"])').count()) === 0 && (await table.locator('tbody tr[data-agent="ana"]').count()) > 0;
  await expect.poll(onlyAnas, { timeout: 15_000 }).toBe(true);
  const anaRows = await table.locator('tbody tr').count();
  expect(anaRows).toBeLessThan(allRows);
  const shownIds = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id')));

  // Export CSV: the file holds exactly the filtered verdicts.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^verdicts-.*\.csv$/);
  const lines = readFileSync(await file.path(), 'utf8').split('\r\n');
  expect(lines[0]).toBe(
    'case_id,agent_username,agent_name,outcome,reason_code,asset,amount,fiat_currency,fiat_amount,opened_at,decided_at,time_to_resolve_seconds,approver_username,approver_name,sent_back_count',
  );
  const rows = lines.slice(1).filter((line) => line !== '');
  expect(rows.map((row) => row.split(',')[1])).toEqual(rows.map(() => 'ana'));
  expect(rows.map((row) => row.split(',')[0]).sort()).toEqual([...shownIds].sort());

  // The quality review: score a verdict this supervisor took no part in.
  await page.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Any agent' });
  await page.getByRole('navigation', { name: 'Supervision views' }).getByRole('link', { name: 'Quality review' }).click();
  await expect(page.getByRole('heading', { name: 'Quality review' })).toBeVisible();
  const weekName = page.getByText(/^Week \d{4}-W\d{2} /);
  // It opens on the last week that has ended (the demo's verdicts span four weeks, so it has a sample).
  await expect(weekName).toContainText(`Week ${lastEndedWeek()} `, { timeout: 15_000 });
  // This week has no sample yet: it is drawn when the week ends, and nothing can be scored.
  await page.getByRole('button', { name: 'Next week' }).click();
  await expect(weekName).toContainText(`Week ${isoWeekOf(new Date())} `, { timeout: 15_000 });
  await expect(page.getByText(/^This week’s sample is drawn when the week ends \(on .+\)\.$/)).toBeVisible();
  await expect(page.getByRole('form')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Next week' })).toBeDisabled();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'review-open-en-light');
  await page.getByRole('button', { name: 'Previous week' }).click();
  await expect(weekName).toContainText(`Week ${lastEndedWeek()} `, { timeout: 15_000 });
  const card = page.locator('article[data-status="pending"]').filter({ has: page.getByRole('form') }).first();
  await expect(card).toBeVisible({ timeout: 15_000 });
  const form = card.getByRole('form');
  const reviewId = await card.getAttribute('data-review-id');
  const agentName = (await form.getAttribute('aria-label'))!.split(' · ')[1]!;
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'review-en-light');

  // A "no" without a comment is refused with a readable message, in the form.
  await form.getByRole('group', { name: 'Was the evidence sufficient?' }).getByRole('radio', { name: 'Yes' }).check();
  await form.getByRole('group', { name: 'Is the reason code right?' }).getByRole('radio', { name: 'Yes' }).check();
  await form.getByRole('group', { name: 'Is the rationale clear?' }).getByRole('radio', { name: 'No' }).check();
  await form.getByRole('group', { name: 'Did the right party get the payout?' }).getByRole('radio', { name: 'Yes' }).check();
  await form.getByRole('button', { name: 'Submit review' }).click();
  await expect(form.getByRole('alert')).toHaveText('Say why in a comment: an answer is no.');
  await form.getByRole('textbox', { name: 'Comment' }).fill('The rationale does not say which statement line shows the credit.');
  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'review-en-dark');
  await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });

  // The figures before, then the scorecard, then the figures again.
  await page.getByRole('link', { name: 'Verdicts and figures' }).click();
  const username = agentName.startsWith('Ana') ? 'ana' : 'bruno';
  await expect(figures.locator(`tr[data-agent="${username}"]`)).toBeVisible({ timeout: 15_000 });
  const before = await reviewsOf(figures, username);
  await page.getByRole('link', { name: 'Quality review' }).click();
  const again = page.locator(`article[data-review-id="${reviewId}"]`);
  await expect(again).toBeVisible({ timeout: 15_000 });
  // The form on a page read again starts empty: answer it once more, all yes but the rationale.
  const answers = again.getByRole('form');
  for (const question of ['Was the evidence sufficient?', 'Is the reason code right?', 'Did the right party get the payout?'])
    await answers.getByRole('group', { name: question }).getByRole('radio', { name: 'Yes' }).check();
  await answers.getByRole('group', { name: 'Is the rationale clear?' }).getByRole('radio', { name: 'No' }).check();
  await answers.getByRole('textbox', { name: 'Comment' }).fill('The rationale does not say which statement line shows the credit.');
  await answers.getByRole('button', { name: 'Submit review' }).click();
  await expect(again).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  await expect(again.getByText(/^Reviewed by Sofía Herrera on .*: 3 \/ 4\./)).toBeVisible();
  await shot(page, 'review-done-en-light');

  await page.getByRole('link', { name: 'Verdicts and figures' }).click();
  await expect.poll(() => reviewsOf(figures, username), { timeout: 15_000 }).toBe(before + 1);
  await figures.scrollIntoViewIfNeeded();
  await shot(page, 'figures-en-light');
  // A keyboard user reaches a case from the history.
  const caseLink = table.getByRole('link').first();
  const caseId = await caseLink.innerText();
  await caseLink.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}$`));
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });

  test('sofia lee el historial de veredictos y la revisión de calidad, en español', async ({ page, host }) => {
    await page.setViewportSize({ width: 1440, height: 1400 });
    await openSignedOut(page, host);
    await signIn(page, host, 'sofia', SPANISH);
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Supervisión' }).click();
    const table = page.getByRole('table', { name: 'Historial de veredictos' });
    await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
    for (const column of ['Decidido', 'Caso', 'Agente', 'Resultado', 'Importe', 'Motivo', 'Tiempo de resolución', 'Aprobado por'])
      await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Cifras por agente' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Exportar CSV' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'history-es-light');
    await setTheme(page, 'dark', { settings: 'Configuración', theme: 'Tema' });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'history-es-dark');

    await page.getByRole('link', { name: 'Revisión de calidad' }).click();
    await expect(page.getByRole('heading', { name: 'Revisión de calidad' })).toBeVisible();
    const weekName = page.getByText(/^Semana \d{4}-W\d{2}/);
    await expect(weekName).toContainText(`Semana ${lastEndedWeek()} `, { timeout: 15_000 });
    await expect(page.locator('article[data-review-id]').first()).toBeVisible({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'review-es-dark');
    await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });
    await shot(page, 'review-es-light');
    await page.getByRole('button', { name: 'Semana siguiente' }).click();
    await expect(weekName).toContainText(`Semana ${isoWeekOf(new Date())} `, { timeout: 15_000 });
    await expect(page.getByText(/^La muestra de esta semana se extrae cuando termine la semana \(el .+\)\.$/)).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'review-open-es-light');
  });
});

// Deliveries to the exchange (issue #10): a host of its own whose bundled server sends its events to a
// receiver here, which takes the first two and then answers 503, so the log shows both states.
test('sofia reads the deliveries to the exchange', async ({ page }) => {
  let requests = 0;
  const receiver = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(++requests <= 2 ? 200 : 503).end());
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const receiverHost = `127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const host = withCodes(
    await startBrowserHost({
      env: { PLATFORM_OUTBOUND_URL: `http://${receiverHost}/hooks/desk`, PLATFORM_OUTBOUND_SECRET: 'e2e-outbound-secret-of-32-bytes' },
    }),
  );
  try {
    await page.setViewportSize({ width: 1440, height: 1100 });
    await openSignedOut(page, host);
    await signIn(page, host, 'sofia', ENGLISH);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supervision' }).click();
    await page.getByRole('navigation', { name: 'Supervision views' }).getByRole('link', { name: 'Deliveries to the exchange' }).click();
    await expect(page).toHaveURL(/#\/supervision\/deliveries$/);
    await expect(page.getByRole('heading', { name: 'Deliveries to the exchange', level: 2 })).toBeVisible();
    await expect(page.getByText(`Sending to ${receiverHost}.`)).toBeVisible({ timeout: 20_000 });

    // The demo's automatic KYT holds were queued as escrow.held events: two delivered, the rest retrying.
    const table = page.getByRole('table', { name: 'Deliveries to the exchange' });
    await expect(table.locator('tbody tr[data-state="delivered"]')).toHaveCount(2);
    await expect(table.locator('tbody tr[data-state="pending"]').first()).toBeVisible();
    for (const column of ['Queued', 'Event', 'Trade and case', 'State', 'Attempts', 'Last answer', 'Next attempt or delivered'])
      await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
    await expect(table.getByText('escrow.held').first()).toBeVisible();
    await expect(table.getByText('the exchange answered 503').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'deliveries-en-light');

    await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'Delivered' });
    await expect.poll(() => table.locator('tbody tr:not([data-state="delivered"])').count(), { timeout: 15_000 }).toBe(0);
    await expect(table.locator('tbody tr')).toHaveCount(2);
    await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'deliveries-en-dark');
    await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });
  } finally {
    await host.stop();
    await new Promise<void>((done) => receiver.close(() => done()));
  }
});
