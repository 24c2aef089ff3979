// The compliance reviewer's workspace in Chromium (issue #8): carla signs in, finds "KYT alerts" with rows,
// opens one, assigns it, dismisses one with a reason, reports another and downloads its PDF; the same in
// Spanish once; an axe scan of each screen (table, detail, dialogs) in light and dark. Then a hold placed
// in the app blocks the agent's release, with the reason on screen, until compliance lifts it.
//
// The alerts come from the demo seed, whose alerts change with the rules engine: rows are picked by status,
// never by id. The alert detail, assignment and reports need the server's KYT review routes
// (GET /v1/kyt/alerts/{id}, POST /v1/kyt/alerts/{id}/assign, GET /v1/reports/{id}).
import { readFileSync } from 'node:fs';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { DEMO_USERS, expect, openSignedOut, test, type DeskHost } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { ENGLISH, signIn, SPANISH, type SignInWords } from './fixtures/signin';
import { seriousViolations, setTheme } from './fixtures/a11y';
import { plainUnassignedCase } from './fixtures/cases';

test.describe.configure({ timeout: 180_000 });

/** The first row of the table whose alert is still to decide (open or in review), by its id. */
async function undecidedAlert(table: Locator, skip: readonly string[] = []): Promise<string> {
  const rows = table.locator('tbody tr[data-status="open"], tbody tr[data-status="in_review"]');
  await expect(rows.first()).toBeVisible({ timeout: 20_000 });
  const ids = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-alert-id') ?? ''));
  const id = ids.find((candidate) => candidate !== '' && !skip.includes(candidate));
  if (!id) throw new Error(`no undecided alert left besides ${skip.join(', ')}`);
  return id;
}

async function signInAs(page: Page, host: DeskHost, user: 'carla' | 'ana', words: SignInWords = ENGLISH) {
  await openSignedOut(page, host);
  await signIn(page, host, user, words);
}

/** Opens an alert from the table by its link (keyboard-reachable: the link is in the row). */
async function openAlert(page: Page, table: Locator, alertId: string, label: string): Promise<Locator> {
  await table.getByRole('link', { name: alertId, exact: true }).click();
  const detail = page.getByRole('article', { name: `${label} ${alertId}` });
  await expect(detail).toBeVisible({ timeout: 20_000 });
  return detail;
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await saveScreenshot(page, testInfo, `compliance-${name}`);
}

