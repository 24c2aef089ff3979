// The case workspace end to end: the browser host with its bundled server and demo data, real Chromium.
// An agent finds a case, reads the chat and the evidence, reviews identity, claims it and decides it with
// a fresh authentication code; the escrow is then checked on the server itself, and another agent finds
// the decided case closed to them.
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { DEMO_USERS, expect, openSignedOut, test, type DeskHost } from './fixtures/host';

// The tests share the worker's host and run in order: later ones build on earlier decisions and sessions.
test.describe.configure({ mode: 'serial' });

type Agent = 'ana' | 'bruno';

// Plain open cases of the demo data (no hold, no four-eyes, unassigned): the seed is deterministic.
const RELEASE_CASE = 'DSP-100005';
const REFUND_CASE = 'DSP-100009';

async function signIn(page: Page, host: DeskHost, agent: Agent): Promise<void> {
  const { password, secret } = DEMO_USERS[agent];
  // The host's desk keeps one session for every tab: whoever signed in before is signed out first.
  await openSignedOut(page, host);
  await page.getByRole('textbox', { name: 'Username' }).fill(agent);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('textbox', { name: 'Authentication code' }).fill(await host.freshCode(secret));
  const verify = page.getByRole('button', { name: 'Verify' });
  // Submitting on the sixth digit is allowed too: press Verify only if it is still there.
  if (await verify.isVisible().catch(() => false)) await verify.click().catch(() => undefined);
  await expect(page.getByRole('searchbox', { name: 'Search cases' })).toBeVisible({ timeout: 20_000 });
}

async function openFromQueue(page: Page, caseId: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search cases' }).fill(caseId);
  const table = page.getByRole('table', { name: 'Case queue' });
  // The search applies after a short pause; until then the case's row may be one of the whole queue's and
  // move under the click when the list narrows. One case and the header row: the search has applied.
  await expect(table).toHaveAttribute('aria-rowcount', '2', { timeout: 15_000 });
  const row = table.getByRole('row').filter({ hasText: caseId });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await row.click();
  await expect(page.getByRole('heading', { level: 1, name: caseId })).toBeVisible({ timeout: 15_000 });
}

async function expectNoSeriousViolations(page: Page, include: string): Promise<void> {
  const results = await new AxeBuilder({ page }).include(include).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** Signs a demo user in on the platform server's API itself, for checks and moves behind the desk's back. */
async function serverApi(page: Page, host: DeskHost, username: 'carla' | 'sofia') {
  const { secret } = DEMO_USERS[username];
  const state = await page.evaluate(() => window.desk!.invoke('session.state'));
  if (!state.ok) throw new Error('no session state');
  const api = `${state.value.serverUrl}/v1`;
  const login = await page.request.post(`${api}/auth/login`, { data: { username, password: `${username}-demo-pass` } });
  const { loginToken } = (await login.json()) as { loginToken: string };
  const session = await page.request.post(`${api}/auth/totp`, { data: { loginToken, code: await host.freshCode(secret) } });
  const { accessToken } = (await session.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };
  return {
    get: async (path: string) => (await page.request.get(`${api}${path}`, { headers })).json(),
    post: async (path: string, data: unknown) => (await page.request.post(`${api}${path}`, { headers, data })).json(),
  };
}

/** The case as the platform server holds it, read over its API by the compliance reviewer. */
async function caseOnServer(page: Page, host: DeskHost, caseId: string): Promise<{ status: string; escrow: { state: string } }> {
  const carla = await serverApi(page, host, 'carla');
  return (await carla.get(`/cases/${caseId}`)) as { status: string; escrow: { state: string } };
}

async function decide(page: Page, host: DeskHost, agent: Agent, outcome: 'release' | 'refund', testInfo: TestInfo): Promise<void> {
  const workspace = page.getByRole('article', { name: /^Case / });
  const claim = workspace.getByRole('button', { name: 'Claim case' });
  if (await claim.isEnabled()) await claim.click();
  const decideButton = workspace.getByRole('button', { name: outcome === 'release' ? 'Release to buyer' : 'Refund to seller' });
  await expect(decideButton).toBeEnabled({ timeout: 15_000 });
  await decideButton.click();

  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await dialog.getByRole('combobox', { name: 'Reason' }).selectOption({ label: outcome === 'release' ? 'Payment confirmed' : 'Payment not received' });
  await dialog.getByRole('textbox', { name: 'Rationale' }).fill('The receipt matches the trade and the bank reference checks out.');
  await dialog.getByRole('textbox', { name: 'Authentication code' }).fill(await host.freshCode(DEMO_USERS[agent].secret));
  await expectNoSeriousViolations(page, 'dialog');
  await screenshot(page, testInfo, `verdict-dialog-${outcome}`);
  await dialog.getByRole('button', { name: outcome === 'release' ? 'Confirm release' : 'Confirm refund' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('escrow-state')).toHaveText(outcome === 'release' ? 'Released' : 'Refunded', { timeout: 20_000 });
}

/** Fills the verdict dialog and confirms it; the caller checks what follows. */
async function confirmVerdict(page: Page, host: DeskHost, agent: Agent, buttonName: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: 'Reason' }).selectOption({ label: 'Payment confirmed' });
  await dialog.getByRole('textbox', { name: 'Rationale' }).fill('The payment is on the seller’s statement.');
  await dialog.getByRole('textbox', { name: 'Authentication code' }).fill(await host.freshCode(DEMO_USERS[agent].secret));
  await dialog.getByRole('button', { name: buttonName }).click();
  await expect(dialog).toBeHidden();
}

