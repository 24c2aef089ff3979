// The case queue end to end: the seeded cases, search by id and by party, saved views and their counts,
// sorting, and j/k/Enter opening a case, against the real browser host and bundled server.
import type { Page } from '@playwright/test';
import type { QueuePage } from '../../shared/desk-api/schemas';
import { expect, test, type DemoUser } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn } from './fixtures/signin';

test.describe.configure({ timeout: 90_000 });

/** What the desk holds, read through the page's own bridge, to check the screen against. */
async function deskQueue(page: Page, input: Record<string, unknown> = {}): Promise<QueuePage> {
  return page.evaluate(async (query) => {
    const result = await window.desk!.invoke('queue.query', query);
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }, input);
}

const queueTable = (page: Page) => page.getByRole('table', { name: 'Case queue' });
const bodyRows = (page: Page) => queueTable(page).getByRole('rowgroup').nth(1).getByRole('row');

// Each code is good once per user and 30 s step: the tests take turns among the demo users so that none
// waits for the next step. Every role sees the queue.
const USERS: DemoUser[] = ['ana', 'bruno', 'carla', 'sofia'];
let turn = 0;

test.beforeEach(async ({ signedOutPage: page, host }) => {
  await signIn(page, host, USERS[turn++ % USERS.length]!);
  await expect(queueTable(page)).toBeVisible();
  // The first sync fills the desk's cache; the queue follows it live.
  await expect.poll(async () => (await deskQueue(page)).total, { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
  await expect(bodyRows(page).first()).toHaveAttribute('data-case-id', /.+/);
});

test('the queue shows the seeded cases with their count, and finds a case by id and by party', async ({ signedOutPage: page }, testInfo) => {
  const all = await deskQueue(page);
  await expect(page.getByText(`${all.total.toLocaleString('en-US')} cases`, { exact: true })).toBeVisible();
  await expect(queueTable(page)).toHaveAttribute('aria-rowcount', String(all.total + 1));
  const first = all.rows[0]!;
  await expect(bodyRows(page).first().getByRole('cell').first()).toHaveText(first.id);
  await saveScreenshot(page, testInfo, 'queue');

  const target = all.rows[5]!;
  await page.getByRole('searchbox', { name: 'Search cases' }).fill(target.id);
  await expect(bodyRows(page)).toHaveCount(1);
  await expect(bodyRows(page).first()).toHaveAttribute('data-case-id', target.id);
  await expect(page.getByText('1 case', { exact: true })).toBeVisible();

  await page.getByRole('searchbox', { name: 'Search cases' }).fill(target.buyer.displayName);
  await expect(queueTable(page).getByRole('row').filter({ hasText: target.id })).toBeVisible();
  const byParty = await deskQueue(page, { search: target.buyer.displayName });
  await expect(page.getByText(`${byParty.total.toLocaleString('en-US')} case`, { exact: false }).first()).toBeVisible();
  await saveScreenshot(page, testInfo, 'queue-search');
});

test('saved views show their counts and switch the rows', async ({ signedOutPage: page }) => {
  const tabs = page.getByRole('tablist', { name: 'Saved views' });
  const all = await deskQueue(page);
  await expect(tabs.getByRole('tab', { name: 'All' })).toHaveAttribute('aria-selected', 'true');
  for (const [view, name] of [
    ['unassigned', 'Unassigned'],
    ['flagged', 'Flagged'],
    ['mine', 'Mine'],
    ['awaiting_approval', 'Awaiting approval'],
  ] as const) {
    const tab = tabs.getByRole('tab', { name, exact: true });
    await expect(tab).toContainText(all.counts[view].toLocaleString('en-US'));
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    const expected = all.counts[view];
    await expect(page.getByText(`${expected.toLocaleString('en-US')} ${expected === 1 ? 'case' : 'cases'}`, { exact: true })).toBeVisible();
  }
  await tabs.getByRole('tab', { name: 'Flagged' }).click();
  const flagged = await deskQueue(page, { view: 'flagged' });
  await expect(bodyRows(page).first()).toHaveAttribute('data-case-id', flagged.rows[0]!.id);
});

test('sorting by a column header sorts the whole queue and says so', async ({ signedOutPage: page }) => {
  const header = page.getByRole('columnheader', { name: 'Case' });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const ascending = await deskQueue(page, { sort: { column: 'id', direction: 'asc' } });
  await expect(bodyRows(page).first()).toHaveAttribute('data-case-id', ascending.rows[0]!.id);

  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const descending = await deskQueue(page, { sort: { column: 'id', direction: 'desc' } });
  await expect(bodyRows(page).first()).toHaveAttribute('data-case-id', descending.rows[0]!.id);
  await expect(page.getByRole('columnheader', { name: 'SLA' })).not.toHaveAttribute('aria-sort', /.+/);
});

test('j and k move through the rows and Enter opens the case', async ({ signedOutPage: page }) => {
  const all = await deskQueue(page);
  // Nothing focused yet: the first j enters the table on its first row.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('j');
  await expect(bodyRows(page).first()).toBeFocused();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const second = all.rows[1]!.id;
  await expect(queueTable(page).locator(`[data-case-id="${second}"]`)).toBeFocused();
  await expect(queueTable(page).locator(`[data-case-id="${second}"]`)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/cases/${second}$`));
});

test('filters narrow the queue', async ({ signedOutPage: page }) => {
  await page.getByRole('combobox', { name: 'Payment method' }).selectOption('Zelle');
  const zelle = await deskQueue(page, { filters: { paymentMethod: ['Zelle'] } });
  await expect(page.getByText(`${zelle.total.toLocaleString('en-US')} ${zelle.total === 1 ? 'case' : 'cases'}`, { exact: true })).toBeVisible();
  for (const cell of await bodyRows(page).getByRole('cell').nth(3).all()) await expect(cell).toHaveText('Zelle');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('combobox', { name: 'Payment method' })).toHaveValue('');
});

test('search runs as the user types, and the answer to older text never replaces the newest', async ({ signedOutPage: page }) => {
  const all = await deskQueue(page);
  // A party's name that several cases share but not all, and one of those cases by its id: typing the
  // name and then the id must end on the id's rows, never showing the name's on the way.
  let broad: { term: string; total: number } | null = null;
  let narrow: QueuePage | null = null;
  for (const row of all.rows) {
    const byName = await deskQueue(page, { search: row.buyer.displayName });
    if (byName.total < 2 || byName.total === all.total) continue;
    broad = { term: row.buyer.displayName, total: byName.total };
    narrow = await deskQueue(page, { search: row.id });
    break;
  }
  if (!broad || !narrow) throw new Error('the demo data has no party shared by some cases but not all');
  expect(narrow.total).not.toBe(broad.total);

  // A test hook in the page: the desk's answer to the broad search is held until the narrow one is typed,
  // and every row count the table takes is noted.
  await page.evaluate((held) => {
    const hook = window as unknown as { __heldAsked: boolean; __releaseHeld: () => void; __rowCounts: string[] };
    const desk = window.desk!;
    const invoke = desk.invoke.bind(desk) as (channel: string, input?: unknown) => Promise<unknown>;
    const release = new Promise<void>((done) => (hook.__releaseHeld = done));
    hook.__heldAsked = false;
    desk.invoke = ((channel: string, input?: { search?: string }) => {
      if (channel !== 'queue.query' || input?.search !== held) return invoke(channel, input);
      hook.__heldAsked = true;
      return release.then(() => invoke(channel, input));
    }) as typeof desk.invoke;
    hook.__rowCounts = [];
    const table = document.querySelector('[role="table"]')!;
    new MutationObserver(() => hook.__rowCounts.push(table.getAttribute('aria-rowcount') ?? '')).observe(table, {
      attributes: true,
      attributeFilter: ['aria-rowcount'],
    });
  }, broad.term);

  const box = page.getByRole('searchbox', { name: 'Search cases' });
  await box.fill(broad.term);
  await page.waitForFunction(() => (window as unknown as { __heldAsked: boolean }).__heldAsked);
  await box.fill(narrow.rows[0]!.id);
  await page.evaluate(() => (window as unknown as { __releaseHeld: () => void }).__releaseHeld());

  await expect(queueTable(page)).toHaveAttribute('aria-rowcount', String(narrow.total + 1));
  await expect(bodyRows(page).first()).toHaveAttribute('data-case-id', narrow.rows[0]!.id);
  const shown = await page.evaluate(() => (window as unknown as { __rowCounts: string[] }).__rowCounts);
  expect(shown).not.toContain(String(broad.total + 1));
  await expect(page.getByText(`${narrow.total.toLocaleString('en-US')} ${narrow.total === 1 ? 'case' : 'cases'}`, { exact: true })).toBeVisible();
});
