// Four-eyes in Chromium (issue #9): proposals made through the platform API in the set-up (the demo seed's
// DSP-100022 is already one of Ana's; she claims the four-eyes case DSP-100020 and proposes a refund on it),
// then Sofía opens "Awaiting approval", approves one proposal (a stale code first: the fresh-code form takes
// over) and sends the other back with a reason; Ana, in a browser context of her own, finds "Sent back by
// Sofía: <reason>" on her case with her verdict buttons usable again, and "Approved by Sofía" on the other;
// Sofía then reassigns the case to Bruno. An axe scan of the proposal and of each dialog in light and dark,
// and screenshots in English and Spanish (test-results/screenshots/ and /tmp/shots/four-eyes/).
//
// No other end-to-end file touches DSP-100020 or DSP-100022; DSP-100021 (the other four-eyes case) belongs
// to case-workspace.spec.ts, so rows are found by id, never by the view's count.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { DEMO_USERS, expect, openSignedOut, test, type DeskHost } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn } from './fixtures/signin';

test.describe.configure({ timeout: 360_000 });

const APPROVED_CASE = 'DSP-100022';
const SENT_BACK_CASE = 'DSP-100020';
const SEND_BACK_REASON = 'The receipt is cropped: ask the seller for the full bank statement.';
const SHOTS = '/tmp/shots/four-eyes';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
}

/** The language and theme from the settings dialog, whichever language it speaks now. */
async function appearance(page: Page, language: 'en' | 'es', theme: 'light' | 'dark') {
  await page.getByRole('button', { name: /^(Settings|Configuración)$/ }).click();
  const settings = page.getByRole('dialog', { name: /^(Settings|Configuración)$/ });
  await settings.getByRole('combobox', { name: /^(Theme|Tema)$/ }).selectOption(theme);
  await settings.getByRole('combobox', { name: /^(Language|Idioma)$/ }).selectOption(language);
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

/** The page into test-results, and the part that matters (a region, a dialog) into /tmp/shots/four-eyes. */
async function shot(page: Page, testInfo: TestInfo, name: string, part: Locator) {
  await saveScreenshot(page, testInfo, `four-eyes-${name}`);
  mkdirSync(SHOTS, { recursive: true });
  await part.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** The platform API as `user`, signed in with a fresh code, behind the desk's back (the test's set-up). */
async function platformAs(page: Page, host: DeskHost, user: 'ana' | 'sofia') {
  const state = await page.evaluate(() => window.desk!.invoke('session.state'));
  if (!state.ok) throw new Error(`the desk gave no session state: ${state.error.message}`);
  const api = `${state.value.serverUrl}/v1`;
  const { password, secret } = DEMO_USERS[user];
  const login = await page.request.post(`${api}/auth/login`, { data: { username: user, password } });
  const { loginToken } = (await login.json()) as { loginToken: string };
  const session = await page.request.post(`${api}/auth/totp`, { data: { loginToken, code: await host.freshCode(secret) } });
  const { accessToken } = (await session.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };
  return {
    get: async (path: string) => (await page.request.get(`${api}${path}`, { headers })).json() as Promise<Record<string, unknown>>,
    post: async (path: string, data: unknown, extra: Record<string, string> = {}) => {
      const response = await page.request.post(`${api}${path}`, { headers: { ...headers, ...extra }, data });
      return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
    },
  };
}

async function openFromQueue(page: Page, caseId: string, search: string): Promise<Locator> {
  await page.getByRole('searchbox', { name: search }).fill(caseId);
  const row = page.locator(`[role="row"][data-case-id="${caseId}"]`);
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await row.getByRole('link', { name: caseId, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: caseId })).toBeVisible({ timeout: 15_000 });
  return page.getByRole('article', { name: new RegExp(caseId) });
}

