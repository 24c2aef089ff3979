// `npm run browser` for real: the host's own process, its one ready line (DESIGN §7, a contract), the
// bundled server it starts and stops, and its command-line refusals.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import axios from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBundledServer } from '../../electron/launch/bundled-server';
import { parseHostArguments, UsageError } from '../../electron/host/host-arguments';
import { BridgeClient, get, openBridge } from './helpers';

const READY_LINE = /^Dispute Desk is ready at (http:\/\/127\.0\.0\.1:(\d+))\/#k=([0-9a-f]{64})$/;
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface HostProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

function runHost(args: string[]): HostProcess {
  const child = spawn(process.execPath, ['--import', tsx, resolve('electron/host/cli.ts'), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout
    .setEncoding('utf8')
    .on('data', (chunk: string) => stdout.push(...chunk.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, stdout, stderr, exit };
}

/** Resolves with the first stdout line, or fails with the host's error output if it exits first. */
function readyLineOf(host: HostProcess): Promise<string> {
  return new Promise((done, fail) => {
    const check = () => {
      if (host.stdout[0] !== undefined) done(host.stdout[0]);
    };
    host.child.stdout.on('data', check);
    void host.exit.then((code) =>
      fail(new Error(`the host exited (${code}) before it was ready:\n${host.stderr.join('')}`)),
    );
  });
}

let dir: string;
const hosts: HostProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dd-cli-'));
});

afterEach(async () => {
  for (const host of hosts.splice(0)) {
    if (host.child.exitCode === null) {
      host.child.kill('SIGKILL');
      await host.exit;
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('parseHostArguments', () => {
  it('reads the port, the data folder and an optional server', () => {
    expect(parseHostArguments(['--port', '0', '--data', '/tmp/desk'])).toEqual({
      port: 0,
      dataDir: '/tmp/desk',
      serverUrl: null,
      demo: false,
      simulate: false,
      retentionDays: null,
    });
    expect(
      parseHostArguments(['--port', '8080', '--data', 'd', '--server', 'https://disputes.example/']),
    ).toEqual({
      port: 8080,
      dataDir: resolve('d'),
      serverUrl: 'https://disputes.example',
      demo: false,
      simulate: false,
      retentionDays: null,
    });
    expect(parseHostArguments(['--simulate']).simulate).toBe(true);
    expect(parseHostArguments(['--demo']).demo).toBe(true);
    expect(parseHostArguments(['--retention-days', '7']).retentionDays).toBe(7);
    expect(parseHostArguments(['--retention-days', '540']).retentionDays).toBe(540);
  });

  it.each([
    [['--port', 'eighty']],
    [['--port', '70000']],
    [['--port', '-1']],
    [['--server', 'file:///etc/passwd']],
    [['--server', 'not a url']],
    // The password would cross the network in the clear: plain http only to this computer.
    [['--server', 'http://disputes.example']],
    // Two choices of server at once.
    [['--demo', '--server', 'https://disputes.example']],
    [['--server', 'https://ana:secret@disputes.example']],
    [['--host', '0.0.0.0']],
    [['--simulate', '--server', 'https://disputes.example']],
    [['stray']],
    [['--retention-days', '0']],
    [['--retention-days', '541']],
    [['--retention-days', '1.5']],
    [['--retention-days', '-3']],
    [['--retention-days', 'forever']],
  ])('refuses %j', (args) => {
    expect(() => parseHostArguments(args)).toThrow(UsageError);
  });
});

describe('npm run browser', () => {
  it('starts the bundled server, prints one ready line, serves the page and the bridge, and stops everything on SIGTERM', async () => {
    // A store made beforehand, so that this run skips the demo seed (tests/host/bundled-server.test.ts covers it).
    const prepared = await startBundledServer({ dataDir: join(dir, 'server'), seed: 'none' });
    await prepared.stop();

    const host = runHost(['--port', '0', '--data', dir]);
    hosts.push(host);
    const line = await readyLineOf(host);
    const [, origin, port, secret] = READY_LINE.exec(line) ?? [];
    expect(line).toMatch(READY_LINE);

    const page = await get(Number(port), '/');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>Dispute Desk</title>');
    expect((await get(Number(port), '/', { host: `attacker:${port}` })).status).toBe(403);

    const opened = await openBridge(Number(port), { secret: secret!, origin: origin! });
    const client = new BridgeClient(opened.socket!);
    const state = await client.invoke('session.state');
    expect(state).toMatchObject({
      ok: true,
      value: { user: null, serverUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    });
    const serverUrl = (state as { value: { serverUrl: string } }).value.serverUrl;
    expect((await axios.get(`${serverUrl}/v1/health`)).status).toBe(200);
    client.socket.close();

    host.child.kill('SIGTERM');
    expect(await host.exit).toBe(0);
    expect(host.stdout).toEqual([line]);
    await expect(axios.get(`${serverUrl}/v1/health`)).rejects.toThrow();
  });

  it('talks to the server given with --server and starts none of its own', async () => {
    const remote = await startBundledServer({ dataDir: join(dir, 'remote'), seed: 'none' });
    try {
      const host = runHost(['--port', '0', '--data', join(dir, 'host'), '--server', remote.url]);
      hosts.push(host);
      const [, origin, port, secret] = READY_LINE.exec(await readyLineOf(host)) ?? [];
      const client = new BridgeClient(
        (await openBridge(Number(port), { secret: secret!, origin: origin! })).socket!,
      );
      expect(await client.invoke('session.state')).toMatchObject({
        ok: true,
        value: { serverUrl: remote.url },
      });
      client.socket.close();
      host.child.kill('SIGINT');
      expect(await host.exit).toBe(0);
      expect((await axios.get(`${remote.url}/v1/health`)).status).toBe(200);
    } finally {
      await remote.stop();
    }
  });

  it('explains a bad command line on stderr and exits with 2', async () => {
    const host = runHost(['--port', 'eighty']);
    hosts.push(host);
    expect(await host.exit).toBe(2);
    expect(host.stdout).toEqual([]);
    expect(host.stderr.join('')).toMatch(/--port takes a port number[\s\S]*usage: npm run browser/);
  });
});
