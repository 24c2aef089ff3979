// Starts the platform server: opens the store, seeds it when asked, listens, and closes cleanly.
import path from 'node:path';
import { buildServer, type BuiltServer } from './app';
import type { ServerConfig } from './config';
import { openDatabase } from './db/open';
import { startWalCheckpoints, type WalCheckpoints } from '../sqlite/wal-checkpoints';

export const DATABASE_FILE = 'platform.db';

export interface RunningServer extends BuiltServer {
  url: string;
  /** The thread that checkpoints the store's WAL (sqlite/wal-checkpoints.ts). */
  walCheckpoints: WalCheckpoints;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  if (config.seed !== 'none' && !isLoopbackHost(config.host)) {
    throw new Error(
      'Demo accounts are never seeded on a non-loopback address: drop --seed or bind to 127.0.0.1.',
    );
  }
  const db = openDatabase(path.join(config.dataDir, DATABASE_FILE));
  const built = await buildServer(db, config);
  // The signing key is loaded now, so a missing or unsafe key file stops the start with its reason instead
  // of failing the first write.
  built.ctx.signer();
  built.ctx.checkpoints.recorded();
  if (config.seed !== 'none') {
    // The demo data (generators, image and PDF rendering) is not part of the server: it is loaded only when
    // asked for, so a server without --seed never even reads it.
    const { seedDatabase } = await import('../seed/index');
    await seedDatabase(built.ctx, config.seed, config.loadCases, built.app.log);
  }
  // Writes go through ctx.write(), which signs as it commits; once a minute, sign anything else (and say
  // so when the chain no longer extends the last checkpoint: someone changed the database).
  let reportedProblem: string | null = null;
  const checkpointing = setInterval(() => {
    built.ctx.write(() => undefined);
    const problem = built.ctx.checkpoints.problem();
    if (problem && problem !== reportedProblem) built.app.log.error(`audit checkpoints stopped: ${problem}`);
    reportedProblem = problem;
  }, 60_000);
  checkpointing.unref();
  await built.app.listen({ host: config.host, port: config.port });
  const walCheckpoints = startWalCheckpoints(db, {
    driver: 'better-sqlite3',
    owner: "the server's connection",
    warn: (message) => built.app.log.warn(message),
  });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let closed = false;
  return {
    ...built,
    walCheckpoints,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(checkpointing);
      await built.app.close();
      built.ctx.checkpoints.flush();
      await walCheckpoints.close();
      db.close();
    },
  };
}