test('carla works KYT alerts: views, detail, assign, dismiss, report with its PDF, axe-clean in light and dark', async ({ page, host }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 1400 });
  await signInAs(page, host, 'carla');

  await page.getByRole('navigation').getByRole('link', { name: 'KYT alerts' }).click();
  const table = page.getByRole('table', { name: 'KYT alerts' });
  await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
  for (const column of ['Level', 'Rule', 'Party', 'Amount', 'Age', 'Status', 'Assignee'])
    await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'alerts-en-light');

  // The saved views: each shows only its alerts.
  await page.getByRole('tab', { name: 'Escalated' }).click();
  await expect(table.locator('tbody tr').first()).toHaveAttribute('data-status', 'escalated', { timeout: 15_000 });
  await expect(table.locator('tbody tr:not([data-status="escalated"])')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Reported' }).click();
  await expect(table.locator('tbody tr:not([data-status="reported"])')).toHaveCount(0, { timeout: 15_000 });
  await page.getByRole('tab', { name: 'Open' }).click();
  await expect(table.locator('tbody tr:not([data-status="open"]):not([data-status="in_review"])')).toHaveCount(0, { timeout: 15_000 });
  // The level filter narrows the view.
  await page.getByRole('combobox', { name: 'Level' }).selectOption('LOW');
  await expect(table.locator('tbody tr:not([data-level="LOW"])')).toHaveCount(0, { timeout: 15_000 });
  await page.getByRole('combobox', { name: 'Level' }).selectOption('');

  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'alerts-en-dark');
  await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });

  // Open one and assign it (needs the server's alert detail and assignment routes).
  const assigned = await undecidedAlert(table);
  let detail = await openAlert(page, table, assigned, 'KYT alert');
  await expect(detail.getByRole('heading', { name: 'Why it fired' })).toBeVisible();
  await expect(detail.getByText(/, version \d+$/)).toBeVisible();
  await expect(detail.getByRole('heading', { name: /^Party: / })).toBeVisible();
  await detail.getByRole('button', { name: 'Assign to me' }).click();
  await expect(detail.getByText(`Assigned to ${DEMO_USERS.carla.displayName}`)).toBeVisible({ timeout: 15_000 });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'alert-detail-en-light');
  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'alert-detail-en-dark');
  await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });
  await page.getByRole('link', { name: 'Back to the alerts' }).click();
  await page.getByRole('tab', { name: 'Mine' }).click();
  await expect(table.locator(`tbody tr[data-alert-id="${assigned}"]`)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('tab', { name: 'Open' }).click();

  // Dismiss another with a reason: an empty reason is refused with a readable message first.
  const dismissed = await undecidedAlert(table, [assigned]);
  detail = await openAlert(page, table, dismissed, 'KYT alert');
  await detail.getByRole('button', { name: 'Dismiss' }).click();
  let dialog = page.getByRole('dialog', { name: `Dismiss alert ${dismissed}` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Confirm dismissal' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Fill in every field.');
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Known counterparty: the exchange is our own payment partner.');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'dismiss-dialog-en-light');
  await dialog.getByRole('button', { name: 'Confirm dismissal' }).click();
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  await expect(detail.getByText('This alert is decided.')).toBeVisible({ timeout: 15_000 });
  // The header's status badge (the linked case's own alert list says so too).
  await expect(detail.locator('.alert-detail__badges').getByText('Dismissed', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the alerts' }).click();

  // Report another: the dialog asks for the narrative; then the PDF and the JSON download.
  const reported = await undecidedAlert(table, [assigned, dismissed]);
  detail = await openAlert(page, table, reported, 'KYT alert');
  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  await detail.getByRole('button', { name: 'Report' }).click();
  dialog = page.getByRole('dialog', { name: `Report alert ${reported}` });
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Funds traced to a high-risk source.');
  await dialog.getByRole('textbox', { name: 'Narrative' }).fill(
    'The party received funds with exposure to a high-risk source and sold them within the hour to several counterparties.',
  );
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'report-dialog-en-dark');
  await dialog.getByRole('button', { name: 'File the report' }).click();
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  await expect(detail.getByRole('heading', { name: 'Suspicious activity report' })).toBeVisible({ timeout: 15_000 });
  const pdfDownload = page.waitForEvent('download');
  await detail.getByRole('button', { name: 'Download PDF' }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const jsonDownload = page.waitForEvent('download');
  await detail.getByRole('button', { name: 'Download JSON' }).click();
  const json = JSON.parse(readFileSync(await (await jsonDownload).path(), 'utf8')) as { alertId: string; narrative: string };
  expect(json).toMatchObject({ alertId: reported, narrative: expect.stringMatching(/^The party received funds/) });
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'alert-reported-en-dark');
  await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });

  test('carla abre una alerta y la descarta con un motivo, en español', async ({ page, host }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 1400 });
    await signInAs(page, host, 'carla', SPANISH);
    await page.getByRole('navigation').getByRole('link', { name: 'Alertas KYT' }).click();
    const table = page.getByRole('table', { name: 'Alertas KYT' });
    await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
    for (const column of ['Nivel', 'Regla', 'Parte', 'Importe', 'Antigüedad', 'Estado', 'Asignada a'])
      await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'alerts-es-light');
    await setTheme(page, 'dark', { settings: 'Configuración', theme: 'Tema' });
    await shot(page, testInfo, 'alerts-es-dark');
    await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });

    const alertId = await undecidedAlert(table);
    const detail = await openAlert(page, table, alertId, 'Alerta KYT');
    await expect(detail.getByRole('heading', { name: 'Por qué saltó' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'alert-detail-es-light');
    await setTheme(page, 'dark', { settings: 'Configuración', theme: 'Tema' });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'alert-detail-es-dark');
    await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });
    await detail.getByRole('button', { name: 'Descartar' }).click();
    const dialog = page.getByRole('dialog', { name: `Descartar la alerta ${alertId}` });
    await dialog.getByRole('textbox', { name: 'Motivo' }).fill('Falso positivo: la contraparte es un socio de pagos conocido.');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'dismiss-dialog-es-light');
    await dialog.getByRole('button', { name: 'Confirmar el descarte' }).click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });
    await expect(detail.getByText('Esta alerta ya está decidida.')).toBeVisible({ timeout: 15_000 });
  });
});

