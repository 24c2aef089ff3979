// The platform server in a process of its own, seeded with the load world, as the app runs its bundled
// server: what the benchmarks measure in their own process is then theirs alone, and the server's heap
// holds none of the benchmark's garbage nor it the server's.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export interface ChildServer {
  url: string;
  dataDir: string;
  /** The server process's id (bench/thread-cpu.ts reads its threads). */
  pid: number;
  stop(): Promise<void>;
}

/** Starts the server on `dataDir`, seeding `loadCases` load cases first unless the folder holds them. */
export async function startChildServer(dataDir: string, loadCases: number): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'electron/server/cli.ts',
      '--port',
      '0',
      '--data',
      dataDir,
      '--seed',
      'load',
      '--cases',
      String(loadCases),
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let url: string | null = null;
  for await (const line of readline.createInterface({ input: child.stdout! })) {
    url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0] ?? null;
    if (url) break;
  }
  if (!url) throw new Error('The benchmark server exited before it listened.');
  return {
    url,
    dataDir,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
