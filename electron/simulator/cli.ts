// `npm run simulate -- --server URL [--rate N/min] [--minutes M] [--seed S] [--secret-file FILE]`: a live
// market against a platform server, through the signed events an exchange sends (README "Simulator").
// One line per notable event on stdout, a summary at the end; Ctrl-C (or SIGTERM) stops it and still
// prints the summary.
import { readFileSync } from 'node:fs';
import { parseSimulatorArguments, USAGE, UsageError } from './arguments';
import { runSimulator, type SimulatorSummary } from './run';

class MissingSecret extends Error {
  readonly code = 'missing_secret';
}

function platformSecret(secretFile: string | null): string {
  const secret = secretFile
    ? readFileSync(secretFile, 'utf8').trim()
    : process.env.PLATFORM_EVENTS_SECRET?.trim();
  if (!secret) {
    throw new MissingSecret(
      'PLATFORM_EVENTS_SECRET is not set: give the secret the server verifies platform events with (or --secret-file FILE).',
    );
  }
  return secret;
}

function summaryLines(summary: SimulatorSummary): string[] {
  return [
    `summary   ${summary.trades} trades: ${summary.completed} completed, ${summary.cancelled} cancelled, ${summary.disputes} disputes`,
    `          ${summary.failedLiveness} failed Proof of Life, ${summary.kytStories} KYT stories, ${summary.refused} refused by the platform (escrow settled or frozen)`,
    `          ${summary.events} events delivered, ${summary.errors} errors`,
  ];
}

async function main(): Promise<number> {
  const args = parseSimulatorArguments(process.argv.slice(2), () => String(Date.now() % 1_000_000));
  const secret = platformSecret(args.secretFile);
  const metamapSecret = process.env.METAMAP_WEBHOOK_SECRET?.trim() || null;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  console.log(
    `simulator ${args.rate} trades/min against ${args.server}, seed ${args.seed}` +
      `${args.minutes === null ? ', until Ctrl-C' : `, for ${args.minutes} min`}` +
      `${metamapSecret ? '' : ' (no METAMAP_WEBHOOK_SECRET: no Proof of Life)'}`,
  );
  const summary = await runSimulator({
    server: args.server,
    secret,
    metamapSecret,
    rate: args.rate,
    durationMs: args.minutes === null ? null : args.minutes * 60_000,
    seed: args.seed,
    signal: stop.signal,
    onLine: (line) => console.log(line),
  });
  for (const line of summaryLines(summary)) console.log(line);
  return summary.errors > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`simulator: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