test('Sofía approves one proposal and sends another back; Ana sees both outcomes; a reassignment', async ({ page, host, browser }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 1600 });
  await openSignedOut(page, host);

  // Set-up through the API: Ana claims the four-eyes case and proposes a refund (the seed's DSP-100022 is
  // already her proposal).
  const ana = await platformAs(page, host, 'ana');
  expect((await ana.get(`/cases/${APPROVED_CASE}`)).status).toBe('pending_approval');
  expect((await ana.post(`/cases/${SENT_BACK_CASE}/claim`, {})).status).toBe(200);
  const proposed = await ana.post(
    `/cases/${SENT_BACK_CASE}/verdict`,
    {
      outcome: 'refund',
      reasonCode: 'payment_not_received',
      rationale: 'The buyer’s receipt shows no bank reference and the seller’s statement has no matching credit.',
      totp: await host.freshCode(DEMO_USERS.ana.secret),
    },
    { 'idempotency-key': `four-eyes-e2e-${Date.now()}` },
  );
  expect(proposed).toMatchObject({ status: 200, body: { case: { status: 'pending_approval' } } });

  // Sofía finds both in "Awaiting approval".
  await signIn(page, host, 'sofia');
  await page.getByRole('tab', { name: 'Awaiting approval' }).click();
  await expect(page.getByRole('tab', { name: 'Awaiting approval' })).toHaveAttribute('aria-selected', 'true');
  for (const caseId of [APPROVED_CASE, SENT_BACK_CASE]) await expect(page.locator(`[role="row"][data-case-id="${caseId}"]`)).toBeVisible({ timeout: 20_000 });

  // The proposal on the case to send back: every fact, the evidence and the chat beside it.
  let workspace = await openFromQueue(page, SENT_BACK_CASE, 'Search cases');
  let proposal = workspace.getByRole('region', { name: 'Proposed verdict' });
  await expect(proposal).toContainText('Ana Rodríguez');
  await expect(proposal).toContainText('Refund the escrow to the seller');
  await expect(proposal).toContainText('Payment not received');
  await expect(proposal).toContainText('The buyer’s receipt shows no bank reference');
  await expect(proposal).toContainText(/USD \(threshold 10,000(\.00)? USD\)/);
  await expect(workspace.getByRole('region', { name: 'Chat' })).toBeVisible();
  await expect(workspace.getByRole('region', { name: 'Evidence' })).toBeVisible();

  // The proposal and the approval dialog in both languages and both themes, axe-clean, before deciding.
  const words = {
    en: { region: 'Proposed verdict', approve: 'Approve', dialog: `Approve the verdict on case ${SENT_BACK_CASE}`, code: 'Authentication code' },
    es: { region: 'Veredicto propuesto', approve: 'Aprobar', dialog: `Aprobar el veredicto del caso ${SENT_BACK_CASE}`, code: 'Código de autenticación' },
  } as const;
  for (const [language, theme] of [['en', 'light'], ['en', 'dark'], ['es', 'light'], ['es', 'dark']] as const) {
    if (language !== 'en' || theme !== 'light') await appearance(page, language, theme);
    const region = workspace.getByRole('region', { name: words[language].region });
    await expect(region).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, `proposal-${language}-${theme}`, region);
    await region.getByRole('button', { name: words[language].approve }).click();
    const approveDialog = page.getByRole('dialog', { name: words[language].dialog });
    await expect(approveDialog).toHaveAttribute('aria-modal', 'true');
    await expect(approveDialog.getByRole('textbox', { name: words[language].code })).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, `approve-dialog-${language}-${theme}`, approveDialog);
    await page.keyboard.press('Escape');
    await expect(approveDialog).toBeHidden();
  }
  await appearance(page, 'en', 'dark');

  // Send back, from the keyboard: the button, the reason, the code, Enter.
  await proposal.getByRole('button', { name: 'Send back' }).focus();
  await page.keyboard.press('Enter');
  let dialog = page.getByRole('dialog', { name: `Send the proposal on case ${SENT_BACK_CASE} back` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Reason' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Confirm send back' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Fill in every field.');
  await dialog.getByRole('textbox', { name: 'Reason' }).focus();
  await page.keyboard.type(SEND_BACK_REASON);
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('textbox', { name: 'Authentication code' })).toBeFocused();
  await page.keyboard.type(await host.freshCode(DEMO_USERS.sofia.secret));
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'send-back-dialog-en-dark', dialog);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  const sentBack = workspace.getByRole('note').filter({ hasText: /^Sent back by Sofía Herrera: / });
  await expect(sentBack).toContainText(SEND_BACK_REASON, { timeout: 15_000 });
  await expect(sentBack).toContainText('the case is in review again, held by Ana Rodríguez.');
  await expect(workspace.getByRole('region', { name: 'Proposed verdict' })).toHaveCount(0);
  await appearance(page, 'en', 'light');

  // Approve the other: a stale code first, and the fresh-code form takes over; the escrow moves.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  workspace = await openFromQueue(page, APPROVED_CASE, 'Search cases');
  proposal = workspace.getByRole('region', { name: 'Proposed verdict' });
  await proposal.getByRole('button', { name: 'Approve' }).click();
  dialog = page.getByRole('dialog', { name: `Approve the verdict on case ${APPROVED_CASE}` });
  await expect(dialog.getByRole('textbox', { name: 'Reason' })).toHaveCount(0);
  const staleCode = totpCodeAt(DEMO_USERS.sofia.secret, new Date(Date.now() - 10 * 60_000));
  await dialog.getByRole('textbox', { name: 'Authentication code' }).fill(staleCode);
  await dialog.getByRole('button', { name: 'Confirm approval' }).click();
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  const freshCode = proposal.getByRole('textbox', { name: 'Fresh authentication code' });
  await expect(freshCode).toBeVisible({ timeout: 15_000 });
  await expect(proposal).toContainText('Your decision needs a fresh code.');
  await expect(proposal.getByRole('button', { name: 'Approve' })).toBeDisabled();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'approve-fresh-code-en-light', proposal);
  await freshCode.fill(await host.freshCode(DEMO_USERS.sofia.secret));
  await proposal.getByRole('button', { name: 'Send again' }).click();
  await expect(page.getByTestId('escrow-state')).toHaveText(/^(Released|Refunded)$/, { timeout: 20_000 });
  await expect(workspace.getByRole('note').filter({ hasText: /^Approved by Sofía Herrera on / })).toBeVisible();
  await expect(workspace.getByRole('region', { name: 'Proposed verdict' })).toHaveCount(0);
  await expect(workspace.getByRole('button', { name: 'Reassign' })).toHaveCount(0);
  const sofia = await platformAs(page, host, 'sofia');
  expect(await sofia.get(`/cases/${APPROVED_CASE}`)).toMatchObject({ status: 'resolved', verdict: { state: 'executed' } });
  expect(await sofia.get(`/cases/${SENT_BACK_CASE}`)).toMatchObject({ status: 'in_review', escrow: { state: 'held' } });

  // Ana, in a browser context of her own (the host has one desk session: Sofía is signed out by this).
  const anaContext = await browser.newContext({ viewport: { width: 1440, height: 1400 } });
  const anaPage = await anaContext.newPage();
  await openSignedOut(anaPage, host);
  await signIn(anaPage, host, 'ana');
  const anaCase = await openFromQueue(anaPage, SENT_BACK_CASE, 'Search cases');
  const notice = anaCase.getByRole('note').filter({ hasText: /^Sent back by Sofía Herrera: / });
  await expect(notice).toContainText(SEND_BACK_REASON, { timeout: 15_000 });
  await expect(anaCase.getByRole('button', { name: 'Release to buyer' })).toBeEnabled();
  await expect(anaCase.getByRole('button', { name: 'Refund to seller' })).toBeEnabled();
  expect(await seriousViolations(anaPage)).toEqual([]);
  await saveScreenshot(anaPage, testInfo, 'four-eyes-agent-sent-back');
  await notice.screenshot({ path: join(SHOTS, 'agent-sent-back-notice.png') });
  await anaPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  const anaApproved = await openFromQueue(anaPage, APPROVED_CASE, 'Search cases');
  await expect(anaApproved.getByRole('note').filter({ hasText: /^Approved by Sofía Herrera on / })).toBeVisible();
  await expect(anaPage.getByTestId('escrow-state')).toHaveText(/^(Released|Refunded)$/);
  await anaContext.close();

  // Sofía again: she reassigns the case to Bruno, choosing him by his open cases.
  await openSignedOut(page, host);
  await signIn(page, host, 'sofia');
  workspace = await openFromQueue(page, SENT_BACK_CASE, 'Search cases');
  await expect(workspace.getByRole('region', { name: 'Reassignment' })).toContainText('Held by Ana Rodríguez.');
  await workspace.getByRole('button', { name: 'Reassign' }).click();
  dialog = page.getByRole('dialog', { name: `Reassign case ${SENT_BACK_CASE}` });
  const agent = dialog.getByRole('combobox', { name: 'Agent' });
  await expect(agent).toBeEnabled({ timeout: 15_000 });
  await expect(agent.locator('option', { hasText: 'Ana Rodríguez (holds it now)' })).toBeDisabled();
  const bruno = agent.locator('option', { hasText: /^Bruno Carvalho \(\d+ open cases?\)$/ });
  await expect(bruno).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Confirm reassignment' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose the agent who is to hold the case.');
  await agent.selectOption({ label: (await bruno.textContent()) ?? '' });
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Ana is on leave from tomorrow.');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'reassign-dialog-en-light', dialog);
  await dialog.getByRole('button', { name: 'Confirm reassignment' }).click();
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  await expect(workspace.getByRole('region', { name: 'Reassignment' })).toContainText('Held by Bruno Carvalho.', { timeout: 15_000 });
  expect(await (await platformAs(page, host, 'sofia')).get(`/cases/${SENT_BACK_CASE}`)).toMatchObject({
    status: 'in_review',
    assignee: { username: 'bruno' },
  });

  // The reassignment dialog in dark, and the screens in Spanish (light and dark).
  await appearance(page, 'en', 'dark');
  await workspace.getByRole('button', { name: 'Reassign' }).click();
  dialog = page.getByRole('dialog', { name: `Reassign case ${SENT_BACK_CASE}` });
  await expect(dialog.getByRole('combobox', { name: 'Agent' })).toBeEnabled({ timeout: 15_000 });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'reassign-dialog-en-dark', dialog);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  for (const theme of ['light', 'dark'] as const) {
    await appearance(page, 'es', theme);
    await workspace.getByRole('button', { name: 'Reasignar' }).click();
    dialog = page.getByRole('dialog', { name: `Reasignar el caso ${SENT_BACK_CASE}` });
    await expect(dialog.getByRole('combobox', { name: 'Agente' })).toBeEnabled({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, `reassign-dialog-es-${theme}`, dialog);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
  await appearance(page, 'en', 'light');
});
