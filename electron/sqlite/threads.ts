// The worker threads that hold a SQLite connection of their own beside their owner's (the WAL checkpoint
// thread, the desk's sync writer): where their entry file is, how it runs from source, and how to end one
// that may be stuck in SQLite's native code (a sync of a failing disk), which cannot be stopped until that
// call returns and must not hang whoever waits for it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker, WorkerOptions } from 'node:worker_threads';

/**
 * A thread's entry for the module at `moduleUrl` that starts it: its TypeScript `source` beside that module
 * when it runs from source (tests, tsx), else the app's `bundle` of it beside the bundle the module is in
 * (out/main, see electron.vite.config.ts), or one folder up should the module move into a shared chunk.
 */
export function threadEntry(moduleUrl: string, source: string, bundle: string): string {
  const here = path.dirname(fileURLToPath(moduleUrl));
  if (moduleUrl.endsWith('.ts')) return path.join(here, source);
  const candidates = [path.join(here, bundle), path.join(here, '..', bundle)];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0]!;
}

/** What a thread needs to run `entry`: from TypeScript source, tsx's loader, unless this process passes it on. */
export function loaderOptions(entry: string): Pick<WorkerOptions, 'execArgv'> {
  const needsLoader = entry.endsWith('.ts') && !process.execArgv.some((argument) => argument.includes('tsx'));
  return needsLoader ? { execArgv: [...process.execArgv, '--import', 'tsx'] } : {};
}

/**
 * Waits for `worker`, already asked to end, to exit (`exited`): stops it after `waitMs`, and goes on without
 * it after twice that.
 */
export async function awaitExit(worker: Worker, exited: Promise<void>, waitMs: number): Promise<void> {
  const stuck = setTimeout(() => void worker.terminate(), waitMs);
  let givenUp: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([exited, new Promise<void>((resolve) => (givenUp = setTimeout(resolve, 2 * waitMs)))]);
  clearTimeout(stuck);
  clearTimeout(givenUp);
}
