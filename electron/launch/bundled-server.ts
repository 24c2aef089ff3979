// The bundled platform server as a child process, shared by the Electron shell and the browser host. It
// is configured by arguments, says on stdout when it listens (DESIGN §7), and is killed when its parent
// stops. Plain Node: no electron import, so the host can use it too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The server's store in its data folder (electron/server/start.ts, which the desk side may not import). */
const SERVER_DATABASE_FILE = 'platform.db';

export type BundledSeed = 'demo' | 'none';

/** How the server's CLI is run: its TypeScript source through tsx, or a built JavaScript entry. */
export type ServerEntry = { kind: 'source'; cliPath: string } | { kind: 'built'; scriptPath: string };

export interface BundledServerOptions {
  dataDir: string;
  /** Default: `demo` on first run (no store in dataDir yet), so a user's own data is never re-seeded. */
  seed?: BundledSeed;
  /** Default: the running Node or Electron binary; never a bare `node` from PATH (DESIGN §8). */
  execPath?: string;
  /** Default: the TypeScript source of the server CLI, run through tsx. */
  entry?: ServerEntry;
  /**
   * Set ELECTRON_RUN_AS_NODE=1 so that an Electron binary behaves as plain Node. Default: when this
   * process is itself Electron (then process.execPath is Electron).
   */
  runAsNode?: boolean;
  /** How long the server may take to print its address; seeding the demo data takes a few seconds. */
  timeoutMs?: number;
  /** Added to this process's environment (which passes through: METAMAP_WEBHOOK_SECRET and the like). */
  env?: NodeJS.ProcessEnv;
  /** Receives every line the server prints (its demo-data warning, its errors); default: dropped. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface BundledServer {
  url: string;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL if it has not exited in a few seconds). */
  stop(): Promise<void>;
}

export class BundledServerError extends Error {
  readonly code = 'bundled_server_failed';

  constructor(message: string, stderr: string) {
    super(stderr.trim() ? `${message}. Its error output:\n${stderr.trim()}` : message);
    this.name = 'BundledServerError';
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** Enough of the server's error output to explain a failure, without keeping all of it forever. */
const STDERR_TAIL_CHARS = 8_000;

/** The source CLI beside this file: electron/server/cli.ts. */
function sourceServerEntry(): ServerEntry {
  return { kind: 'source', cliPath: fileURLToPath(new URL('../server/cli.ts', import.meta.url)) };
}

export function firstRunSeed(dataDir: string): BundledSeed {
  return existsSync(join(dataDir, SERVER_DATABASE_FILE)) ? 'none' : 'demo';
}

/** The loopback address the server announces on a line of its output, or null for any other line. */
export function announcedServerUrl(line: string): string | null {
  return /\bhttp:\/\/127\.0\.0\.1:(\d{1,5})\b/.exec(line)?.[0] ?? null;
}

export interface ServerCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The command line that starts the server; pure, so that the choices are unit tested. */
export function serverCommand(options: {
  execPath: string;
  entry: ServerEntry;
  dataDir: string;
  seed: BundledSeed;
  runAsNode: boolean;
  env: NodeJS.ProcessEnv;
  tsxLoaderUrl?: string;
}): ServerCommand {
  const script =
    options.entry.kind === 'source'
      ? ['--import', options.tsxLoaderUrl ?? tsxLoaderUrl(), options.entry.cliPath]
      : [options.entry.scriptPath];
  const serverArgs = ['--port', '0', '--host', '127.0.0.1', '--data', options.dataDir];
  if (options.seed === 'demo') serverArgs.push('--seed', 'demo');
  const env = { ...options.env };
  if (options.runAsNode) env.ELECTRON_RUN_AS_NODE = '1';
  else delete env.ELECTRON_RUN_AS_NODE;
  return { command: options.execPath, args: [...script, ...serverArgs], env };
}

/** tsx's loader as an absolute URL, so the child finds it whatever its working directory. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

export function startBundledServer(options: BundledServerOptions): Promise<BundledServer> {
  const command = serverCommand({
    execPath: options.execPath ?? process.execPath,
    entry: options.entry ?? sourceServerEntry(),
    dataDir: options.dataDir,
    seed: options.seed ?? firstRunSeed(options.dataDir),
    runAsNode: options.runAsNode ?? Boolean(process.versions.electron),
    env: { ...process.env, ...options.env },
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const child = spawn(command.command, command.args, {
    env: command.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });

  let stderrTail = '';
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
    process.off('exit', killOnParentExit);
  });
  // A parent that dies without calling stop() must not leave the server running with the port and the
  // store held. 'exit' handlers run synchronously, which kill() is.
  function killOnParentExit(): void {
    child.kill('SIGKILL');
  }
  process.on('exit', killOnParentExit);

  async function stop(): Promise<void> {
    if (exited) return;
    child.kill('SIGTERM');
    const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exit;
    clearTimeout(grace);
  }

  return new Promise<BundledServer>((resolve, reject) => {
    let ready = false;
    const fail = (message: string): void => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      // Rejected once the child is gone, so that a caller never races a half-started server.
      void stop().then(() => reject(new BundledServerError(message, stderrTail)));
    };
    const timer = setTimeout(
      () => fail(`The bundled server did not say it was ready within ${timeoutMs} ms`),
      timeoutMs,
    );

    forEachLine(child.stdout, (line) => {
      options.onOutput?.(line, 'stdout');
      if (ready) return;
      const url = announcedServerUrl(line);
      if (url === null) return;
      ready = true;
      clearTimeout(timer);
      resolve({ url, pid: child.pid ?? -1, stop });
    });
    // Read both streams for the server's whole life: a full pipe would block the server on its next write.
    forEachLine(child.stderr, (line) => {
      stderrTail = (stderrTail + line + '\n').slice(-STDERR_TAIL_CHARS);
      options.onOutput?.(line, 'stderr');
    });
    child.once('error', (error) =>
      fail(`The bundled server could not start (${command.command}): ${error.message}`),
    );
    child.once('exit', (code, signal) =>
      fail(`The bundled server exited before it was ready (${signal ?? `exit code ${code}`})`),
    );
  });
}

function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      onLine(pending.slice(0, newline).replace(/\r$/, ''));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  });
}
