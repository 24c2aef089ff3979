// What runs beside the window: the desk worker and, unless the desk's settings name a remote server, the
// bundled platform server, each in an Electron utility process. Both are stopped on quit, the desk first so that it never
// talks to a server that is already gone.
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import { startBundledServer, type BundledServer } from '../launch/bundled-server';
import { BUNDLED_SERVER_IDENTITY, chooseServer } from '../launch/server-choice';
import { deskDataKey } from './data-key';
import { superviseDeskWorker, type SupervisorOptions } from './desk-supervisor';
import { startDeskWorker, type DeskServer, type DeskWorker } from './desk-worker-client';
import { levelOfLine } from './log-files';
import type { AppLogs } from './logging';
import { utilityProcessLauncher } from './server-process';

export interface ServicesOptions {
  userDataDir: string;
  /** out/main/desk-worker.js */
  deskWorkerScript: string;
  /** out/main/server.js, run in a utility process. */
  serverScript: string;
  /** Told when the desk worker crashed too often to be restarted again (main shows an error box). */
  onDeskGaveUp?: SupervisorOptions['onGiveUp'];
  /** desk.log and server.log take what the two processes print (logging.ts). */
  logs: AppLogs;
}

export interface RunningServices {
  deskWorker: DeskWorker;
  stop(): Promise<void>;
}

export async function startServices(options: ServicesOptions): Promise<RunningServices> {
  let server: BundledServer | null = null;
  let connected: DeskServer | null = null;
  // A restarted worker asks again: it gets the server the first one chose, the bundled one still running.
  const connect = async (savedServerUrl: string | null): Promise<DeskServer> =>
    (connected ??= await chooseAndStart(savedServerUrl));
  const chooseAndStart = async (savedServerUrl: string | null): Promise<DeskServer> => {
    const choice = chooseServer(null, savedServerUrl);
    if (choice.kind === 'remote') return { serverUrl: choice.serverUrl, serverIdentity: null };
    server = await startBundledServer({
      dataDir: join(options.userDataDir, 'server'),
      entry: { kind: 'built', scriptPath: options.serverScript },
      launch: utilityProcessLauncher((modulePath, args, forkOptions) => utilityProcess.fork(modulePath, args, forkOptions)),
      timeoutMs: 120_000,
      onOutput: (line, stream) => options.logs.server[levelOfLine(line, stream)](line),
    });
    return { serverUrl: server.url, serverIdentity: BUNDLED_SERVER_IDENTITY };
  };
  const stopServer = async (): Promise<void> => {
    await server?.stop();
  };
  try {
    const deskDataDir = join(options.userDataDir, 'desk');
    const dataKey = deskDataKey(deskDataDir);
    const deskWorker = await superviseDeskWorker({
      start: () =>
        startDeskWorker({
          spawn: () => {
            const worker = utilityProcess.fork(options.deskWorkerScript, [], {
              serviceName: 'Dispute Desk service',
              stdio: 'pipe',
            });
            options.logs.follow(worker.stdout, 'desk', 'stdout');
            options.logs.follow(worker.stderr, 'desk', 'stderr');
            return worker;
          },
          dataDir: deskDataDir,
          dataKey,
          connect,
        }),
      onCrash: (reason) => console.error(`Dispute Desk: the desk service stopped (${reason}); restarting it`),
      ...(options.onDeskGaveUp ? { onGiveUp: options.onDeskGaveUp } : {}),
    });
    return {
      deskWorker,
      async stop() {
        await deskWorker.stop();
        await stopServer();
      },
    };
  } catch (error) {
    await stopServer();
    throw error;
  }
}
