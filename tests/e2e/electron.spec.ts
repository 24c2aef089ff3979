// The Electron shell itself. It runs only where an Electron binary is installed: on this kind of
// machine Electron cannot be downloaded (DESIGN §8), and calling require('electron') or the electron
// command would try, so the binary is detected by its files alone. global-setup.ts has built out/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const electronPackage = join(process.cwd(), 'node_modules', 'electron');

/** The path electron's own install script records in path.txt, when it has downloaded the binary. */
function installedElectronBinary(): string | null {
  const pathFile = join(electronPackage, 'path.txt');
  const distDir = join(electronPackage, 'dist');
  if (!existsSync(pathFile) || !existsSync(distDir)) return null;
  return join(distDir, readFileSync(pathFile, 'utf8').trim());
}

const electronBinary = installedElectronBinary();
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const appVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** Skips with the reason in the annotations and in the run's output, where the list reporter shows none. */
function skipBecause(reason: string): void {
  console.log(`Electron smoke test skipped: ${reason}`);
  test.skip(true, reason);
}

test.describe('Electron shell', () => {
  test('opens one sandboxed window that has the desk bridge and no Node', async () => {
    if (electronBinary === null) {
      skipBecause('no Electron binary is installed (node_modules/electron/path.txt and dist/ are missing).');
      return;
    }
    if (needsDisplay)
      skipBecause('this Linux machine has no display; run the tests under xvfb-run to include Electron.');
    const app = await electron.launch({
      executablePath: electronBinary,
      // The project folder rather than out/main/index.js itself, so that Electron reads the app's name
      // and version from package.json as a packaged app does; its "main" is out/main/index.js.
      // Chromium cannot start its OS sandbox as root (CI containers); the renderer stays sandboxed from Node.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.'],
    });
    try {
      const mainWindow = await app.firstWindow();
      await expect(mainWindow).toHaveTitle('Dispute Desk');
      await expect(mainWindow.getByRole('heading', { level: 1, name: 'Dispute Desk' })).toBeVisible();
      expect(await mainWindow.evaluate(() => typeof (window as Window & { desk?: unknown }).desk)).toBe(
        'object',
      );
      expect(await mainWindow.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(await mainWindow.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
        'undefined',
      );
      // The version travels renderer → preload → main and back, through the sender check.
      await expect(mainWindow.getByText(`Version ${appVersion}`)).toBeVisible();
    } finally {
      await app.close();
    }
  });
});
