// The bundled server in an Electron utility process (electron/main/server-process.ts), without Electron:
// the fake `fork` starts a real Node process and exposes it as Electron's UtilityProcess does (pid,
// stdout/stderr pipes, 'exit' with a code, a SIGTERM-only kill()). What is checked is what the shell hands
// Electron (the built script, the server's arguments, piped output, a service name, no ELECTRON_RUN_AS_NODE)
// and that the shared readiness and stop logic works through the adapter.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBundledServer, type BundledServer } from '../../electron/launch/bundled-server';
import {
  SERVER_SERVICE_NAME,
  utilityProcessLauncher,
  type UtilityChild,
  type UtilityFork,
} from '../../electron/main/server-process';

let dir: string;
const running: BundledServer[] = [];
const forks: Array<{ modulePath: string; args: string[]; options: Parameters<UtilityFork>[2] }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dd-utility-'));
  forks.length = 0;
});

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Electron's utilityProcess.fork, played by a Node child with the same surface. */
const fakeFork: UtilityFork = (modulePath, args, options) => {
  forks.push({ modulePath, args, options });
  const child = spawn(process.execPath, [modulePath, ...args], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const utility: UtilityChild = {
    pid: child.pid,
    stdout: child.stdout,
    stderr: child.stderr,
    once: (_event, listener) => child.once('exit', (code) => listener(code ?? -1)),
    kill: () => child.kill('SIGTERM'),
  };
  return utility;
};

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

describe('utilityProcessLauncher', () => {
  it('forks the built entry with the server arguments and piped output, waits for its ready line, and stops it', async () => {
    const entry = script(
      'server.mjs',
      `console.log('listening on http://127.0.0.1:1 as ' + JSON.stringify(process.argv.slice(2)) + ' ' + process.env.ELECTRON_RUN_AS_NODE);
       process.on('SIGTERM', () => process.exit(0));
       setInterval(() => {}, 1000);`,
    );
    const lines: string[] = [];
    const server = await startBundledServer({
      dataDir: join(dir, 'data'),
      seed: 'demo',
      entry: { kind: 'built', scriptPath: entry },
      launch: utilityProcessLauncher(fakeFork),
      env: { METAMAP_WEBHOOK_SECRET: 's' },
      onOutput: (line) => lines.push(line),
    });
    running.push(server);
    expect(server.url).toBe('http://127.0.0.1:1');
    expect(forks).toHaveLength(1);
    expect(forks[0]!.modulePath).toBe(entry);
    expect(forks[0]!.args).toEqual(['--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'data'), '--seed', 'demo']);
    expect(forks[0]!.options).toMatchObject({ serviceName: SERVER_SERVICE_NAME, stdio: 'pipe' });
    expect(forks[0]!.options.env.METAMAP_WEBHOOK_SECRET).toBe('s');
    // Nothing asks for Node mode: the runAsNode fuse can be off.
    expect(lines[0]).toContain(JSON.stringify(forks[0]!.args));
    expect(lines[0]).toMatch(/ undefined$/);
    await server.stop();
    expect(isRunning(server.pid)).toBe(false);
  });

  it('reports a server that exits before it is ready, with its exit code and error output', async () => {
    const entry = script('failing.mjs', `console.error('dispute-desk server: the port is in use'); process.exit(3);`);
    await expect(
      startBundledServer({ dataDir: dir, seed: 'none', entry: { kind: 'built', scriptPath: entry }, launch: utilityProcessLauncher(fakeFork) }),
    ).rejects.toThrow(/exited before it was ready \(exit code 3\)[\s\S]*the port is in use/);
  });

  it('refuses the TypeScript source: a utility process runs the built JavaScript only', () => {
    expect(() =>
      startBundledServer({
        dataDir: dir,
        seed: 'none',
        entry: { kind: 'source', cliPath: '/app/electron/server/cli.ts' },
        launch: utilityProcessLauncher(fakeFork),
      }),
    ).toThrow(/built server entry/);
    expect(forks).toEqual([]);
  });
});
