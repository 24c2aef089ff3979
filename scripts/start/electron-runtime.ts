// Whether Electron's runtime is installed, decided from the files electron/install.js leaves behind
// (DESIGN §8): `require('electron')` or the `electron` command would start a download of their own, with its
// output and its stack trace on the user's terminal. And, when Electron's installer fails, why in a few words.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronRuntime =
  | { installed: true; executable: string }
  /** installable: whether running Electron's installer could change that. */
  | { installed: false; installable: boolean; why: string };

export interface RuntimeLookup {
  platform: NodeJS.Platform;
  /** ELECTRON_OVERRIDE_DIST_PATH: Electron's own switch for a runtime kept outside the package. */
  overrideDistPath?: string | undefined;
}

/** The executable inside dist/, as install.js writes it to path.txt; null where Electron has no build. */
export function electronPlatformPath(platform: NodeJS.Platform): string | null {
  switch (platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    default:
      return null;
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The same three checks as install.js's isInstalled(): dist/version is the package's version, path.txt names
 * this platform's executable, and that executable exists. A runtime left by another Electron version counts as
 * missing: install.js replaces it.
 */
export function findElectronRuntime(packageDir: string, lookup: RuntimeLookup): ElectronRuntime {
  const packageJson = readText(join(packageDir, 'package.json'));
  if (packageJson === null)
    return { installed: false, installable: false, why: 'the electron package is not installed' };
  const wanted = (JSON.parse(packageJson) as { version?: unknown }).version;
  const platformPath = electronPlatformPath(lookup.platform);
  if (platformPath === null)
    return { installed: false, installable: false, why: `Electron has no build for ${lookup.platform}` };
  const installedVersion = readText(join(packageDir, 'dist', 'version'))
    ?.trim()
    .replace(/^v/, '');
  if (installedVersion === undefined)
    return { installed: false, installable: true, why: 'not downloaded yet' };
  if (installedVersion !== wanted) {
    return {
      installed: false,
      installable: true,
      why: `version ${installedVersion} is installed, the project needs ${String(wanted)}`,
    };
  }
  if (readText(join(packageDir, 'path.txt')) !== platformPath)
    return { installed: false, installable: true, why: 'not downloaded yet' };
  const executable = join(lookup.overrideDistPath || join(packageDir, 'dist'), platformPath);
  if (!existsSync(executable))
    return { installed: false, installable: true, why: `${executable} is missing` };
  return { installed: true, executable };
}

const DEFAULT_DOWNLOAD_HOST = 'github.com';

/** Where the installer downloads from: @electron/get's mirror settings, else GitHub's releases. */
export function downloadHost(env: NodeJS.ProcessEnv): string {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || env.NPM_CONFIG_ELECTRON_MIRROR;
  if (!mirror) return DEFAULT_DOWNLOAD_HOST;
  try {
    return new URL(mirror).host;
  } catch {
    return mirror;
  }
}

export interface InstallOutcome {
  exitCode: number | null;
  timedOut: boolean;
  /** The installer's stdout and stderr together: its error is a stack trace nobody should have to read. */
  output: string;
  /** The process could not be started at all (ENOENT and the like). */
  startError?: string;
  timeoutSeconds: number;
  host: string;
}

// fetch reports every network failure as "fetch failed" (the cause, ENOTFOUND or ECONNREFUSED, is not in
// the stack install.js prints); the codes are there when a proxy or an older downloader is in the way.
const NO_CONNECTION =
  /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up/;

/** Why the runtime could not be had, in a few words for the one line `npm start` prints. */
export function installFailureReason(outcome: InstallOutcome): string {
  if (outcome.startError !== undefined) return `its installer could not start: ${outcome.startError}`;
  if (outcome.timedOut)
    return `the download took longer than ${Math.round(outcome.timeoutSeconds / 60)} minutes`;
  const { output } = outcome;
  if (NO_CONNECTION.test(output)) return `no connection to ${outcome.host}`;
  const httpStatus = /Response code (\d{3})/.exec(output);
  if (httpStatus) return `${outcome.host} answered HTTP ${httpStatus[1]}`;
  if (/checksum/i.test(output)) return 'the download did not match its checksum';
  if (/does not have a published|builds are not available on platform/.test(output))
    return 'Electron publishes no build for this system';
  const fsError = /\b(EACCES|EPERM|ENOSPC|EROFS)\b/.exec(output);
  if (fsError) return `it could not be written to node_modules/electron (${fsError[1]})`;
  return `its installer failed (exit code ${outcome.exitCode ?? 'none'})`;
}
