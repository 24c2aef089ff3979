// Ending a worker thread that holds a SQLite connection. One stuck in native code (a sync of a failing disk)
// cannot be stopped until that call returns, and whoever waits for it must not hang with it.
import type { Worker } from 'node:worker_threads';

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