test('an agent reads a case, claims it and releases the escrow to the buyer', async ({ page, host }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, host, 'ana');
  await openFromQueue(page, RELEASE_CASE);

  const chat = page.getByRole('region', { name: 'Chat' });
  await expect(chat).toContainText('Listo, enviado. Te dejo el comprobante');
  await expect(chat.getByText('abrió una disputa')).toBeVisible();

  // The receipt in the chat opens in the evidence viewer, and the image really loaded.
  await chat.getByRole('button', { name: /^Show .* in the evidence viewer$/ }).first().click();
  const evidence = page.getByRole('region', { name: 'Evidence' });
  const receipt = evidence.getByRole('img', { name: /\.png$/ });
  await expect(receipt).toBeVisible();
  await expect.poll(() => receipt.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  await expect(evidence.locator('code')).toHaveText(/^[0-9a-f]{64}$/);
  // The demo's reused receipt: the same file is the evidence of another trade too.
  await expect(evidence.getByText(/^This file also appears in case DSP-\d+/)).toBeVisible();
  await evidence.getByRole('button', { name: 'Zoom in' }).click();
  await expect(evidence.getByText('Zoom 125%')).toBeVisible();
  await evidence.getByRole('button', { name: 'Fit to view' }).click();
  // The keyboard does the same on the focused image: + zooms, R rotates, 0 fits.
  const stage = evidence.getByRole('group', { name: /zoom 100%, rotated 0°/ });
  await stage.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('r');
  await expect(evidence.getByRole('group', { name: /zoom 125%, rotated 90°/ })).toBeFocused();
  await page.keyboard.press('0');
  await expect(evidence.getByText('Zoom 100%')).toBeVisible();

  const identity = page.getByRole('region', { name: 'Identity' });
  const idPhoto = identity.getByRole('img', { name: /^ID photo of / }).first();
  await expect(idPhoto).toBeVisible();
  await expect.poll(() => idPhoto.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  await expect(identity.getByRole('img', { name: /^Proof of Life frame 1 of / }).first()).toBeVisible();

  await expectNoSeriousViolations(page, 'article');
  // Tall enough for the whole workspace in one picture (the shell scrolls inside its main landmark).
  await page.setViewportSize({ width: 1440, height: 2300 });
  await screenshot(page, testInfo, 'case-workspace');
  await page.setViewportSize({ width: 1440, height: 1000 });

  await decide(page, host, 'ana', 'release', testInfo);
  await expect(page.getByRole('button', { name: 'Release to buyer' })).toBeDisabled();
  const onServer = await caseOnServer(page, host, RELEASE_CASE);
  expect(onServer).toMatchObject({ status: 'resolved', escrow: { state: 'released' } });
  await screenshot(page, testInfo, 'case-released');
});

test('another agent refunds a case to the seller', async ({ page, host }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, host, 'bruno');
  await openFromQueue(page, REFUND_CASE);
  // Escape closes the verdict dialog without deciding anything.
  await page.getByRole('button', { name: 'Claim case' }).click();
  await page.getByRole('button', { name: 'Refund to seller' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByRole('dialog')).toContainText('will go back from escrow to the seller');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await decide(page, host, 'bruno', 'refund', testInfo);
  const onServer = await caseOnServer(page, host, REFUND_CASE);
  expect(onServer).toMatchObject({ status: 'resolved', escrow: { state: 'refunded' } });
});

test('a decided case cannot be decided again by another agent', async ({ page, host }) => {
  test.setTimeout(120_000);
  await signIn(page, host, 'bruno');
  await openFromQueue(page, RELEASE_CASE);
  await expect(page.getByTestId('escrow-state')).toHaveText('Released');
  for (const name of ['Claim case', 'Release to buyer', 'Refund to seller']) {
    await expect(page.getByRole('button', { name })).toBeDisabled();
  }
  await expect(page.getByText('This case is decided: nothing more can move.')).toBeVisible();
});

test('a PDF statement is rendered page by page under the strict CSP', async ({ page, host }, testInfo) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // Still signed in from the test before: the desk keeps the session across tabs.
  await page.goto(host.pageUrl);
  await openFromQueue(page, 'DSP-100003');
  const evidence = page.getByRole('region', { name: 'Evidence' });
  await evidence.getByRole('button', { name: /Bank statement/ }).click();
  const firstPage = evidence.getByRole('img', { name: /^Page 1 of \d+$/ });
  await expect(firstPage).toBeVisible({ timeout: 15_000 });
  // Something was drawn: the canvas is not blank.
  await expect
    .poll(() =>
      firstPage.evaluate((canvas: HTMLCanvasElement) => {
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        return pixels.some((value, index) => index % 4 !== 3 && value < 200);
      }),
    )
    .toBe(true);
  await evidence.scrollIntoViewIfNeeded();
  await evidence.screenshot({ path: testInfo.outputPath('case-evidence-pdf.png') });
  expect(problems).toEqual([]);
});

