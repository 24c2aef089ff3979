// `npm start`'s command line, and whether Electron failed to open its window. Pure, for tests.
//
// An Electron runtime can be installed and still unable to show a window: a DISPLAY left over from an SSH
// session with no X server behind it, or a minimal Linux without libnss3 or libgtk. Electron then prints
// one line ("Missing X server or $DISPLAY", "error while loading shared libraries: libnss3.so") and exits 1
// within a second or two; electron-vite exits with its code. The signal chosen: electron-vite exits non-zero
// after it said "starting electron app" and within WINDOW_GRACE_MS of it. A build error comes before that
// line (the developer needs the log, not a browser); a crash after the grace period, with the window long
// up, is the app's own failure and is shown as such.
import { parseArgs } from 'node:util';
import { checkServerUrl } from '../../shared/desk-api/server-url';

/** electron-vite's log line just before it spawns Electron (and again on each restart). */
export const ELECTRON_STARTING = /\bstarting electron app\b/;
/** Electron that has run this long without exiting has its window up (a failed start ends within ~2 s). */
export const WINDOW_GRACE_MS = 15_000;
const MAX_REASON_CHARS = 200;

export class StartUsageError extends Error {
  readonly code = 'usage';
}

export interface StartArguments {
  noOpen: boolean;
  /** --server URL or --demo, for the browser host when it starts in Electron's place. */
  hostArgs: string[];
}

export const START_USAGE = 'usage: npm start [-- --no-open] [-- --server https://… | --demo]';

/** `--no-open`, and the browser host's `--server URL` / `--demo` (checked here, before anything starts). */
export function parseStartArguments(args: readonly string[]): StartArguments {
  let values: { 'no-open'?: boolean; server?: string; demo?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { 'no-open': { type: 'boolean' }, server: { type: 'string' }, demo: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    throw new StartUsageError(error instanceof Error ? error.message : String(error));
  }
  const hostArgs: string[] = [];
  if (values.server !== undefined) {
    const checked = checkServerUrl(values.server);
    if (!checked.ok) throw new StartUsageError(`--server takes the platform server's https address: ${checked.reason}`);
    hostArgs.push('--server', checked.url);
  }
  if (values.demo) {
    if (hostArgs.length > 0) throw new StartUsageError('--demo is the bundled demo server and --server another one: give one of them');
    hostArgs.push('--demo');
  }
  return { noOpen: values['no-open'] ?? false, hostArgs };
}

/**
 * What the desktop app does with --server/--demo: nothing. Its server is chosen on its own first-run screen
 * and changed from the sign-in screen, where it is checked with /v1/health before it is saved; a command line
 * that overrode it would bypass that check and the confirmation.
 */
export function electronIgnoresNote(hostArgs: readonly string[]): string | null {
  if (hostArgs.length === 0) return null;
  return `${hostArgs[0]} applies to the browser host only: the desktop app chooses its server on its first-run screen (or "Change server" on the sign-in screen)`;
}

/** Whether an exit of electron-vite means Electron could not open its window (see the top of this file). */
export function failedToOpenWindow(exitCode: number | null, electronStartedAt: number | null, exitedAt: number): boolean {
  if (exitCode === 0 || electronStartedAt === null) return false;
  return exitedAt - electronStartedAt <= WINDOW_GRACE_MS;
}

/**
 * Electron's own words for the failure: the first line it printed after electron-vite started it, without
 * Chromium's `[pid:date:ERROR:file.cc(123)]` prefix or colours. Its first line is the cause ("Missing X server
 * or $DISPLAY"); the ones after are consequences ("The platform failed to initialize. Exiting.").
 */
export function electronFailureReason(electronOutput: string): string {
  const lines = electronOutput
    // eslint-disable-next-line no-control-regex -- terminal colours are what is removed
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/^\[[^\]]*:(?:ERROR|FATAL|WARNING|INFO)[^\]]*\]\s*/, '').trim())
    .filter((line) => line !== '' && !/^at\s/.test(line));
  const first = lines[0];
  if (first === undefined) return 'it exited at once without a word';
  return first.length > MAX_REASON_CHARS ? `${first.slice(0, MAX_REASON_CHARS)}…` : first;
}
