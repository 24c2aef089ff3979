// `npm start [-- --no-open] [-- --server URL | --demo]`: the desktop app on any fresh machine. Electron 45
// downloads its runtime only when something asks for it, and electron-vite stops with "Electron uninstall"
// before anything does; so this script runs Electron's own installer first (its output captured: a failure is
// a stack trace), then starts `electron-vite dev`. Where the runtime cannot be had, or Electron could not open
// its window (scripts/start/electron-launch.ts), it says why in one line and starts the browser host instead
// (`npm run browser`, with the same ready line, and --server or --demo passed on to it), opening the system
// browser where there is one (BROWSER=none or --no-open: never) through a launch page only this user can read,
// so that the launch secret is on no command line (scripts/start/launch-page.ts). The desktop app ignores
// --server and --demo, and says so: it chooses its server on its own first-run screen.
//
// DISPUTE_DESK_ELECTRON_DIR points it at another copy of the electron package (tests: an installer that
// cannot reach its download server, without touching node_modules/electron).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { browserHostDataDir, noDesktopSession, pageUrlOfReadyLine } from './start/browser-fallback';
import {
  downloadHost,
  findElectronRuntime,
  installFailureReason,
  type InstallOutcome,
} from './start/electron-runtime';
import {
  ELECTRON_STARTING,
  electronFailureReason,
  electronIgnoresNote,
  failedToOpenWindow,
  parseStartArguments,
  START_USAGE,
  StartUsageError,
  WINDOW_GRACE_MS,
  type StartArguments,
} from './start/electron-launch';
import {
  openThroughLaunchPage,
  removeLaunchPageLater,
  removeStaleLaunchPages,
  type LaunchPageOpen,
} from './start/launch-page';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** About 100 MB: a slow line needs minutes; a dead one is cut off by fetch's own five-minute silence limit. */
const INSTALL_TIMEOUT_SECONDS = 10 * 60;
const OUTPUT_LIMIT = 64 * 1024;

let running: ChildProcess | null = null;
let stopping = false;

/**
 * Ctrl-C reaches every process of the terminal's group, the child included; a signal sent to this script
 * alone is passed on. SIGTERM either way: the host stops once whichever signal comes first, and a second
 * SIGINT would find its handler gone and kill it mid-shutdown. Not on Windows: there kill() ends a process
 * outright, and the console has already given the child its Ctrl-C.
 */
function stopOnSignal(signal: NodeJS.Signals): void {
  stopping = true;
  if (running === null || running.exitCode !== null) process.exit(signal === 'SIGINT' ? 130 : 143);
  if (process.platform === 'win32' && signal === 'SIGINT') return;
  running.kill('SIGTERM');
}

function exitWithChild(child: ChildProcess): void {
  child.once('exit', (code, signal) => {
    running = null;
    process.exit(code ?? (stopping ? 0 : signal === 'SIGINT' ? 130 : 1));
  });
}

function runInstaller(electronDir: string): Promise<InstallOutcome> {
  const host = downloadHost(process.env);
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      cwd: electronDir,
      env: { ...process.env, ELECTRON_GET_NO_PROGRESS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running = child;
    let output = '';
    const keep = (chunk: Buffer): void => {
      if (output.length < OUTPUT_LIMIT) output += chunk.toString('utf8');
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, INSTALL_TIMEOUT_SECONDS * 1000);
    const outcome = (rest: Partial<InstallOutcome>): InstallOutcome => ({
      exitCode: null,
      timedOut,
      output,
      timeoutSeconds: INSTALL_TIMEOUT_SECONDS,
      host,
      ...rest,
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      done(outcome({ startError: error.message }));
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      running = null;
      if (stopping) process.exit(130);
      done(outcome({ exitCode }));
    });
  });
}

/**
 * electron-vite dev, its output held until Electron has had its window up for a while: where Electron
 * cannot open one (electron-launch.ts), the user gets one line and the browser host rather than the whole
 * build log ending in an error. Any other outcome shows the log as it was.
 */
