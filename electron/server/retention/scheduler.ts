// The one scheduler of the retention jobs: a timer that runs them all every `everyMs`, unref'd so that it
// never keeps a process alive, and stopped when the server closes (before the store does).
import type { FastifyBaseLogger } from 'fastify';
import type { ServerContext } from '../context';
import { runRetention, type RetentionReport } from './jobs';

export interface RetentionScheduler {
  /** Runs the jobs now (tests; an operator's tooling). */
  runNow(): RetentionReport;
  stop(): void;
}

export function startRetention(ctx: ServerContext, log: FastifyBaseLogger): RetentionScheduler {
  const run = () => {
    const report = runRetention(ctx);
    const removed = Object.entries(report).filter(([, count]) => count > 0);
    if (removed.length > 0) log.info({ retention: Object.fromEntries(removed) }, 'retention: old rows removed');
    return report;
  };
  const timer = setInterval(() => {
    try {
      run();
    } catch (error) {
      // A busy or full store fails this run; the next one tries again. Nothing is half-deleted: each job is
      // one transaction.
      log.error({ err: error }, 'retention: a run failed');
    }
  }, ctx.config.retention.everyMs);
  timer.unref();
  return { runNow: run, stop: () => clearInterval(timer) };
}
