// Starts `npm run browser` as a user would (its CLI in a child process on a fresh data folder, the bundled
// server with the demo data inside) and hands back the URL it printed. For end-to-end tests in Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const READY_LINE = /^Dispute Desk is ready at (http:\/\/127\.0\.0\.1:\d+\/#k=[0-9a-f]{64})$/m;

export interface BrowserHost {
  /** The printed address, secret included. */
  pageUrl: string;
  /** The host's data folder (desk/ and server/ inside), for tests that reach behind the screens. */
  dataDir: string;
  stop(): Promise<void>;
}

export interface BrowserHostOptions {
  /** A platform server already running (`--server`); without it the host starts its bundled one. */
  serverUrl?: string;
  /**
   * A data folder to start on, for a test that restarts the host on the same data. The caller owns it:
   * stop() leaves it in place. Without it, a fresh folder is made and removed again by stop().
   */
  dataDir?: string;
  /**
   * Start as a fresh install would: no --demo, so the page opens on the first-run choice. Without it (and
   * without serverUrl) the host gets --demo, the bundled demo server chosen on its command line.
   */
  firstRun?: boolean;
  /** Added to the host's environment (the bundled server inherits it): PLATFORM_OUTBOUND_URL and the like. */
  env?: Record<string, string>;
}

export function startBrowserHost(options: BrowserHostOptions = {}): Promise<BrowserHost> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dd-e2e-host-'));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const server = options.serverUrl ? ['--server', options.serverUrl] : options.firstRun ? [] : ['--demo'];
  const child = spawn(
    process.execPath,
    ['--import', tsx, resolve('electron/host/cli.ts'), '--port', '0', '--data', dataDir, ...server],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    },
  );
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return new Promise((done, fail) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = READY_LINE.exec(stdout);
      if (match?.[1]) done({ pageUrl: match[1], dataDir, stop });
    });
    child.once('exit', (code) =>
      fail(new Error(`the browser host exited (${code}) before it was ready:\n${stderr}`)),
    );
  });
}
