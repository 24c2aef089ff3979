// `npm run browser -- --port P --data DIR [--server URL | --demo] [--simulate] [--retention-days N]`: the whole product in a browser, no
// Electron (DESIGN §1, §7). One Node process runs the desk service, serves the built renderer and bridges
// window.desk over loopback; without --server (and no server saved in the settings) it also starts the
// bundled server, with the demo data on first run. With --simulate the market simulator plays trades
// against that server, so that disputes arrive while the desk is open. Started with neither --server nor
// --demo and no server chosen before, the page opens on the first-run choice (electron/desk/server-handlers.ts).
// stdout carries exactly one line, the ready line; everything else goes to stderr.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { savedServerUrl } from '../desk/saved-server';
import { createDeskService } from '../desk/service';
import { DATA_KEY_FILE, dataKeyFromFile } from '../desk/storage/data-key';
import { startBundledServer } from '../launch/bundled-server';
import { BUNDLED_SERVER_IDENTITY, chooseServer } from '../launch/server-choice';
import { newSimulatorSecrets, startSimulatorProcess } from '../launch/simulator-process';
import { parseHostArguments, UsageError } from './host-arguments';
import { newLaunchSecret } from './host-security';
import { hostEvidenceUrl, readyLine, startHost } from './host-server';
import { buildRenderer, rendererBuildNeeded } from './renderer-build';
import { serverOutputLine } from './server-output';
import { stderrLogger } from './stderr-logger';
import { redactText } from '../../shared/logging/redact';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

async function main(): Promise<void> {
  const args = parseHostArguments(process.argv.slice(2));
  const log = stderrLogger('browser host');
  const rendererRoot = join(projectRoot, 'out', 'renderer');
  if (rendererBuildNeeded(rendererRoot, [join(projectRoot, 'renderer'), join(projectRoot, 'shared')])) {
    log.info('Building the renderer (out/renderer is missing or older than its sources)');
    buildRenderer(projectRoot);
  }

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    // The reverse of the start order: the page first, the server it depends on last.
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => log.error('Stopping failed', { error: String(error) }));
    stops.length = 0;
  };
  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${signal}: stopping`);
    void stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  try {
    const deskDataDir = join(args.dataDir, 'desk');
    // No OS keystore here (DESIGN §1: no desktop session needed): the key sits beside the data it protects.
    const dataKey = dataKeyFromFile(deskDataDir);
    log.info(
      `The desk's files are encrypted with a key kept in ${join(deskDataDir, DATA_KEY_FILE)} (mode 0600): ` +
        'anyone who can read that folder as you can read them; the desktop app keeps its key in the OS keystore',
    );
    const choice = chooseServer(args.serverUrl, savedServerUrl(deskDataDir, dataKey, stderrLogger('desk')), args.demo);
    if (args.simulate && choice.kind === 'remote') {
      throw new UsageError(
        `--simulate plays the market against the bundled server, but ${choice.serverUrl} is saved as the server`,
      );
    }
    // Made for this run only: the bundled server verifies the simulator's events with them.
    const simulatorSecrets = args.simulate ? newSimulatorSecrets() : null;
    let serverUrl: string;
    if (choice.kind === 'remote') {
      serverUrl = choice.serverUrl;
    } else {
      log.info('Starting the bundled platform server');
      const server = await startBundledServer({
        dataDir: join(args.dataDir, 'server'),
        timeoutMs: 120_000,
        ...(simulatorSecrets ? { env: { ...simulatorSecrets } } : {}),
        onOutput: (line) => process.stderr.write(`${serverOutputLine(line)}\n`),
      });
      stops.push(() => server.stop());
      serverUrl = server.url;
    }
    if (simulatorSecrets) {
      const simulator = startSimulatorProcess({
        serverUrl,
        secrets: simulatorSecrets,
        onOutput: (line) => process.stderr.write(`[simulator] ${redactText(line)}\n`),
      });
      stops.push(() => simulator.stop());
      log.info(`The market simulator is running against ${serverUrl}: new disputes will arrive in the queue`);
    }
    const secret = newLaunchSecret();
    const desk = await createDeskService({
      dataDir: deskDataDir,
      dataKey,
      serverUrl,
      ...(choice.kind === 'bundled' ? { serverIdentity: BUNDLED_SERVER_IDENTITY } : {}),
      serverKind: choice.kind,
      // --simulate plays against the bundled demo server: a demo chosen on the command line too.
      serverChosenAtLaunch: args.demo || args.simulate || args.serverUrl !== null,
      ...(args.retentionDays === null ? {} : { retentionDays: args.retentionDays }),
      log: stderrLogger('desk'),
      evidenceUrl: (sha256: string) => hostEvidenceUrl(secret, sha256),
    });
    stops.push(() => desk.close());
    const host = await startHost({ desk, rendererRoot, port: args.port, secret });
    stops.push(() => host.close());
    console.log(readyLine(host.pageUrl));
  } catch (error) {
    await stopAll();
    throw error;
  }
}

main().catch((error: unknown) => {
  const usage = error instanceof UsageError;
  console.error(`dispute-desk browser host: ${error instanceof Error ? error.message : String(error)}`);
  if (usage)
    console.error('usage: npm run browser -- --port P --data DIR [--server URL | --demo] [--simulate] [--retention-days N]');
  process.exit(usage ? 2 : 1);
});