test('a verdict on a four-eyes case goes to a supervisor and moves nothing', async ({ page, host }) => {
  test.setTimeout(120_000);
  // Still signed in (as bruno) from the tests before.
  await page.goto(host.pageUrl);
  await openFromQueue(page, 'DSP-100021');
  await page.getByRole('button', { name: 'Claim case' }).click();
  await page.getByRole('button', { name: 'Release to buyer' }).click();
  await expect(page.getByRole('dialog')).toContainText('four-eyes');
  await confirmVerdict(page, host, 'bruno', 'Confirm release');
  await expect(page.getByText('Sent to a supervisor for approval')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('escrow-state')).toHaveText('Held in escrow');
  await expect(page.getByRole('button', { name: 'Release to buyer' })).toBeDisabled();
  expect(await caseOnServer(page, host, 'DSP-100021')).toMatchObject({ status: 'pending_approval', escrow: { state: 'held' } });
});

test('a verdict on a case taken away meanwhile is refused with a clear message', async ({ page, host }) => {
  test.setTimeout(120_000);
  await page.goto(host.pageUrl);
  await openFromQueue(page, 'DSP-100019');
  await page.getByRole('button', { name: 'Claim case' }).click();
  await page.getByRole('button', { name: 'Release to buyer' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();

  // While the dialog is open a supervisor hands the case to Ana.
  const sofia = await serverApi(page, host, 'sofia');
  const anasCase = (await sofia.get('/cases/DSP-100031')) as { assignee: { id: string } };
  await sofia.post('/cases/DSP-100019/reassign', { assigneeId: anasCase.assignee.id, reason: 'Shift change' });

  await confirmVerdict(page, host, 'bruno', 'Confirm release');
  await expect(page.getByText(/^You no longer hold this case/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('escrow-state')).toHaveText('Held in escrow');
  await expect(page.getByRole('button', { name: 'Release to buyer' })).toBeDisabled();
  expect(await caseOnServer(page, host, 'DSP-100019')).toMatchObject({ status: 'in_review', escrow: { state: 'held' } });
});

test('identity explains a failed face match in plain words', async ({ page, host }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 2300 });
  await page.goto(host.pageUrl);
  await openFromQueue(page, 'DSP-100011');
  const identity = page.getByRole('region', { name: 'Identity' });
  await expect(identity).toContainText('MetaMap code facematch.differentPerson');
  await expect(identity).toContainText('The selfie does not match the face on the ID: probably a different person.');
  await expect(identity.getByRole('button', { name: /^Request a new Proof of Life from / })).toHaveCount(0);
  await screenshot(page, testInfo, 'case-identity-face-mismatch');
  // A narrow window stacks chat above evidence instead of squeezing them side by side.
  await page.setViewportSize({ width: 760, height: 2300 });
  const chatBox = await page.getByRole('region', { name: 'Chat' }).boundingBox();
  const evidenceBox = await page.getByRole('region', { name: 'Evidence' }).boundingBox();
  expect(evidenceBox!.y).toBeGreaterThan(chatBox!.y + chatBox!.height - 1);
  await screenshot(page, testInfo, 'case-workspace-narrow');
});

test('a compliance hold keeps both verdict buttons off and says why', async ({ page, host }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 2300 });
  await page.goto(host.pageUrl);
  await openFromQueue(page, 'DSP-100013');
  await expect(page.getByText(/^On hold by /)).toBeVisible();
  await page.getByRole('button', { name: 'Claim case' }).click();
  await expect(page.getByText('Compliance holds this escrow: it cannot move until the hold is lifted.')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Release to buyer' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Refund to seller' })).toBeDisabled();
  // The KYT alert behind the hold is listed with the case.
  const identity = page.getByRole('region', { name: 'Identity' });
  await expect(identity.getByRole('table', { name: 'KYT alerts' })).toBeVisible();

  // The holder can still talk to the parties and ask one of them for a new Proof of Life.
  const chat = page.getByRole('region', { name: 'Chat' });
  await chat.getByRole('textbox', { name: 'Message to both parties' }).fill('Hola a ambos: revisamos el origen de los fondos.');
  await chat.getByRole('button', { name: 'Send message' }).click();
  await expect(chat.getByText('Hola a ambos: revisamos el origen de los fondos.')).toBeVisible({ timeout: 15_000 });
  await expect(chat.getByRole('textbox', { name: 'Message to both parties' })).toHaveValue('');
  await identity.getByRole('button', { name: /^Request a new Proof of Life from / }).first().click();
  await expect(identity.getByText('Request sent')).toBeVisible();
  await expect(identity.getByText('History of checks (2)')).toBeVisible({ timeout: 15_000 });
  await screenshot(page, testInfo, 'case-on-hold');
});

