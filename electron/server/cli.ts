// `npm run server -- --port P --data DIR [--seed demo|load] [--cases N] [--host H] [--feed-retention N]`
// `npm run server -- backup [--data DIR] [--out FILE]`
// `npm run server -- restore --from FILE [--data DIR]`   (with the server stopped)
// `npm run server -- invite [--data DIR] --username U --role R --name "Display Name"` or `invite --user U`
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBackup, runRestore } from './backup-commands';
import { defaultConfig, type SeedMode } from './config';
import { runInvite } from './invite-command';
import { unsupportedNodeMessage } from './node-version';
import { startServer } from './start';

function fail(message: string): never {
  console.error(`dispute-desk server: ${message}`);
  process.exit(2);
}

function parseInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} takes a whole number, got "${value}"`);
  return Number(value);
}

/** The backup and restore commands (and invite, invite-command.ts): one-shot, they never start the server. */
async function runCommand(command: string, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' } },
    strict: true,
  });
  const config = defaultConfig({ dataDir: path.resolve(values.data ?? '.data/server') });
  if (command === 'backup') {
    if (values.from) fail('backup takes --out, not --from');
    await runBackup(config, values.out ? path.resolve(values.out) : null, new Date());
    return;
  }
  if (!values.from) fail('restore needs --from FILE: the backup to put back');
  if (values.out) fail('restore takes --from, not --out');
  runRestore(config, values.from, new Date());
}

async function main(): Promise<void> {
  const unsupported = unsupportedNodeMessage(process.versions.node);
  if (unsupported) fail(unsupported);
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'backup' || command === 'restore') return runCommand(command, rest);
  if (command === 'invite') return runInvite((dataDir) => defaultConfig({ dataDir }), rest);
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string' },
      cases: { type: 'string' },
      host: { type: 'string' },
      'feed-retention': { type: 'string' },
      'log-level': { type: 'string' },
    },
    strict: true,
  });
  const seed = (values.seed ?? 'none') as SeedMode;
  if (!['none', 'demo', 'load'].includes(seed)) fail(`--seed takes demo or load, got "${values.seed}"`);
  const config = defaultConfig({
    host: values.host ?? '127.0.0.1',
    port: parseInteger(values.port, 'port', 0),
    dataDir: path.resolve(values.data ?? '.data/server'),
    seed,
    loadCases: parseInteger(values.cases, 'cases', seed === 'load' ? 100_000 : 0),
    ...(values['feed-retention'] ? { feedRetention: parseInteger(values['feed-retention'], 'feed-retention', 0) } : {}),
    logLevel: (values['log-level'] as 'info' | undefined) ?? 'warn',
  });
  if (seed !== 'none') {
    console.warn('WARNING: seeding demo accounts with published passwords and TOTP secrets. Never expose this server.');
  }
  const server = await startServer(config);
  console.log(`Dispute Desk platform server listening on ${server.url}`);
  const shutdown = (signal: string) => {
    console.log(`${signal}: closing`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
