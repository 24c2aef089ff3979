// The simulator's command line: `--server URL [--rate N] [--minutes M] [--seed S] [--secret-file FILE]`,
// and its secrets from the environment. Pure, so that every refusal is unit tested.
import { parseArgs } from 'node:util';

export interface SimulatorArguments {
  server: string;
  /** Trades opened per minute. */
  rate: number;
  /** Null: until Ctrl-C. */
  minutes: number | null;
  seed: string;
  /** A file holding PLATFORM_EVENTS_SECRET instead of the environment, so the secret stays out of `ps`. */
  secretFile: string | null;
}

export class UsageError extends Error {
  readonly code = 'usage';
}

export const USAGE =
  'usage: npm run simulate -- --server URL [--rate N/min] [--minutes M] [--seed S] [--secret-file FILE]\n' +
  '  PLATFORM_EVENTS_SECRET (or --secret-file) signs the events; METAMAP_WEBHOOK_SECRET, if set, adds Proof of Life.';

const DEFAULT_RATE = 20;
const MAX_RATE = 6_000;

export function parseSimulatorArguments(args: string[], defaultSeed: () => string): SimulatorArguments {
  let values: { server?: string; rate?: string; minutes?: string; seed?: string; 'secret-file'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        server: { type: 'string' },
        rate: { type: 'string' },
        minutes: { type: 'string' },
        seed: { type: 'string' },
        'secret-file': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.server === undefined)
    throw new UsageError('--server is required: the platform server to play the market against');
  const url = URL.parse(values.server);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--server takes the platform server's http(s) address, got "${values.server}"`);
  }
  const rate = positiveNumber('--rate', values.rate ?? String(DEFAULT_RATE));
  if (rate > MAX_RATE) throw new UsageError(`--rate is at most ${MAX_RATE} trades a minute, got ${rate}`);
  const seed = values.seed ?? defaultSeed();
  if (!/^[A-Za-z0-9]{1,16}$/.test(seed))
    throw new UsageError(`--seed takes 1 to 16 letters or digits, got "${seed}"`);
  return {
    server: url.href.replace(/\/$/, ''),
    rate,
    minutes: values.minutes === undefined ? null : positiveNumber('--minutes', values.minutes),
    seed,
    secretFile: values['secret-file'] ?? null,
  };
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0))
    throw new UsageError(`${flag} takes a positive number, got "${text}"`);
  return value;
}
