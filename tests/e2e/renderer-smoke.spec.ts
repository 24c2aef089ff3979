// The built renderer in real Chromium, served the way the browser host serves it: from loopback, with
// no window.desk bridge. global-setup.ts has built out/renderer.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, sep } from 'node:path';
import { expect, test } from '@playwright/test';

const rendererRoot = join(process.cwd(), 'out', 'renderer');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1 at a free port; anything outside `root` or missing is a 404. */
async function serveStatic(root: string): Promise<StaticServer> {
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const filePath = join(root, normalize(pathname === '/' ? 'index.html' : pathname));
    const fromRoot = relative(root, filePath);
    if (fromRoot.startsWith(`..${sep}`) || fromRoot === '..') {
      response.writeHead(404).end();
      return;
    }
    readFile(filePath).then(
      (body) => {
        const contentType = contentTypes[extname(filePath)] ?? 'application/octet-stream';
        response.writeHead(200, { 'Content-Type': contentType }).end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

let server: StaticServer;

test.beforeAll(async () => {
  server = await serveStatic(rendererRoot);
});

test.afterAll(async () => {
  await server.close();
});

test('the built renderer explains how to open the desk in a plain browser', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));

  await page.goto(server.url);

  await expect(page).toHaveTitle('Dispute Desk');
  await expect(page.getByRole('main').getByRole('heading', { level: 1, name: 'Dispute Desk' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('This page needs the Dispute Desk app.');
  expect(await page.evaluate(() => 'desk' in window)).toBe(false);

  await page.screenshot({ path: testInfo.outputPath('renderer-smoke.png'), fullPage: true });
  expect(errors).toEqual([]);
});
