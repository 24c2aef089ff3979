// `npm run browser -- --simulate` in its parts: the bundled server started with the run's fresh secrets,
// the simulator as a child process signing with the same ones (a mismatch would show as error lines), its
// lines handed to the parent, and its summary when the parent stops it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBundledServer, type BundledServer } from '../../electron/launch/bundled-server';
import {
  newSimulatorSecrets,
  startSimulatorProcess,
  type SimulatorProcess,
} from '../../electron/launch/simulator-process';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('the simulator as a child of the browser host', () => {
  it('makes fresh secrets for each run', () => {
    const first = newSimulatorSecrets();
    const second = newSimulatorSecrets();
    expect(first.PLATFORM_EVENTS_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.PLATFORM_EVENTS_SECRET).not.toBe(second.PLATFORM_EVENTS_SECRET);
    expect(first.METAMAP_WEBHOOK_SECRET).not.toBe(first.PLATFORM_EVENTS_SECRET);
  });

  it('plays the market against the bundled server started with the same secrets, and sums up when stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-simulate-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const secrets = newSimulatorSecrets();
    const server: BundledServer = await startBundledServer({
      dataDir: join(dir, 'server'),
      seed: 'none',
      env: { ...secrets },
    });
    stops.push(() => server.stop());

    const lines: string[] = [];
    let sawDispute: () => void = () => {};
    const firstDispute = new Promise<void>((resolve) => (sawDispute = resolve));
    const simulator: SimulatorProcess = startSimulatorProcess({
      serverUrl: server.url,
      secrets,
      rate: 600,
      onOutput: (line) => {
        lines.push(line);
        if (line.startsWith('dispute')) sawDispute();
      },
    });
    stops.push(() => simulator.stop());
    await firstDispute;
    await simulator.stop();

    expect(lines[0]).toMatch(new RegExp(`^simulator 600 trades/min against ${server.url}`));
    expect(lines.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(lines.some((line) => /^dispute +DSP-\S+ on T-/.test(line))).toBe(true);
    expect(lines.join('\n')).toMatch(/^summary +\d+ trades/m);
    expect(lines.join('\n')).toMatch(/\d+ events delivered, 0 errors/);
  }, 120_000);
});
