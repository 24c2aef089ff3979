// The Electron shell itself. It runs only where an Electron binary is installed: on this kind of
// machine Electron cannot be downloaded (DESIGN §8), and calling require('electron') or the electron
// command would try, so the binary is detected by its files alone. global-setup.ts has built out/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronRuntime } from '../../scripts/start/electron-runtime';

/** Decided as `npm start` decides it (scripts/start/electron-runtime.ts): by the files install.js leaves. */
function installedElectronBinary(): string | null {
  const runtime = findElectronRuntime(join(process.cwd(), 'node_modules', 'electron'), {
    platform: process.platform,
    overrideDistPath: process.env.ELECTRON_OVERRIDE_DIST_PATH,
  });
  return runtime.installed ? runtime.executable : null;
}

const electronBinary = installedElectronBinary();
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

/** The Electron binary to launch, or null after skipping the test with the reason it cannot run here. */
function electronBinaryOrSkip(): string | null {
  if (electronBinary === null) {
    skipBecause('no Electron binary is installed (node_modules/electron/path.txt and dist/ are missing).');
    return null;
  }
  if (needsDisplay) {
    skipBecause('this Linux machine has no display; run the tests under xvfb-run to include Electron.');
    return null;
  }
  return electronBinary;
}

/** Skips with the reason in the annotations and in the run's output, where the list reporter shows none. */
function skipBecause(reason: string): void {
  console.log(`Electron smoke test skipped: ${reason}`);
  test.skip(true, reason);
}

test.describe('Electron shell', () => {
  test('opens one sandboxed window whose desk bridge reaches the bundled server', async () => {
    const executablePath = electronBinaryOrSkip();
    if (executablePath === null) return;
    // A fresh profile: the bundled server seeds the demo data there on first run, as for a new user.
    const userDataDir = mkdtempSync(join(tmpdir(), 'dd-electron-'));
    const app = await electron.launch({
      executablePath,
      // The project folder rather than out/main/index.js itself, so that Electron reads the app's name
      // and version from package.json as a packaged app does; its "main" is out/main/index.js.
      // Chromium cannot start its OS sandbox as root (CI containers); the renderer stays sandboxed from Node.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), `--user-data-dir=${userDataDir}`, '.'],
    });
    try {
      const mainWindow = await app.firstWindow();
      await expect(mainWindow).toHaveTitle('Dispute Desk');
      expect(await mainWindow.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(await mainWindow.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
        'undefined',
      );
      // The call travels renderer → preload → main (sender and channel checks) → desk worker and back.
      const state = await mainWindow.evaluate(() => window.desk!.invoke('session.state'));
      expect(state).toMatchObject({
        ok: true,
        value: { user: null, serverUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
      });
      const unknown = await mainWindow.evaluate(() =>
        (window.desk!.invoke as (channel: string) => Promise<unknown>)('session.steal'),
      );
      expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    } finally {
      await app.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });

  test('opens the case of a dispute-desk:// link it was started with', async () => {
    const executablePath = electronBinaryOrSkip();
    if (executablePath === null) return;
    const userDataDir = mkdtempSync(join(tmpdir(), 'dd-electron-'));
    // Windows and Linux hand the link over as an argument (macOS as open-url, which a test cannot send).
    const app = await electron.launch({
      executablePath,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        `--user-data-dir=${userDataDir}`,
        '.',
        'dispute-desk://case/DSP-100005',
      ],
    });
    try {
      const mainWindow = await app.firstWindow();
      await mainWindow.waitForURL((url) => url.hash === '#/cases/DSP-100005');
      // The shell's own bridge is there: the renderer knows it runs in Electron.
      expect(await mainWindow.evaluate(() => typeof window.deskShell?.openCaseWindow)).toBe('function');
    } finally {
      await app.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});