test('agents get no KYT screen: no link, and its address shows the queue', async ({ page, host }) => {
  await signInAs(page, host, 'ana');
  await expect(page.getByRole('table', { name: 'Case queue' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('navigation').getByRole('link', { name: 'KYT alerts' })).toHaveCount(0);
  await page.evaluate(() => {
    window.location.hash = '#/alerts';
  });
  await expect(page.getByRole('table', { name: 'Case queue' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'KYT alerts' })).toHaveCount(0);
  // The desk refuses the channel too, with a readable reason.
  const answer = await page.evaluate(() => window.desk!.invoke('kyt.alerts', { view: 'open' }));
  expect(answer).toEqual({ ok: false, error: { code: 'forbidden', message: 'Only compliance reviewers can see KYT alerts.' } });
});

test('a hold placed in the app blocks the agent’s release with the reason, until compliance lifts it', async ({ page, host }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 1800 });
  await signInAs(page, host, 'carla');
  // A plain open case (no flag, unassigned) that no other end-to-end file reads.
  await expect(page.getByRole('table', { name: 'Case queue' })).toBeVisible({ timeout: 20_000 });
  const caseId = await plainUnassignedCase(page, 'last');
  const workspace = page.getByRole('article', { name: `Case ${caseId}` });

  await page.evaluate((id) => {
    window.location.hash = `#/cases/${id}`;
  }, caseId);
  const hold = workspace.getByRole('region', { name: 'Escrow hold' });
  await expect(hold.getByText('The escrow is not on hold.')).toBeVisible({ timeout: 20_000 });
  await hold.getByRole('button', { name: 'Place hold' }).click();
  const dialog = page.getByRole('dialog', { name: `Place a hold on case ${caseId}` });
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Source of funds under review.');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'place-hold-dialog-en-light');
  await dialog.getByRole('button', { name: 'Confirm hold' }).click();
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  await expect(hold.getByText(/^On hold since .*: Source of funds under review\.$/)).toBeVisible({ timeout: 15_000 });

  // The agent claims the case: release and refund stay off, and the screen says why.
  await signInAs(page, host, 'ana');
  await page.evaluate((id) => {
    window.location.hash = `#/cases/${id}`;
  }, caseId);
  await workspace.getByRole('button', { name: 'Claim case' }).click();
  await expect(workspace.getByText('Compliance holds this escrow: it cannot move until the hold is lifted.')).toBeVisible({ timeout: 20_000 });
  await expect(workspace.getByRole('button', { name: 'Release to buyer' })).toBeDisabled();
  await expect(workspace.getByRole('button', { name: 'Refund to seller' })).toBeDisabled();
  await shot(page, testInfo, 'agent-on-held-case-en-light');

  // Compliance lifts the hold with a reason and a fresh code; the agent's release comes back.
  await signInAs(page, host, 'carla');
  await page.evaluate((id) => {
    window.location.hash = `#/cases/${id}`;
  }, caseId);
  await hold.getByRole('button', { name: 'Lift hold' }).click();
  const lift = page.getByRole('dialog', { name: `Lift the hold on case ${caseId}` });
  await lift.getByRole('textbox', { name: 'Reason' }).fill('Bank statement shows the funds are the seller’s own.');
  await lift.getByRole('textbox', { name: 'Authentication code' }).fill('12');
  await lift.getByRole('button', { name: 'Confirm lifting the hold' }).click();
  await expect(lift.getByRole('alert')).toHaveText('The authentication code is 6 digits.');
  await lift.getByRole('textbox', { name: 'Authentication code' }).fill(await host.freshCode(DEMO_USERS.carla.secret));
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'lift-hold-dialog-en-light');
  await lift.getByRole('button', { name: 'Confirm lifting the hold' }).click();
  await expect(lift).toBeHidden({ timeout: 15_000 });
  await expect(hold.getByText('The escrow is not on hold.')).toBeVisible({ timeout: 20_000 });

  await signInAs(page, host, 'ana');
  await page.evaluate((id) => {
    window.location.hash = `#/cases/${id}`;
  }, caseId);
  await expect(workspace.getByRole('button', { name: 'Release to buyer' })).toBeEnabled({ timeout: 20_000 });
});
