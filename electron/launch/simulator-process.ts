// The market simulator (electron/simulator/cli.ts) as a child process, for `npm run browser -- --simulate`:
// a demo where disputes arrive live. Its secrets go by environment, never on the command line (where `ps`
// shows them); its lines are handed to the parent, and it is stopped with the parent.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface SimulatorSecrets {
  PLATFORM_EVENTS_SECRET: string;
  METAMAP_WEBHOOK_SECRET: string;
}

/** Fresh secrets for one run: the bundled server verifies with them and the simulator signs with them. */
export function newSimulatorSecrets(): SimulatorSecrets {
  return {
    PLATFORM_EVENTS_SECRET: randomBytes(32).toString('base64url'),
    METAMAP_WEBHOOK_SECRET: randomBytes(32).toString('base64url'),
  };
}

export interface SimulatorProcess {
  pid: number;
  /** Stops it (SIGTERM: it prints its summary), then SIGKILL if it has not exited in a few seconds. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;

export function startSimulatorProcess(options: {
  serverUrl: string;
  secrets: SimulatorSecrets;
  rate?: number;
  onOutput?: (line: string) => void;
}): SimulatorProcess {
  const cli = fileURLToPath(new URL('../simulator/cli.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--import', tsx, cli, '--server', options.serverUrl];
  if (options.rate !== undefined) args.push('--rate', String(options.rate));
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...options.secrets },
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onOutput?.(line);
    });
  }
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exited = false;
  const killOnParentExit = () => child.kill('SIGKILL');
  process.on('exit', killOnParentExit);
  void exit.then(() => {
    exited = true;
    process.off('exit', killOnParentExit);
  });
  return {
    pid: child.pid ?? -1,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(grace);
    },
  };
}
