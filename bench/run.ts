// `npm run bench`: runs every benchmark and prints one JSON summary. Figures are never asserted: each
// stands beside a baseline measured in the same run on the same machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDeskBenchmarks } from './desk.bench';
import { runServerBenchmarks } from './server.bench';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' } } });
  const loadCases = Number(values.cases ?? 20_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-bench-'));
  try {
    const results = [
      ...(await runServerBenchmarks(path.join(dataDir, 'server'), loadCases)),
      ...(await runDeskBenchmarks(path.join(dataDir, 'desk'), loadCases)),
    ];
    const summary = {
      machine: { cpus: os.cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` },
      loadCases,
      results,
    };
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
