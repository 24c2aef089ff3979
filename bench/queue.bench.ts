// The queue's benchmarks alone (issue #13): `npx tsx bench/queue.bench.ts [--cases N]` fills caches of N
// synthetic cases (default 100,000) and prints the queue figures `npm run bench` prints, without a server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchCacheEncryption, benchQueue } from './desk.bench';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' } } });
  const size = Number(values.cases ?? 100_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-queue-bench-'));
  try {
    const results = [
      ...(await benchQueue(dataDir, size)),
      ...(await benchCacheEncryption(path.join(dataDir, 'encryption'), size)),
    ];
    console.log(JSON.stringify({ machine: { cpus: os.cpus().length, load: os.loadavg() }, size, results }, null, 2));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
