// `npm start`'s decisions (scripts/start/): is Electron's runtime installed (from its files, never by loading
// the electron package), why did its installer fail, where does the browser host keep its data, and when is a
// browser opened (through a launch page, so that the secret is on no command line). The real processes are in tests/host/start-fallback.test.ts.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readyLine } from '../../electron/host/host-server';
import {
  appDataDir,
  browserHostDataDir,
  browserOpenDecision,
  noDesktopSession,
  pageUrlOfReadyLine,
} from '../../scripts/start/browser-fallback';
import {
  downloadHost,
  electronPlatformPath,
  findElectronRuntime,
  installFailureReason,
  type InstallOutcome,
} from '../../scripts/start/electron-runtime';
import {
  electronFailureReason,
  electronIgnoresNote,
  failedToOpenWindow,
  parseStartArguments,
  StartUsageError,
  WINDOW_GRACE_MS,
} from '../../scripts/start/electron-launch';
import {
  launchPageHtml,
  openThroughLaunchPage,
  removeLaunchPageLater,
  removeStaleLaunchPages,
  writeLaunchPage,
} from '../../scripts/start/launch-page';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dd-start-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** An electron package folder as npm leaves it, and optionally as install.js completes it. */
function electronPackage(files: { distVersion?: string; pathTxt?: string; executable?: string }): string {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  if (files.distVersion !== undefined) {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'version'), files.distVersion);
  }
  if (files.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), files.pathTxt);
  if (files.executable !== undefined) {
    mkdirSync(join(dir, 'dist', files.executable, '..'), { recursive: true });
    writeFileSync(join(dir, 'dist', files.executable), '');
  }
  return dir;
}

