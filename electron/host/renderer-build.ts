// `npm run browser` must work right after `npm install` (DESIGN §7): the host builds the renderer when
// out/renderer is missing, or older than the sources it was built from, so that nobody is ever shown a
// stale screen.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The newest modification time of any file under `dir` (0 when the folder does not exist). */
export function newestFileTime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** True when the build is missing or a source file changed after it was made. */
export function rendererBuildNeeded(rendererRoot: string, sourceDirs: readonly string[]): boolean {
  const index = join(rendererRoot, 'index.html');
  if (!existsSync(index)) return true;
  const builtAt = statSync(index).mtimeMs;
  return sourceDirs.some((dir) => newestFileTime(dir) > builtAt);
}

/**
 * Runs `electron-vite build` (all three bundles: about two seconds) in a child process: Vite sets
 * NODE_ENV=production in the process that builds, which the host must not inherit.
 */
export function buildRenderer(projectRoot: string): void {
  const require = createRequire(join(projectRoot, 'package.json'));
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], {
    cwd: projectRoot,
    // The host's stdout carries the one ready line that callers read: the build speaks on stderr.
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) {
    throw new Error(
      `Building the renderer failed (${result.error?.message ?? `exit code ${result.status ?? result.signal}`}); see the output above.`,
    );
  }
}
