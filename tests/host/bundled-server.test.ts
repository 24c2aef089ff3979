// The bundled server as a child process: the command line it is started with, the ready line it waits
// for, the demo data on first run only, and what the caller learns when the server never gets ready.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BundledServerError,
  announcedServerUrl,
  firstRunSeed,
  serverArguments,
  serverCommand,
  startBundledServer,
  type BundledServer,
} from '../../electron/launch/bundled-server';

let dir: string;
const running: BundledServer[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dd-bundled-'));
});

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('serverCommand', () => {
  const env = { PATH: '/bin', ELECTRON_RUN_AS_NODE: '1' };

  it('runs the TypeScript CLI through tsx on loopback, port 0, seeding the demo data when asked', () => {
    const command = serverCommand({
      execPath: '/opt/node',
      launch: {
        entry: { kind: 'source', cliPath: '/app/electron/server/cli.ts' },
        args: serverArguments('/data/server', 'demo'),
        env,
      },
      tsxLoaderUrl: 'file:///app/node_modules/tsx/dist/loader.mjs',
    });
    expect(command.command).toBe('/opt/node');
    expect(command.args).toEqual([
      '--import',
      'file:///app/node_modules/tsx/dist/loader.mjs',
      '/app/electron/server/cli.ts',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      '/data/server',
      '--seed',
      'demo',
    ]);
    // A plain Node child must not inherit Electron's switch from a parent that had it.
    expect(command.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(command.env.PATH).toBe('/bin');
  });

  it('runs a built entry as it is, never asking an Electron binary to act as Node', () => {
    const command = serverCommand({
      execPath: '/opt/node',
      launch: { entry: { kind: 'built', scriptPath: '/app/out/main/server.js' }, args: serverArguments('/data/server', 'none'), env },
    });
    expect(command.args).toEqual(['/app/out/main/server.js', '--port', '0', '--host', '127.0.0.1', '--data', '/data/server']);
    expect(command.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
  });
});

describe('announcedServerUrl', () => {
  it('finds the loopback address in the server ready line', () => {
    expect(announcedServerUrl('Dispute Desk platform server listening on http://127.0.0.1:43121')).toBe(
      'http://127.0.0.1:43121',
    );
  });

  it.each([
    'WARNING: seeding demo accounts',
    'listening on http://0.0.0.0:43121',
    'listening on http://127.0.0.10:43121',
    'listening on http://127.0.0.1.evil.com:80',
    'listening on https://127.0.0.1:43121',
  ])('ignores %s', (line) => {
    expect(announcedServerUrl(line)).toBeNull();
  });
});

describe('firstRunSeed', () => {
  it('seeds the demo data only while the data folder has no store', () => {
    expect(firstRunSeed(dir)).toBe('demo');
    writeFileSync(join(dir, 'platform.db'), '');
    expect(firstRunSeed(dir)).toBe('none');
  });
});

describe('startBundledServer', () => {
  // The demo seed renders its receipts and photos: about 12 s alone, longer beside the rest of the suite.
  it('starts the real server with the demo data on first run, keeps the data, and stops it', async () => {
    const first = await startBundledServer({ dataDir: dir, timeoutMs: 110_000 });
    running.push(first);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await axios.get(`${first.url}/v1/health`)).data).toMatchObject({ status: 'ok' });
    const login = await axios.post(`${first.url}/v1/auth/login`, {
      username: 'ana',
      password: 'ana-demo-pass',
    });
    expect(login.data).toMatchObject({ status: 'totp_required' });
    await first.stop();
    expect(isRunning(first.pid)).toBe(false);
    await expect(axios.get(`${first.url}/v1/health`)).rejects.toThrow();

    // Second run: no seed (the store exists), same data.
    expect(firstRunSeed(dir)).toBe('none');
    const second = await startBundledServer({ dataDir: dir, timeoutMs: 60_000 });
    running.push(second);
    const again = await axios.post(`${second.url}/v1/auth/login`, {
      username: 'ana',
      password: 'ana-demo-pass',
    });
    expect(again.data).toMatchObject({ status: 'totp_required' });
  }, 120_000);

  it('passes its environment through to the server, and every line it prints to onOutput', async () => {
    const script = join(dir, 'env-server.mjs');
    const output: string[] = [];
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
       writeFileSync(${JSON.stringify(join(dir, 'env.json'))}, JSON.stringify({ secret: process.env.METAMAP_WEBHOOK_SECRET, args: process.argv.slice(2) }));
       console.log('WARNING: seeding demo accounts');
       console.log('listening on http://127.0.0.1:1');
       setInterval(() => {}, 1000);`,
    );
    const server = await startBundledServer({
      dataDir: dir,
      seed: 'none',
      entry: { kind: 'built', scriptPath: script },
      env: { METAMAP_WEBHOOK_SECRET: 'from-the-parent' },
      onOutput: (line, stream) => output.push(`${stream}: ${line}`),
    });
    running.push(server);
    // One stream, so that the order is certain: lines before the ready line are passed on too.
    expect(output).toEqual([
      'stdout: WARNING: seeding demo accounts',
      'stdout: listening on http://127.0.0.1:1',
    ]);
    const seen = JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8')) as {
      secret: string;
      args: string[];
    };
    expect(seen.secret).toBe('from-the-parent');
    expect(seen.args).toEqual(['--port', '0', '--host', '127.0.0.1', '--data', dir]);
  });

  it('gives up when the server never says it is ready, kills it, and shows its error output', async () => {
    const script = join(dir, 'silent-server.mjs');
    const pidFile = join(dir, 'pid');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
       writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
       console.error('still migrating the store');
       setInterval(() => {}, 1000);`,
    );
    const attempt = startBundledServer({
      dataDir: dir,
      entry: { kind: 'built', scriptPath: script },
      timeoutMs: 1_000,
    });
    const error = await attempt.then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(BundledServerError);
    expect((error as Error).message).toMatch(/did not say it was ready within 1000 ms/);
    expect((error as Error).message).toContain('still migrating the store');
    expect(existsSync(pidFile)).toBe(true);
    expect(isRunning(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('reports a server that exits before it is ready, with its exit code and error output', async () => {
    const script = join(dir, 'failing-server.mjs');
    writeFileSync(script, `console.error('dispute-desk server: the port is in use'); process.exit(3);`);
    await expect(
      startBundledServer({ dataDir: dir, entry: { kind: 'built', scriptPath: script }}),
    ).rejects.toThrow(/exited before it was ready \(exit code 3\)[\s\S]*the port is in use/);
  });
});
