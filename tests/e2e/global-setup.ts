// Builds the app once before the end-to-end tests, so that they never run against a stale out/ folder
// (a build takes about a second). It runs as a child process because Vite sets NODE_ENV=production in
// the process that builds, which the test workers would otherwise inherit.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export default function buildApp(): void {
  const require = createRequire(import.meta.url);
  const electronVite = join(
    dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  const result = spawnSync(process.execPath, [electronVite, 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error(
      `electron-vite build failed (exit code ${result.status ?? result.signal}): see the output above`,
    );
  }
}