describe('findElectronRuntime', () => {
  it('finds the runtime install.js completed: version, path.txt and the executable', () => {
    const packageDir = electronPackage({
      distVersion: 'v45.4.1',
      pathTxt: 'electron',
      executable: 'electron',
    });
    expect(findElectronRuntime(packageDir, { platform: 'linux' })).toEqual({
      installed: true,
      executable: join(packageDir, 'dist', 'electron'),
    });
  });

  it('finds the macOS app bundle and the Windows executable by the names install.js writes', () => {
    const mac = electronPlatformPath('darwin')!;
    const packageDir = electronPackage({ distVersion: '45.4.1', pathTxt: mac, executable: mac });
    expect(findElectronRuntime(packageDir, { platform: 'darwin' })).toMatchObject({ installed: true });
    expect(electronPlatformPath('win32')).toBe('electron.exe');
    // A runtime downloaded for another system is not this one's.
    expect(findElectronRuntime(packageDir, { platform: 'win32' })).toMatchObject({ installed: false });
  });

  it('reports a package npm installed but nobody downloaded the runtime for (Electron 45 on a fresh machine)', () => {
    expect(findElectronRuntime(electronPackage({}), { platform: 'linux' })).toEqual({
      installed: false,
      installable: true,
      why: 'not downloaded yet',
    });
  });

  it('reports a half-finished download: dist/version without path.txt, or path.txt without the executable', () => {
    expect(
      findElectronRuntime(electronPackage({ distVersion: '45.4.1' }), { platform: 'linux' }),
    ).toMatchObject({
      installed: false,
      installable: true,
    });
    expect(
      findElectronRuntime(electronPackage({ distVersion: '45.4.1', pathTxt: 'electron' }), {
        platform: 'linux',
      }),
    ).toMatchObject({
      installed: false,
      installable: true,
      why: expect.stringMatching(/dist\/electron is missing$/),
    });
  });

  it('counts a runtime of another Electron version as missing, as install.js does', () => {
    const packageDir = electronPackage({
      distVersion: '44.0.0',
      pathTxt: 'electron',
      executable: 'electron',
    });
    expect(findElectronRuntime(packageDir, { platform: 'linux' })).toEqual({
      installed: false,
      installable: true,
      why: 'version 44.0.0 is installed, the project needs 45.4.1',
    });
  });

  it('looks for the executable under ELECTRON_OVERRIDE_DIST_PATH when it is set', () => {
    const packageDir = electronPackage({
      distVersion: '45.4.1',
      pathTxt: 'electron',
      executable: 'electron',
    });
    const elsewhere = mkdtempSync(join(tmpdir(), 'dd-start-dist-'));
    try {
      expect(
        findElectronRuntime(packageDir, { platform: 'linux', overrideDistPath: elsewhere }),
      ).toMatchObject({
        installed: false,
      });
      writeFileSync(join(elsewhere, 'electron'), '');
      expect(findElectronRuntime(packageDir, { platform: 'linux', overrideDistPath: elsewhere })).toEqual({
        installed: true,
        executable: join(elsewhere, 'electron'),
      });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('says when there is nothing an installer could fix: no electron package, or no build for the system', () => {
    expect(findElectronRuntime(join(dir, 'absent'), { platform: 'linux' })).toEqual({
      installed: false,
      installable: false,
      why: 'the electron package is not installed',
    });
    expect(findElectronRuntime(electronPackage({}), { platform: 'aix' })).toEqual({
      installed: false,
      installable: false,
      why: 'Electron has no build for aix',
    });
  });
});

describe('installFailureReason', () => {
  const failed = (output: string, rest: Partial<InstallOutcome> = {}): string =>
    installFailureReason({
      exitCode: 1,
      timedOut: false,
      output,
      timeoutSeconds: 600,
      host: 'github.com',
      ...rest,
    });

  it('reads a network failure out of the stack trace install.js prints', () => {
    expect(failed('TypeError: fetch failed\n    at node:internal/deps/undici/undici:15270:13')).toBe(
      'no connection to github.com',
    );
    expect(failed('Error: getaddrinfo ENOTFOUND github.com')).toBe('no connection to github.com');
    expect(failed('Error: connect ECONNREFUSED 127.0.0.1:9', { host: '127.0.0.1:9' })).toBe(
      'no connection to 127.0.0.1:9',
    );
  });

  it('names an HTTP refusal, a bad checksum, a system without a build and a folder it cannot write', () => {
    expect(failed('HTTPError: Response code 404 (Not Found) for https://github.com/…')).toBe(
      'github.com answered HTTP 404',
    );
    expect(failed('Error: Generated checksum for "electron.zip" did not match expected checksum.')).toBe(
      'the download did not match its checksum',
    );
    expect(failed('Error: Electron 45.4.1 does not have a published linux/ppc64 artifact.')).toBe(
      'Electron publishes no build for this system',
    );
    expect(failed("Error: EACCES: permission denied, mkdir '/usr/lib/node_modules/electron/dist'")).toBe(
      'it could not be written to node_modules/electron (EACCES)',
    );
  });

  it('says the download took too long, or that the installer could not start, or its exit code otherwise', () => {
    expect(failed('', { exitCode: null, timedOut: true })).toBe('the download took longer than 10 minutes');
    expect(failed('', { exitCode: null, startError: 'spawn node ENOENT' })).toBe(
      'its installer could not start: spawn node ENOENT',
    );
    expect(failed('something else entirely', { exitCode: 7 })).toBe('its installer failed (exit code 7)');
  });
});

describe('downloadHost', () => {
  it('is GitHub unless a mirror is configured the ways @electron/get reads one', () => {
    expect(downloadHost({})).toBe('github.com');
    expect(downloadHost({ ELECTRON_MIRROR: 'https://npmmirror.com/mirrors/electron/' })).toBe(
      'npmmirror.com',
    );
    expect(downloadHost({ npm_config_electron_mirror: 'http://127.0.0.1:9/' })).toBe('127.0.0.1:9');
  });
});

describe('the browser host in Electron’s place', () => {
  it('keeps its data in a folder of its own inside the user-data folder Electron uses on each system', () => {
    expect(appDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config');
    expect(appDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ana')).toBe('/xdg');
    expect(appDataDir('darwin', {}, '/Users/ana')).toBe(join('/Users/ana', 'Library', 'Application Support'));
    expect(appDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming',
    );
    expect(browserHostDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Dispute Desk/browser-host');
  });

  it('falls back on Linux without an X11 or Wayland session, never on Windows or macOS', () => {
    expect(noDesktopSession('linux', {})).toMatch(/DISPLAY/);
    expect(noDesktopSession('linux', { DISPLAY: ':0' })).toBeNull();
    expect(noDesktopSession('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(noDesktopSession('darwin', {})).toBeNull();
    expect(noDesktopSession('win32', {})).toBeNull();
  });

  it('reads the address out of the very line the host prints', () => {
    const url = `http://127.0.0.1:43123/#k=${'ab'.repeat(32)}`;
    expect(pageUrlOfReadyLine(readyLine(url))).toBe(url);
    expect(pageUrlOfReadyLine('[browser host] info Starting the bundled platform server')).toBeNull();
  });
});

describe('browserOpenDecision', () => {
  const desktop = { DISPLAY: ':0' };

  it('picks the system opener on each system', () => {
    expect(browserOpenDecision('linux', desktop, false)).toEqual({
      open: true,
      opener: { command: 'xdg-open', args: [] },
    });
    expect(browserOpenDecision('darwin', {}, false)).toEqual({
      open: true,
      opener: { command: 'open', args: [] },
    });
    expect(browserOpenDecision('win32', {}, false)).toEqual({
      open: true,
      opener: { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] },
    });
  });

  it('follows BROWSER: none never opens one, a program opens it with that program', () => {
    expect(browserOpenDecision('linux', { ...desktop, BROWSER: 'none' }, false)).toEqual({
      open: false,
      why: 'BROWSER=none',
    });
    expect(browserOpenDecision('darwin', { BROWSER: 'firefox' }, false)).toEqual({
      open: true,
      opener: { command: 'firefox', args: [] },
    });
  });

  it('opens nothing with --no-open, in CI or without a desktop session', () => {
    expect(browserOpenDecision('linux', desktop, true)).toEqual({ open: false, why: '--no-open' });
    expect(browserOpenDecision('linux', { ...desktop, CI: 'true' }, false)).toEqual({
      open: false,
      why: 'CI is set',
    });
    expect(browserOpenDecision('linux', { ...desktop, CI: 'false' }, false)).toMatchObject({
      open: true,
    });
    expect(browserOpenDecision('linux', {}, false)).toMatchObject({
      open: false,
      why: expect.stringMatching(/DISPLAY/),
    });
  });
});

describe('the launch page: the secret on no command line', () => {
  const secret = 'ab'.repeat(32);
  const pageUrl = `http://127.0.0.1:43123/#k=${secret}`;
  const openers: Array<[NodeJS.Platform, NodeJS.ProcessEnv]> = [
    ['linux', { DISPLAY: ':0' }],
    ['darwin', {}],
    ['win32', {}],
    ['linux', { WAYLAND_DISPLAY: 'wayland-0', BROWSER: 'firefox' }],
  ];

  it.each(openers)('hands the %s opener (%o) the page’s file:// URL, never the address', (platform, env) => {
    const decision = openThroughLaunchPage(pageUrl, dir, platform, env, false);
    if (!decision.open) throw new Error(decision.why);
    const argv = [decision.command, ...decision.args];
    expect(argv.join(' ')).not.toContain(secret);
    expect(argv.join(' ')).not.toContain('127.0.0.1');
    expect(decision.args.at(-1)).toBe(decision.page.fileUrl);
    expect(fileURLToPath(decision.page.fileUrl)).toBe(decision.page.file);
    expect(decision.page.file).not.toContain(secret);
    expect(readFileSync(decision.page.file, 'utf8')).toContain(pageUrl);
  });

  it('writes no page where no browser is opened', () => {
    expect(openThroughLaunchPage(pageUrl, dir, 'linux', {}, false)).toMatchObject({ open: false });
    expect(openThroughLaunchPage(pageUrl, dir, 'darwin', { BROWSER: 'none' }, false)).toMatchObject({
      open: false,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')(
    'keeps the page readable by this user only: the file 0600 in a folder of its own, 0700',
    () => {
      const page = writeLaunchPage(join(dir, 'browser-host'), pageUrl);
      expect(statSync(page.folder).mode & 0o777).toBe(0o700);
      expect(statSync(page.file).mode & 0o777).toBe(0o600);
      expect(join(page.file, '..')).toBe(page.folder);
      // A second start beside the first gets a folder of its own.
      const second = writeLaunchPage(join(dir, 'browser-host'), pageUrl);
      expect(second.folder).not.toBe(page.folder);
    },
  );

  it('sends the browser on with location.replace and a meta refresh, fragment and all', () => {
    const html = launchPageHtml(pageUrl);
    expect(html).toContain(`<script>location.replace("${pageUrl}");</script>`);
    expect(html).toContain(`<meta http-equiv="refresh" content="1; url=${pageUrl}">`);
  });

  it('escapes an address that could end the script or the attribute', () => {
    const html = launchPageHtml('http://127.0.0.1:1/#k=x"></script><script>alert(1)</script>');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toContain('"><');
    expect(html).toContain('\\u003c/script>');
  });

  it('is removed after its lifetime, at once when asked, and only once', () => {
    vi.useFakeTimers();
    try {
      const page = writeLaunchPage(dir, pageUrl);
      removeLaunchPageLater(page, 120_000);
      vi.advanceTimersByTime(119_000);
      expect(existsSync(page.file)).toBe(true);
      vi.advanceTimersByTime(1_000);
      expect(existsSync(page.folder)).toBe(false);

      const other = writeLaunchPage(dir, pageUrl);
      const removeNow = removeLaunchPageLater(other, 120_000);
      removeNow();
      expect(existsSync(other.folder)).toBe(false);
      removeNow();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is removed when the process exits', () => {
    const before = process.listenerCount('exit');
    const page = writeLaunchPage(dir, pageUrl);
    removeLaunchPageLater(page, 120_000);
    const listeners = process.listeners('exit');
    expect(listeners).toHaveLength(before + 1);
    // The very listener 'exit' runs, called as Node would on the way out.
    (listeners.at(-1) as (code: number) => void)(0);
    expect(existsSync(page.folder)).toBe(false);
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('sweeps pages a killed start left behind, once their lifetime is over, and nothing else', () => {
    const stale = writeLaunchPage(dir, pageUrl);
    const fresh = writeLaunchPage(dir, pageUrl);
    mkdirSync(join(dir, 'desk'));
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(stale.folder, longAgo, longAgo);
    expect(removeStaleLaunchPages(dir, Date.now(), 120_000)).toEqual([stale.folder]);
    expect(existsSync(fresh.file)).toBe(true);
    expect(existsSync(join(dir, 'desk'))).toBe(true);
    expect(removeStaleLaunchPages(join(dir, 'absent'), Date.now())).toEqual([]);
  });
});

describe('npm start’s command line and a window that could not open', () => {
  it('takes --no-open, and --server or --demo for the browser host, checked before anything starts', () => {
    expect(parseStartArguments([])).toEqual({ noOpen: false, hostArgs: [] });
    expect(parseStartArguments(['--no-open', '--server', 'https://disputes.example.com'])).toEqual({
      noOpen: true,
      hostArgs: ['--server', 'https://disputes.example.com'],
    });
    expect(parseStartArguments(['--demo'])).toEqual({ noOpen: false, hostArgs: ['--demo'] });
    expect(() => parseStartArguments(['--server', 'http://disputes.example.com'])).toThrow(StartUsageError);
    expect(() => parseStartArguments(['--server', 'https://a.example', '--demo'])).toThrow(/one of them/);
    expect(() => parseStartArguments(['--verbose'])).toThrow(StartUsageError);
  });

  it('tells the desktop app user that --server and --demo are the browser host’s', () => {
    expect(electronIgnoresNote([])).toBeNull();
    expect(electronIgnoresNote(['--demo'])).toMatch(/^--demo applies to the browser host only/);
  });

  it('counts a non-zero exit within the grace period after Electron started as a window that could not open', () => {
    expect(failedToOpenWindow(1, 1_000, 2_500)).toBe(true);
    expect(failedToOpenWindow(1, 1_000, 1_000 + WINDOW_GRACE_MS + 1)).toBe(false);
    expect(failedToOpenWindow(0, 1_000, 2_000)).toBe(false);
    // A build error: electron-vite never started Electron; its log is what the developer needs.
    expect(failedToOpenWindow(1, null, 2_000)).toBe(false);
  });

  it('names the cause in Electron’s own first line', () => {
    expect(
      electronFailureReason(
        '\x1b[32m\n[4242:0612/101010.1:ERROR:ozone_platform_x11.cc(240)] Missing X server or $DISPLAY\n[4242:0612/101010.2:ERROR:env.cc(255)] The platform failed to initialize.  Exiting.\n',
      ),
    ).toBe('Missing X server or $DISPLAY');
    expect(
      electronFailureReason('/x/dist/electron: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory\n'),
    ).toContain('libnss3.so');
    expect(electronFailureReason('')).toBe('it exited at once without a word');
    expect(electronFailureReason('x'.repeat(500)).length).toBe(201);
  });
});
