// The page `npm start` opens instead of the host's address (Jupyter's redirect file). The address carries the
// launch secret (`http://127.0.0.1:P/#k=<secret>`), and whatever a program is started with, any local user
// can read in /proc/<pid>/cmdline or `ps`: the opener's (xdg-open, open, rundll32, $BROWSER) and often the
// browser's it starts. So the secret goes into a small HTML file only this user can read, and the opener is
// handed that file's file:// URL; the file sends the browser on to the address, fragment and all.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { browserOpenDecision } from './browser-fallback';

/**
 * How long the file stays: a browser that was not running yet may take a while to start, but nothing needs
 * the file once it has loaded. How soon that happens cannot be seen from here (a read changes no timestamp
 * under relatime or noatime, and fs.watch reports no reads), so the file is removed after this time, or when
 * `npm start` exits, whichever comes first.
 */
export const LAUNCH_PAGE_LIFETIME_MS = 2 * 60 * 1000;

const FOLDER_PREFIX = 'launch-';
/** The same name every time: the name says nothing, the folder's mode keeps others out. */
const PAGE_NAME = 'open-dispute-desk.html';

export interface LaunchPage {
  /** The folder made for it (mode 0700), removed with it. */
  folder: string;
  file: string;
  /** What the opener is given: percent-encoded, so no space in a path needs quoting on Windows. */
  fileUrl: string;
  /** Removes the folder and the file; safe to call more than once. */
  remove(): void;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

function escapeHtml(text: string): string {
  return text.replace(/[&"<>]/g, (character) => HTML_ESCAPES[character]!);
}

/**
 * location.replace so that the file leaves no entry in the tab's history (Back goes where it went before), and
 * a meta refresh for a browser that runs no scripts. A fragment survives both: the renderer reads the secret
 * out of it (renderer/src/desk/bridge/launchSecret.ts) and takes it out of the address bar.
 */
export function launchPageHtml(pageUrl: string): string {
  // JSON is a valid JavaScript string literal; `<` escaped so that no `</script>` can end the script early.
  const inScript = JSON.stringify(pageUrl).replace(/</g, '\\u003c');
  const inAttribute = escapeHtml(pageUrl);
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="refresh" content="1; url=${inAttribute}">`,
    '<title>Dispute Desk</title>',
    `<script>location.replace(${inScript});</script>`,
    '</head>',
    '<body>',
    `<p>Opening <a href="${inAttribute}">Dispute Desk</a>…</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Writes the launch page into a new folder of its own inside `parentDir`: the browser host's data folder,
 * beside its other private files, where the next start sweeps away a page a killed one left (a temp folder
 * would keep it until a reboot). mkdtemp makes the folder 0700; the file is created 0600, never over another.
 */
export function writeLaunchPage(parentDir: string, pageUrl: string): LaunchPage {
  mkdirSync(parentDir, { recursive: true, mode: 0o700 });
  const folder = mkdtempSync(join(parentDir, FOLDER_PREFIX));
  // mkdtemp's 0700 on POSIX; said again because the file's safety rests on it.
  chmodSync(folder, 0o700);
  const file = join(folder, PAGE_NAME);
  writeFileSync(file, launchPageHtml(pageUrl), { mode: 0o600, flag: 'wx' });
  return {
    folder,
    file,
    fileUrl: pathToFileURL(file).href,
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * Removes the page after `lifetimeMs` and when this process exits (Ctrl-C and a crash both end in 'exit').
 * The timer is unref'd: the page alone never keeps `npm start` running. Returns a function that removes the
 * page at once and cancels both.
 */
export function removeLaunchPageLater(page: LaunchPage, lifetimeMs = LAUNCH_PAGE_LIFETIME_MS): () => void {
  const removeNow = (): void => {
    clearTimeout(timer);
    process.off('exit', removeNow);
    page.remove();
  };
  const timer = setTimeout(removeNow, lifetimeMs);
  timer.unref();
  process.once('exit', removeNow);
  return removeNow;
}

/**
 * Launch folders older than their lifetime, left by an `npm start` that was killed outright (SIGKILL, a power
 * cut): their secret opened a host that is gone, but no secret should lie around longer than it must.
 */
export function removeStaleLaunchPages(
  parentDir: string,
  now: number,
  lifetimeMs = LAUNCH_PAGE_LIFETIME_MS,
): string[] {
  let entries: string[];
  try {
    entries = readdirSync(parentDir).filter((name) => name.startsWith(FOLDER_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries) {
    const folder = join(parentDir, name);
    try {
      if (now - statSync(folder).mtimeMs <= lifetimeMs) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Gone already (another `npm start` swept it): nothing to do.
    }
  }
  return removed;
}

export type LaunchPageOpen =
  | { open: true; command: string; args: string[]; page: LaunchPage }
  | { open: false; why: string };

/**
 * What `npm start` runs to open the page at `pageUrl`: the opener browserOpenDecision picks, given the launch
 * page's file:// URL. The page is written only when a browser is to be opened.
 */
export function openThroughLaunchPage(
  pageUrl: string,
  launchDir: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  noOpenFlag: boolean,
): LaunchPageOpen {
  const decision = browserOpenDecision(platform, env, noOpenFlag);
  if (!decision.open) return decision;
  const page = writeLaunchPage(launchDir, pageUrl);
  return { open: true, command: decision.opener.command, args: [...decision.opener.args, page.fileUrl], page };
}
