// Where the first sync's CPU goes, thread by thread (Linux only: read from /proc). `bench/first-sync.ts
// --threads` prints it beside its figures: the CPU seconds of each thread of the desk's process and of the
// server's during the sync, and, for the desk's event loop, how much of each long gap between ticks of a
// 1 ms timer its thread spent running and how much waiting in the run queue for a core (`schedstat`). A
// diagnosis, not a figure: no baseline and no target (README "The first sync"). The timer and the sampling
// cost the desk's loop a little; compare the sync's figures across runs without --threads.
import fs from 'node:fs';

/** Linux counts a thread's CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 250;
const GAP_MS = 25;

export interface ThreadCpu {
  tid: number;
  name: string;
  seconds: number;
}

export interface LoopGap {
  ms: number;
  ranMs: number;
  waitedMs: number;
}

export interface ThreadReport {
  processes: { label: string; pid: number; seconds: number; threads: ThreadCpu[] }[];
  /** The desk loop's gaps over GAP_MS, longest first. */
  loopGaps: LoopGap[];
}

/** Every thread of `pid` now, by thread id: its name and CPU seconds so far. Threads gone are left out. */
function threadsOf(pid: number): Map<number, { name: string; seconds: number }> {
  const threads = new Map<number, { name: string; seconds: number }>();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // After the name: state is field 3 of stat(5); utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), {
        name,
        seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** Run and run-queue time of the calling thread so far, in ns (schedstat: on CPU, waiting, timeslices). */
function ownSchedstat(): [number, number] {
  const [ran, waited] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
  return [ran!, waited!];
}

export const canWatchThreads = () =>
  process.platform === 'linux' && fs.existsSync('/proc/thread-self/schedstat');

/**
 * Starts watching the threads of `processes` and the calling thread's event loop; stop() reports what each
 * thread spent meanwhile. Threads are sampled every SAMPLE_MS and kept at their last sample, so those that
 * end before stop() (the sync's writer thread) are counted up to then.
 */
export function watchThreads(processes: { label: string; pid: number }[]): { stop(): ThreadReport } {
  const before = processes.map(({ pid }) => threadsOf(pid));
  const last = processes.map(() => new Map<number, { name: string; seconds: number }>());
  const sample = () =>
    processes.forEach(({ pid }, index) => {
      for (const [tid, thread] of threadsOf(pid)) last[index]!.set(tid, thread);
    });
  const sampler = setInterval(sample, SAMPLE_MS);

  const loopGaps: LoopGap[] = [];
  let tick = performance.now();
  let sched = ownSchedstat();
  const ticker = setInterval(() => {
    const now = performance.now();
    const next = ownSchedstat();
    if (now - tick > GAP_MS)
      loopGaps.push({
        ms: now - tick,
        ranMs: (next[0] - sched[0]) / 1e6,
        waitedMs: (next[1] - sched[1]) / 1e6,
      });
    tick = now;
    sched = next;
  }, 1);

  return {
    stop() {
      clearInterval(sampler);
      clearInterval(ticker);
      sample();
      return {
        processes: processes.map(({ label, pid }, index) => {
          const threads = [...last[index]!].map(([tid, { name, seconds }]) => ({
            tid,
            // Node names its threads 'node' (a worker's too): the process's own id is its main thread.
            name: tid === pid ? `${name} (main thread)` : name,
            seconds: seconds - (before[index]!.get(tid)?.seconds ?? 0),
          }));
          return {
            label,
            pid,
            seconds: threads.reduce((sum, thread) => sum + thread.seconds, 0),
            threads: threads.filter((thread) => thread.seconds >= 0.1).sort((a, b) => b.seconds - a.seconds),
          };
        }),
        loopGaps: loopGaps.sort((a, b) => b.ms - a.ms),
      };
    },
  };
}
