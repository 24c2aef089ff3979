// The case view reads the case once per change. One click on "Claim case" brings the command's answer, the
// outbox's updates (pending, confirmed), a 'cases.changed' for the case written from the answer and another
// for the sync page carrying the same version: the workspace reads 'case.get' once for all of them, not
// once each. The reads are counted on the page's own window.desk.
import { startBrowserHost } from './browser-host';
import { expect, openSignedOut, test, withCodes } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn } from './fixtures/signin';

// A plain open case of the demo data (no hold, no four-eyes, unassigned). This test has a host and a
// server of its own, so no other test can claim it first.
const CASE_ID = 'DSP-100044';

interface Counted {
  reads: number;
  /** 'cases.changed' for the case with its summary: sent when a sync page wrote it. */
  syncPages: number;
}

test('one claim costs one read of the case view', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const host = withCodes(await startBrowserHost());
  try {
    await openSignedOut(page, host);
    await signIn(page, host, 'bruno');
    await page.getByRole('searchbox', { name: 'Search cases' }).fill(CASE_ID);
    const row = page.getByRole('table', { name: 'Case queue' }).getByRole('row').filter({ hasText: CASE_ID });
    await expect(row).toHaveCount(1, { timeout: 15_000 });
    await row.click();
    const workspace = page.getByRole('article', { name: `Case ${CASE_ID}` });
    await expect(workspace).toHaveAttribute('aria-busy', 'false', { timeout: 15_000 });
    await expect(workspace.getByRole('button', { name: 'Claim case' })).toBeEnabled();

    // From here on, count what the screen asks the desk and what the desk tells it about this case.
    await page.evaluate((caseId) => {
      const desk = window.desk!;
      const counted: Counted = { reads: 0, syncPages: 0 };
      (window as unknown as { counted: Counted }).counted = counted;
      const invoke = desk.invoke.bind(desk);
      desk.invoke = ((channel: Parameters<typeof invoke>[0], ...input: unknown[]) => {
        if (channel === 'case.get') counted.reads += 1;
        return (invoke as (channel: string, ...rest: unknown[]) => unknown)(channel, ...input);
      }) as typeof desk.invoke;
      desk.on('cases.changed', ({ caseIds, summaries }) => {
        if (caseIds.includes(caseId) && summaries?.some((summary) => summary.id === caseId)) counted.syncPages += 1;
      });
    }, CASE_ID);
    const counted = () => page.evaluate(() => (window as unknown as { counted: Counted }).counted);

    await workspace.getByRole('button', { name: 'Claim case' }).click();
    await expect(workspace.getByRole('button', { name: 'Release to buyer' })).toBeEnabled({ timeout: 15_000 });
    // The sync page with the claimed case has come, and the view has nothing more to read.
    await expect.poll(async () => (await counted()).syncPages, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await expect(workspace).toHaveAttribute('aria-busy', 'false');
    expect((await counted()).reads).toBe(1);
    await saveScreenshot(page, testInfo, 'case-claimed-one-read');
  } finally {
    await host.stop();
  }
});
