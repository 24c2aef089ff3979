// What `npm start` needs to run the browser host in Electron's place: whether a window can open at all, the
// data folder, the ready line the host prints and how to open it in the system browser. Pure, for tests.
import { join } from 'node:path';

export const PRODUCT_NAME = 'Dispute Desk';

/**
 * The folder Electron's app.getPath('appData') names on each system: where a desktop app keeps its data,
 * and where a user looks for it.
 */
export function appDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}

/**
 * The browser host's data: a folder of its own inside the app's user-data folder. Not the desktop app's
 * folder itself: the host keeps its data key in a plain file (it has no OS keystore), and a desk folder
 * whose key the keystore seals must never get a second, different key beside it.
 */
export function browserHostDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  return join(appDataDir(platform, env, home), PRODUCT_NAME, 'browser-host');
}

/** Electron opens windows on Windows and macOS; on Linux and the BSDs only inside an X11 or Wayland session. */
export function noDesktopSession(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform === 'win32' || platform === 'darwin') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'no desktop session: DISPLAY and WAYLAND_DISPLAY are not set';
}

const READY_LINE = /^Dispute Desk is ready at (http:\/\/\S+)$/;

/** The page address in the host's ready line (electron/host/host-server.ts readyLine), or null. */
export function pageUrlOfReadyLine(line: string): string | null {
  return READY_LINE.exec(line.trim())?.[1] ?? null;
}

export interface BrowserOpener {
  command: string;
  /** The arguments before the one thing to open, which always comes last. */
  args: string[];
}

export type OpenDecision = { open: true; opener: BrowserOpener } | { open: false; why: string };

/**
 * Whether a browser is opened and with what, following create-react-app's BROWSER convention: BROWSER=none
 * never opens one, BROWSER=<program> opens it with that program, and otherwise the system's own opener does,
 * except in CI or where no desktop session could show a browser. What it opens is the launch page
 * (scripts/start/launch-page.ts), never the address: an argument is readable by every local user.
 */
export function browserOpenDecision(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  noOpenFlag: boolean,
): OpenDecision {
  if (noOpenFlag) return { open: false, why: '--no-open' };
  const chosen = env.BROWSER?.trim();
  if (chosen && chosen.toLowerCase() === 'none') return { open: false, why: 'BROWSER=none' };
  if (chosen) return { open: true, opener: { command: chosen, args: [] } };
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return { open: false, why: 'CI is set' };
  const noSession = noDesktopSession(platform, env);
  if (noSession !== null) return { open: false, why: noSession };
  if (platform === 'darwin') return { open: true, opener: { command: 'open', args: [] } };
  // What Go's pkg/browser uses: no shell in between to re-read the argument (cmd's `start` would).
  // FileProtocolHandler is the handler Windows itself registers for file: URLs.
  if (platform === 'win32')
    return { open: true, opener: { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] } };
  return { open: true, opener: { command: 'xdg-open', args: [] } };
}
