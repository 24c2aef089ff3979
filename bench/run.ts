// `npm run bench`: runs every benchmark and prints one JSON summary. Figures are never asserted: each
// stands beside a baseline measured in the same run on the same machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runAuditBenchmarks } from './audit.bench';
import { runDeskBenchmarks } from './desk.bench';
import { runKytBenchmarks } from './kyt.bench';
import { runPasswordBenchmarks } from './passwords.bench';
import { runPlatformEventBenchmarks } from './platform-events.bench';
import { runServerBenchmarks } from './server.bench';
import { runUiBenchmarks } from './ui.bench';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, 'ui-cases': { type: 'string' } } });
  // The issues measure at 100,000 cases; `--cases N` runs a quicker pass.
  const loadCases = Number(values.cases ?? 100_000);
  // The UI benchmark seeds a server and syncs a desk of its own: --ui-cases keeps it shorter if need be.
  const uiCases = Number(values['ui-cases'] ?? loadCases);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-bench-'));
  try {
    const results = [
      ...(await runServerBenchmarks(path.join(dataDir, 'server'), loadCases)),
      ...(await runAuditBenchmarks(fs.mkdtempSync(path.join(dataDir, 'audit-')))),
      ...(await runKytBenchmarks(path.join(dataDir, 'kyt'), loadCases)),
      ...(await runPlatformEventBenchmarks(path.join(dataDir, 'platform-events'))),
      ...(await runPasswordBenchmarks(path.join(dataDir, 'passwords'))),
      ...(await runDeskBenchmarks(path.join(dataDir, 'desk'), loadCases)),
      ...(await runUiBenchmarks(path.join(dataDir, 'ui'), uiCases)),
    ];
    const summary = {
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      loadCases,
      uiCases,
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
