// `npm start` where Electron's runtime cannot be had, for real: the start script runs Electron's own installer
// (a copy of the electron package whose download server refuses connections, so node_modules/electron is
// never touched and nothing is downloaded), says why in one line, starts the browser host, passes on its ready
// line, opens the page with the BROWSER program (through the launch page: the secret on no command line, the
// page followed in real Chromium to the desk) and stops everything on Ctrl-C.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import axios from 'axios';
import { chromium, type Page } from '@playwright/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBundledServer } from '../../electron/launch/bundled-server';
import { get } from './helpers';

const READY_LINE = /^Dispute Desk is ready at http:\/\/127\.0\.0\.1:(\d+)\/#k=[0-9a-f]{64}$/;
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface StartProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: () => string;
  exit: Promise<number | null>;
}

let dir: string;
const started: StartProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dd-start-'));
});

afterEach(async () => {
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null) {
      process.kill(-run.child.pid!, 'SIGKILL');
      await run.exit;
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on: bound by the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** The electron package as npm installs it (no runtime), with the @electron/get its installer loads. */
function electronPackageWithoutRuntime(): string {
  const packageDir = join(dir, 'node_modules', 'electron');
  mkdirSync(packageDir, { recursive: true });
  for (const file of ['package.json', 'install.js', 'checksums.json'])
    copyFileSync(resolve('node_modules/electron', file), join(packageDir, file));
  mkdirSync(join(dir, 'node_modules', '@electron'));
  symlinkSync(resolve('node_modules/@electron/get'), join(dir, 'node_modules', '@electron', 'get'), 'dir');
  return packageDir;
}

/** A BROWSER program that writes down the address it was asked to open. */
function recordingBrowser(): { program: string; opened: string } {
  const program = join(dir, 'browser.sh');
  const opened = join(dir, 'opened.txt');
  writeFileSync(program, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
  chmodSync(program, 0o755);
  return { program, opened };
}

/**
 * An electron package whose runtime is installed (install.js's three files) but cannot open a window: its
 * executable says what Electron says without an X server, and exits 1.
 */
function electronPackageThatCannotOpenAWindow(): string {
  const packageDir = join(dir, 'no-window', 'electron');
  mkdirSync(join(packageDir, 'dist'), { recursive: true });
  copyFileSync(resolve('node_modules/electron/package.json'), join(packageDir, 'package.json'));
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(packageDir, 'dist', 'version'), `v${version}`);
  writeFileSync(join(packageDir, 'path.txt'), 'electron');
  const executable = join(packageDir, 'dist', 'electron');
  writeFileSync(
    executable,
    '#!/bin/sh\n' +
      "echo '[4242:0612/101010.123456:ERROR:ozone_platform_x11.cc(240)] Missing X server or $DISPLAY' >&2\n" +
      "echo '[4242:0612/101010.123457:ERROR:env.cc(255)] The platform failed to initialize.  Exiting.' >&2\n" +
      'exit 1\n',
  );
  chmodSync(executable, 0o755);
  return packageDir;
}

function runStart(env: NodeJS.ProcessEnv, args: string[] = []): StartProcess {
  const inherited = { ...process.env };
  for (const key of [
    'CI',
    'BROWSER',
    'DISPLAY',
    'WAYLAND_DISPLAY',
    'ELECTRON_MIRROR',
    'ELECTRON_OVERRIDE_DIST_PATH',
  ])
    delete inherited[key];
  // Its own process group, as a terminal gives it: Ctrl-C is a SIGINT to the whole group.
  const child = spawn(process.execPath, ['--import', tsx, resolve('scripts/start.ts'), ...args], {
    env: { ...inherited, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const stdout: string[] = [];
  let stderr = '';
  child.stdout
    .setEncoding('utf8')
    .on('data', (chunk: string) => stdout.push(...chunk.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const run = { child, stdout, stderr: () => stderr, exit };
  started.push(run);
  return run;
}

/** Resolves when `check` holds on the output so far, or fails with the output if the script exits first. */
function waitFor(run: StartProcess, check: () => boolean): Promise<void> {
  return new Promise((done, fail) => {
    const look = (): void => {
      if (check()) done();
    };
    run.child.stdout.on('data', look);
    run.child.stderr.on('data', look);
    look();
    void run.exit.then((code) => fail(new Error(`npm start exited (${code}):\n${run.stderr()}`)));
  });
}

/** Headless Chromium (Debian's where there is one, as playwright.config.ts does) on `url`, once it has moved on. */
async function openInChromium(url: string): Promise<Page> {
  const browser = await chromium.launch(
    existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {},
  );
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  await page.waitForFunction(() => window.desk !== undefined);
  return page;
}

/** The browser host's folder under XDG_CONFIG_HOME, with a server store made beforehand (no demo seed). */
async function preparedDataFolder(configHome: string): Promise<void> {
  const server = await startBundledServer({
    dataDir: join(configHome, 'Dispute Desk', 'browser-host', 'server'),
    seed: 'none',
  });
  await server.stop();
}

// POSIX only: the terminal's Ctrl-C is a signal to a process group, and the BROWSER program is a shell script.
describe.skipIf(process.platform === 'win32')('npm start without Electron’s runtime', () => {
  it('runs Electron’s installer, says in one line why it failed, starts the browser host, opens it, and stops on Ctrl-C', async () => {
    const configHome = join(dir, 'config');
    await preparedDataFolder(configHome);
    const electronDir = electronPackageWithoutRuntime();
    const port = await closedPort();
    const browser = recordingBrowser();
    const run = runStart({
      DISPUTE_DESK_ELECTRON_DIR: electronDir,
      ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      electron_config_cache: join(dir, 'cache'),
      XDG_CONFIG_HOME: configHome,
      DISPLAY: ':99',
      BROWSER: browser.program,
    });

    await waitFor(run, () => run.stdout.length > 0 && /^Opened /m.test(run.stderr()));
    expect(run.stdout).toHaveLength(1);
    const [, pagePort] = READY_LINE.exec(run.stdout[0]!) ?? [];
    expect(run.stdout[0]).toMatch(READY_LINE);
    const reasons = run
      .stderr()
      .split('\n')
      .filter((line) => line.includes('browser host instead'));
    expect(reasons).toEqual([
      `Electron's runtime could not be downloaded (no connection to 127.0.0.1:${port}): starting the browser host instead`,
    ]);
    expect(run.stderr()).not.toMatch(STACK_FRAME);
    expect(run.stderr()).not.toMatch(/fetch failed|TypeError/);
    // The installer really ran and failed: it left no runtime behind, and the host got the default folder.
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false);
    expect(existsSync(join(configHome, 'Dispute Desk', 'browser-host', 'desk', 'data.key'))).toBe(true);

    // The BROWSER program got the launch page, never the address: its command line is anyone's to read.
    const pageUrl = run.stdout[0]!.replace('Dispute Desk is ready at ', '');
    const secret = pageUrl.replace(/^.*#k=/, '');
    const opened = readFileSync(browser.opened, 'utf8');
    expect(opened).not.toContain(secret);
    expect(opened).toMatch(/^file:\/\//);
    const launchFile = fileURLToPath(opened);
    expect(launchFile.startsWith(join(configHome, 'Dispute Desk', 'browser-host', 'launch-'))).toBe(true);
    expect(statSync(launchFile).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(launchFile)).mode & 0o777).toBe(0o700);
    expect(readFileSync(launchFile, 'utf8')).toContain(pageUrl);
    // Opened in a real browser, the page leads to the desk, and the renderer has the secret: its bridge answers.
    const desk = await openInChromium(opened);
    try {
      expect(await desk.evaluate(() => location.href)).toBe(`http://127.0.0.1:${pagePort}/`);
      expect(await desk.evaluate(() => sessionStorage.getItem('dispute-desk.launch-secret'))).toBe(secret);
      const settings = await desk.evaluate(() => window.desk!.invoke('settings.get'));
      expect(settings).toMatchObject({ ok: true });
      // A browser that runs no scripts follows the meta refresh to the same address, fragment and all.
      const noScripts = await desk.context().browser()!.newPage({ javaScriptEnabled: false });
      await noScripts.goto(opened);
      await noScripts.waitForURL(pageUrl);
    } finally {
      await desk.context().browser()!.close();
    }
    const page = await get(Number(pagePort), '/');
    expect(page.status).toBe(200);
    const serverUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stderr())?.[1];
    expect((await axios.get(`${serverUrl}/v1/health`)).status).toBe(200);

    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).not.toMatch(STACK_FRAME);
    // The launch page went with the script; the secret is left on nothing it wrote.
    expect(existsSync(dirname(launchFile))).toBe(false);
    await expect(get(Number(pagePort), '/')).rejects.toThrow(/ECONNREFUSED/);
    await expect(axios.get(`${serverUrl}/v1/health`)).rejects.toThrow();
  }, 180_000);

  it('starts the browser host straight away where no window could open (Linux without a desktop session), and stops it on SIGTERM', async () => {
    const configHome = join(dir, 'config');
    await preparedDataFolder(configHome);
    const electronDir = electronPackageWithoutRuntime();
    const run = runStart({ DISPUTE_DESK_ELECTRON_DIR: electronDir, XDG_CONFIG_HOME: configHome });

    await waitFor(run, () => run.stdout.length > 0);
    expect(run.stdout[0]).toMatch(READY_LINE);
    expect(run.stderr()).toContain(
      'Electron cannot open a window here (no desktop session: DISPLAY and WAYLAND_DISPLAY are not set): starting the browser host instead',
    );
    // No download is tried for a runtime that could not show a window anyway.
    expect(run.stderr()).not.toContain('Downloading');

    // A signal to the script alone (a process manager, not a terminal) stops the host it started too.
    const pagePort = Number(READY_LINE.exec(run.stdout[0]!)?.[1]);
    expect((await get(pagePort, '/')).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    await expect(get(pagePort, '/')).rejects.toThrow(/ECONNREFUSED/);
  }, 180_000);

  it('starts the browser host, with --server passed on, where an installed Electron exits before its window is up', async () => {
    const configHome = join(dir, 'config');
    await preparedDataFolder(configHome);
    const serverPort = await closedPort();
    const run = runStart(
      {
        DISPUTE_DESK_ELECTRON_DIR: electronPackageThatCannotOpenAWindow(),
        XDG_CONFIG_HOME: configHome,
        DISPLAY: ':99',
        BROWSER: 'none',
      },
      ['--server', `http://127.0.0.1:${serverPort}/`],
    );

    await waitFor(run, () => run.stdout.length > 0);
    expect(run.stdout).toEqual([expect.stringMatching(READY_LINE)]);
    const stderr = run.stderr();
    // electron-vite built the app and ran the runtime: its note on --server, then one line for the failure.
    expect(stderr).toContain('--server applies to the browser host only');
    expect(stderr.split('\n').filter((line) => line.includes('browser host instead'))).toEqual([
      'Electron could not open a window (Missing X server or $DISPLAY): starting the browser host instead',
    ]);
    // None of electron-vite's log, nor Electron's second line: the user gets the one line above.
    expect(stderr).not.toMatch(/starting electron app|built in|The platform failed/);
    expect(stderr).not.toMatch(STACK_FRAME);
    // --server reached the host: it started no bundled server of its own.
    expect(stderr).not.toContain('Starting the bundled platform server');

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  }, 240_000);
});
