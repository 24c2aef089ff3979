// The bundled platform server as a child process, shared by the Electron shell and the browser host. It
// is configured by arguments, says on stdout when it listens (DESIGN §7), and is killed when its parent
// stops. Plain Node: no electron import, so the host can use it too. How the process is started is the
// caller's: the browser host runs a Node child (the default here); the Electron shell passes a launcher
// that starts an Electron utility process (electron/main/server-process.ts), so that the packaged app
// never needs ELECTRON_RUN_AS_NODE and ships with the runAsNode fuse off.
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

/** A started server process, however it was started: what waiting for it and stopping it need. */
export interface ServerProcess {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream;
  readonly stderr: NodeJS.ReadableStream;
  /** Called once the process has exited, with how ("exit code 1", "SIGKILL"). */
  onExit(listener: (how: string) => void): void;
  /** Called when the process could not be started at all. */
  onError(listener: (error: Error) => void): void;
  /** Asks it to stop (SIGTERM: the server closes its store). */
  terminate(): void;
  /** Ends it at once (SIGKILL), for a server that did not stop in time or a parent that is exiting. */
  kill(): void;
}

/** What to start: the server's entry, its arguments (serverArguments) and its environment. */
export interface ServerLaunch {
  entry: ServerEntry;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export type ServerLauncher = (launch: ServerLaunch) => ServerProcess;

export interface BundledServerOptions {
  dataDir: string;
  /** Default: `demo` on first run (no store in dataDir yet), so a user's own data is never re-seeded. */
  seed?: BundledSeed;
  /** Default: the TypeScript source of the server CLI, run through tsx. */
  entry?: ServerEntry;
  /** Default: a Node child process (nodeChildLauncher) on the running Node binary. */
  launch?: ServerLauncher;
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

/** The server CLI's arguments: loopback, a free port, the data folder and the seed. */
export function serverArguments(dataDir: string, seed: BundledSeed): string[] {
  const args = ['--port', '0', '--host', '127.0.0.1', '--data', dataDir];
  if (seed === 'demo') args.push('--seed', 'demo');
  return args;
}

export interface ServerCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The Node command line that runs the server; pure, so that the choices are unit tested. */
export function serverCommand(options: {
  execPath: string;
  launch: ServerLaunch;
  tsxLoaderUrl?: string;
}): ServerCommand {
  const { entry } = options.launch;
  const script =
    entry.kind === 'source'
      ? ['--import', options.tsxLoaderUrl ?? tsxLoaderUrl(), entry.cliPath]
      : [entry.scriptPath];
  // A plain Node child must not inherit Electron's switch from a parent that had it.
  const env = { ...options.launch.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return { command: options.execPath, args: [...script, ...options.launch.args], env };
}

/** Starts the server as a Node child of `execPath` (default: the running Node; never a bare `node`, DESIGN §8). */
export function nodeChildLauncher(execPath: string = process.execPath): ServerLauncher {
  return (launch) => {
    const command = serverCommand({ execPath, launch });
    const child = spawn(command.command, command.args, {
      env: command.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    return {
      pid: child.pid,
      stdout: child.stdout,
      stderr: child.stderr,
      onExit: (listener) => {
        if (child.exitCode !== null || child.signalCode !== null) listener(howExited(child.exitCode, child.signalCode));
        else child.once('exit', (code, signal) => listener(howExited(code, signal)));
      },
      onError: (listener) => void child.once('error', listener),
      terminate: () => void child.kill('SIGTERM'),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}

function howExited(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ?? `exit code ${code}`;
}

/** tsx's loader as an absolute URL, so the child finds it whatever its working directory. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

export function startBundledServer(options: BundledServerOptions): Promise<BundledServer> {
  const launch = options.launch ?? nodeChildLauncher();
  const child = launch({
    entry: options.entry ?? sourceServerEntry(),
    args: serverArguments(options.dataDir, options.seed ?? firstRunSeed(options.dataDir)),
    env: { ...process.env, ...options.env },
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  let stderrTail = '';
  let exited = false;
  const exit = new Promise<string>((resolve) => child.onExit(resolve));
  void exit.then(() => {
    exited = true;
    process.off('exit', killOnParentExit);
  });
  // A parent that dies without calling stop() must not leave the server running with the port and the
  // store held. 'exit' handlers run synchronously, which kill() is.
  function killOnParentExit(): void {
    child.kill();
  }
  process.on('exit', killOnParentExit);

  async function stop(): Promise<void> {
    if (exited) return;
    child.terminate();
    const grace = setTimeout(() => child.kill(), STOP_GRACE_MS);
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
    child.onError((error) => fail(`The bundled server could not start: ${error.message}`));
    void exit.then((how) => fail(`The bundled server exited before it was ready (${how})`));
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
