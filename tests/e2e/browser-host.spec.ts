// The whole product in a plain browser: `npm run browser` with its bundled server and demo data, the page
// opened at the printed URL in real Chromium, and window.desk reaching the desk service.
import { expect, test } from '@playwright/test';
import { startBrowserHost, type BrowserHost } from './browser-host';

// One host for the file: its tests run in order in one worker rather than each seeding its own.
test.describe.configure({ mode: 'default' });

let host: BrowserHost;

test.beforeAll(async () => {
  // First run: the bundled server seeds the demo data before it says it is ready.
  test.setTimeout(120_000);
  host = await startBrowserHost();
});

test.afterAll(async () => {
  await host?.stop();
});

test('the page gets a working window.desk and the secret leaves the address bar', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));

  await page.goto(host.pageUrl);
  await expect(page).toHaveTitle('Dispute Desk');
  await page.waitForFunction(() => window.desk !== undefined);
  expect(new URL(page.url()).hash).toBe('');

  const state = await page.evaluate(() => window.desk!.invoke('session.state'));
  expect(state).toMatchObject({
    ok: true,
    value: { user: null, serverUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
  });
  const signIn = await page.evaluate(() =>
    window.desk!.invoke('session.signIn', { username: 'ana', password: 'ana-demo-pass' }),
  );
  expect(signIn).toEqual({ ok: true, value: { next: 'totp' } });

  // A reload keeps the tab's bridge.
  await page.reload();
  expect(await page.evaluate(() => window.desk!.invoke('session.state'))).toMatchObject({ ok: true });
  expect(errors).toEqual([]);
});

test('a page opened without the secret gets no bridge, and another origin cannot open one', async ({
  page,
}) => {
  const origin = new URL(host.pageUrl).origin;
  await page.goto(`${origin}/`);
  await expect(page).toHaveTitle('Dispute Desk');
  expect(await page.evaluate(() => 'desk' in window)).toBe(false);

  const secret = new URL(host.pageUrl).hash.slice('#k='.length);
  await page.goto('about:blank');
  const outcome = await page.evaluate(
    ({ url, secret }) =>
      new Promise<string>((done) => {
        const socket = new WebSocket(url, ['dispute-desk.v1', `dispute-desk.k.${secret}`]);
        socket.onopen = () => done('opened');
        socket.onclose = () => done('refused');
      }),
    { url: `${origin.replace('http', 'ws')}/desk`, secret },
  );
  expect(outcome).toBe('refused');
});
