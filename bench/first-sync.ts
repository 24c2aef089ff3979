// `npx tsx bench/first-sync.ts [--cases N] [--server-data DIR] [--threads]`: only the desk's first sync
// (issue #13), beside the raw insert of the same details, without the rest of `npm run bench`. --server-data
// reuses a server folder seeded by an earlier run (seeding 100,000 cases takes most of a minute; two runs on
// one folder must sign in in different 30 s steps: the server refuses a TOTP code used twice). --threads
// (Linux) adds where the sync's CPU went, thread by thread (thread-cpu.ts). Prints JSON like `npm run bench`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDeskService } from '../electron/desk/service';
import { startChildServer } from './child-server';
import { benchFirstSync, QUIET } from './desk.bench';
import { canWatchThreads, watchThreads, type ThreadReport } from './thread-cpu';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, 'server-data': { type: 'string' }, threads: { type: 'boolean' } },
  });
  if (values.threads && !canWatchThreads()) throw new Error('--threads reads /proc: Linux only.');
  const cases = Number(values.cases ?? 100_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-bench-first-sync-'));
  const server = await startChildServer(values['server-data'] ?? path.join(dataDir, 'server'), cases);
  try {
    const desk = await createDeskService({
      dataDir: path.join(dataDir, 'desk'),
      serverUrl: server.url,
      log: QUIET,
    });
    try {
      let threads: ThreadReport | undefined;
      const watch = () => {
        const watching = watchThreads([
          { label: 'desk (this process)', pid: process.pid },
          { label: 'server', pid: server.pid },
        ]);
        return () => void (threads = watching.stop());
      };
      const results = await benchFirstSync(server, desk, dataDir, values.threads ? watch : undefined);
      const machine = { cpus: os.cpus().length, node: process.version, load: os.loadavg() };
      console.log(JSON.stringify({ machine, cases, results, ...(threads ? { threads } : {}) }, null, 2));
    } finally {
      await desk.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