function startElectron(executable: string, start: StartArguments): void {
  const electronVite = join(projectRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const note = electronIgnoresNote(start.hostArgs);
  if (note !== null) process.stderr.write(`${note}\n`);
  process.stderr.write('Starting the desktop app (electron-vite dev)…\n');
  // electron-vite would look for path.txt itself; this way it runs the very runtime found here.
  const child = spawn(process.execPath, [electronVite, 'dev'], {
    cwd: projectRoot,
    env: { ...process.env, ELECTRON_EXEC_PATH: executable },
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  running = child;
  const held: Array<{ to: NodeJS.WriteStream; chunk: Buffer }> = [];
  let holding = true;
  let electronStartedAt: number | null = null;
  let electronOutput = '';
  let graceTimer: NodeJS.Timeout | undefined;
  const showHeld = (): void => {
    holding = false;
    clearTimeout(graceTimer);
    for (const { to, chunk } of held.splice(0)) to.write(chunk);
  };
  // electron-vite says it starts Electron on stdout; Electron, which inherits its stdio, speaks on stderr.
  // The two pipes are read in no set order, so what Electron said first may be read before that line (seen
  // in CI under load: the reason given was Electron's second line). Nothing but Electron writes to stderr
  // after electron-vite's last words on stdout: that much stderr counts as Electron's.
  let stderrSinceStdout = '';
  const pass = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
    if (!holding) return void to.write(chunk);
    held.push({ to, chunk });
    const text = chunk.toString('utf8');
    if (electronStartedAt !== null) {
      if (electronOutput.length < OUTPUT_LIMIT) electronOutput += text;
    } else if (to === process.stderr) {
      if (stderrSinceStdout.length < OUTPUT_LIMIT) stderrSinceStdout += text;
    } else if (ELECTRON_STARTING.test(text)) {
      electronStartedAt = Date.now();
      electronOutput = stderrSinceStdout;
      graceTimer = setTimeout(showHeld, WINDOW_GRACE_MS);
    } else {
      stderrSinceStdout = '';
    }
  };
  child.stdout!.on('data', pass(process.stdout));
  child.stderr!.on('data', pass(process.stderr));
  child.once('exit', (code, signal) => {
    running = null;
    // Electron's last words can still be in the pipes when electron-vite's exit is seen (seen in CI under
    // load: the fallback then said Electron "exited at once without a word"). 'close' would wait for every
    // process holding the pipes, an Electron that outlived electron-vite included: wait for them briefly.
    const exitedAt = Date.now();
    void outputDrained(child, OUTPUT_DRAIN_MS).then(() => afterExit(code, signal, exitedAt));
  });
  const afterExit = (code: number | null, signal: NodeJS.Signals | null, exitedAt: number): void => {
    const noWindow = holding && !stopping && failedToOpenWindow(code ?? 1, electronStartedAt, exitedAt);
    if (noWindow) {
      clearTimeout(graceTimer);
      held.length = 0;
      return startBrowserHost(`Electron could not open a window (${electronFailureReason(electronOutput)})`, start);
    }
    showHeld();
    process.exit(code ?? (stopping ? 0 : signal === 'SIGINT' ? 130 : 1));
  };
}

/** How long an exit waits for the output still in the child's pipes. */
const OUTPUT_DRAIN_MS = 500;

/** Resolves once the child's stdout and stderr have ended, or after `ms`, whichever comes first. */
function outputDrained(child: ChildProcess, ms: number): Promise<void> {
  const ended = (stream: NodeJS.ReadableStream & { readableEnded?: boolean; closed?: boolean }) =>
    stream.readableEnded || stream.closed
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          stream.once('end', resolve);
          stream.once('close', resolve);
        });
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.all([ended(child.stdout!), ended(child.stderr!)]).then(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}

function openInBrowser(url: string, noOpen: boolean, dataDir: string): void {
  removeStaleLaunchPages(dataDir, Date.now());
  let decision: LaunchPageOpen;
  try {
    decision = openThroughLaunchPage(url, dataDir, process.platform, process.env, noOpen);
  } catch (error) {
    // A full disk or a folder it may not write: the host runs on, and its address is on the screen.
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    process.stderr.write(`Could not open a browser (the launch page: ${why}): open the address above in one\n`);
    return;
  }
  if (!decision.open) return;
  const { command, args, page } = decision;
  const removePage = removeLaunchPageLater(page);
  const address = url.replace(/#.*/, '');
  const cannotOpen = (why: string): void => {
    removePage();
    process.stderr.write(`Could not open a browser (${command}: ${why}): open the address above in one\n`);
  };
  // Detached: the browser outlives this script, and Ctrl-C here does not close it.
  const opener = spawn(command, args, { stdio: 'ignore', detached: true });
  opener.once('error', (error: NodeJS.ErrnoException) => cannotOpen(error.code ?? error.message));
  opener.once('exit', (code) => {
    if (code === 0) process.stderr.write(`Opened ${address} in the browser\n`);
    else cannotOpen(`exit code ${code}`);
  });
  opener.unref();
}

function startBrowserHost(reason: string, start: StartArguments): void {
  process.stderr.write(`${reason}: starting the browser host instead\n`);
  const tsx = pathToFileURL(createRequire(join(projectRoot, 'package.json')).resolve('tsx')).href;
  const dataDir = browserHostDataDir(process.platform, process.env, homedir());
  const child = spawn(
    process.execPath,
    ['--import', tsx, join(projectRoot, 'electron', 'host', 'cli.ts'), '--port', '0', '--data', dataDir, ...start.hostArgs],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  running = child;
  // The host's stdout is its one ready line; passed on as it is, and read for the address to open.
  createInterface({ input: child.stdout! }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const url = pageUrlOfReadyLine(line);
    if (url !== null) openInBrowser(url, start.noOpen, dataDir);
  });
  exitWithChild(child);
}

async function main(): Promise<void> {
  let start: StartArguments;
  try {
    start = parseStartArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof StartUsageError)) throw error;
    process.stderr.write(`npm start: ${error.message}\n${START_USAGE}\n`);
    process.exit(2);
  }
  process.once('SIGINT', () => stopOnSignal('SIGINT'));
  process.once('SIGTERM', () => stopOnSignal('SIGTERM'));

  const noSession = noDesktopSession(process.platform, process.env);
  if (noSession !== null)
    return startBrowserHost(`Electron cannot open a window here (${noSession})`, start);

  const electronDir = process.env.DISPUTE_DESK_ELECTRON_DIR || join(projectRoot, 'node_modules', 'electron');
  const lookup = { platform: process.platform, overrideDistPath: process.env.ELECTRON_OVERRIDE_DIST_PATH };
  let runtime = findElectronRuntime(electronDir, lookup);
  if (!runtime.installed && !runtime.installable) {
    return startBrowserHost(`Electron's runtime is not available (${runtime.why})`, start);
  }
  if (!runtime.installed) {
    process.stderr.write(`Downloading Electron's runtime (${runtime.why}; about 100 MB, once)…\n`);
    const outcome = await runInstaller(electronDir);
    if (outcome.exitCode !== 0) {
      const reason = installFailureReason(outcome);
      return startBrowserHost(`Electron's runtime could not be downloaded (${reason})`, start);
    }
    runtime = findElectronRuntime(electronDir, lookup);
    if (!runtime.installed) {
      return startBrowserHost(
        `Electron's runtime is missing after its installer ran (${runtime.why})`,
        start,
      );
    }
  }
  startElectron(runtime.executable, start);
}

void main();
