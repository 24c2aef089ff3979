// `npx tsx bench/desk-encryption.ts [--cases N]`: only the cost of the desk's encrypted cache (issue #11),
// the cache writes and the queue queries beside the same on an unencrypted cache, without seeding a server
// (`npm run bench` runs it too, among the desk benchmarks). Prints JSON like `npm run bench`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchCacheEncryption } from './desk.bench';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' } } });
  const cases = Number(values.cases ?? 100_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-bench-encryption-'));
  try {
    const results = await benchCacheEncryption(dataDir, cases);
    console.log(JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version }, cases, results }, null, 2));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
