// Starts the platform server: opens the store, seeds it when asked, listens, and closes cleanly.
import path from 'node:path';
import { buildServer, type BuiltServer } from './app';
import type { ServerConfig } from './config';
import { openDatabase } from './db/open';
import { compactFeed } from './feed/changes';

export const DATABASE_FILE = 'platform.db';

export interface RunningServer extends BuiltServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  if (config.seed !== 'none' && !isLoopbackHost(config.host)) {
    throw new Error('Demo accounts are never seeded on a non-loopback address: drop --seed or bind to 127.0.0.1.');
  }
  const db = openDatabase(path.join(config.dataDir, DATABASE_FILE));
  const built = await buildServer(db, config);
  if (config.seed !== 'none') {
    // The demo data (generators, image and PDF rendering) is not part of the server: it is loaded only when
    // asked for, so a server without --seed never even reads it.
    const { seedDatabase } = await import('../seed/index');
    await seedDatabase(built.ctx, config.seed, config.loadCases, built.app.log);
  }
  const compaction = setInterval(() => compactFeed(built.ctx), 60_000);
  compaction.unref();
  await built.app.listen({ host: config.host, port: config.port });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let closed = false;
  return {
    ...built,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(compaction);
      await built.app.close();
      db.close();
    },
  };
}