test('a note being written is a draft the desk keeps across a reload', async ({ page, host }) => {
  await page.goto(host.pageUrl);
  await openFromQueue(page, 'DSP-100013');
  const note = page.getByRole('textbox', { name: 'New internal note' });
  await note.fill('Waiting for the seller’s proof of funds.');
  await expect(page.getByText('Draft saved')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'New internal note' })).toHaveValue('Waiting for the seller’s proof of funds.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('textbox', { name: 'New internal note' })).toHaveValue('');
  await expect(page.getByText('Waiting for the seller’s proof of funds.')).toBeVisible({ timeout: 15_000 });
});

test('the workspace speaks Spanish when the desk is set to Spanish', async ({ page, host }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto(host.pageUrl);
  await page.evaluate(() => window.desk!.invoke('settings.set', { language: 'es', theme: 'dark' }));
  try {
    // A reload keeps the tab's bridge; the app reads the language from the desk as it starts.
    await page.reload();
    await page.getByRole('searchbox').fill(RELEASE_CASE);
    await expect(page.getByRole('table')).toHaveAttribute('aria-rowcount', '2');
    await page.getByRole('table').getByRole('row').filter({ hasText: RELEASE_CASE }).click();
    await expect(page.getByTestId('escrow-state')).toHaveText('Liberado');
    await expect(page.getByRole('region', { name: 'Chat' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Evidencias' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Identidad' })).toBeVisible();
    for (const name of ['Tomar el caso', 'Liberar al comprador', 'Reembolsar al vendedor']) {
      await expect(page.getByRole('button', { name })).toBeDisabled();
    }
    await expectNoSeriousViolations(page, 'article');
    await screenshot(page, testInfo, 'case-workspace-es-dark');
  } finally {
    await page.evaluate(() => window.desk!.invoke('settings.set', { language: 'en', theme: 'system' }));
  }
});
