// The server's channels: 'server.info' (which server, chosen or not yet), 'server.check' (an organisation's
// server checked with GET /v1/health before it is saved), 'server.chooseDemo' and 'server.change' as the
// browser host answers them. In Electron, main answers 'server.change' itself, after a native confirmation
// (electron/main/server-change.ts). The browser host has no window in which a page cannot draw, so there
// the page may choose only on first run, while it shows nothing but the app itself (no server has sent a
// byte of content yet); once a server is chosen, only the host's command line changes it (README "The
// desk's server"). A sign-in ends the first run for the page too, chosen or not: from then on the page has
// shown what a server sent, and a script that server planted could otherwise choose the next one.
import type { ServerChange, ServerInfo, Settings } from '../../shared/desk-api/schemas';
import type { DeskContext } from './context';
import { DeskFailure, type DeskHandlers } from './handlers';
import { checkServerHealth, type HealthCheckOptions } from './server-health';
import { readSettings, writeSettings } from './settings';

export interface RunningServer {
  /** The address the desk talks to now. */
  serverUrl: string;
  kind: 'bundled' | 'remote';
  /** Chosen on the command line (the host's --server or --demo): never a first run. */
  chosenAtLaunch: boolean;
  /** The Electron shell confirms every change in a native dialog: the page may ask at any time. */
  changeConfirmedOutsidePage: boolean;
}

export interface ServerHandlerDeps {
  server: RunningServer;
  settingDefaults: Settings;
  healthCheck?: HealthCheckOptions;
  /** Whether a sign-in has succeeded since the desk started (the session tells). */
  signedInThisRun(): boolean;
}

/**
 * What 'server.info' answers for the running server and the stored settings: pure. `signedInThisRun`: a
 * sign-in succeeded since the desk started, so the page may have shown server content.
 */
export function serverInfo(server: RunningServer, settings: Settings, signedInThisRun = false): ServerInfo {
  const chosen = server.kind === 'remote' || server.chosenAtLaunch || settings.serverChosen;
  const saved = settings.serverUrl;
  const pendingServerUrl = !server.chosenAtLaunch && saved !== null && saved !== server.serverUrl ? saved : null;
  return {
    kind: server.kind,
    serverUrl: server.serverUrl,
    host: new URL(server.serverUrl).host,
    chosen,
    pendingServerUrl,
    changeFromPage: server.changeConfirmedOutsidePage || (!chosen && !signedInThisRun),
  };
}

export function serverHandlers(ctx: DeskContext, deps: ServerHandlerDeps): DeskHandlers {
  const settings = () => readSettings(ctx.own, deps.settingDefaults);
  const info = () => serverInfo(deps.server, settings(), deps.signedInThisRun());
  const refuseUnlessPageMayChange = () => {
    if (info().changeFromPage) return;
    throw new DeskFailure(
      'server_change_refused',
      'Here the server is chosen where the desk was started: npm run browser -- --server https://… (or --demo for the bundled demo server).',
    );
  };

  function keepBundled(): ServerInfo {
    if (deps.server.kind !== 'bundled') {
      throw new DeskFailure('server_change_needed', 'The desk talks to another server: going back to the demo is a server change.');
    }
    // Nothing changes but the record of the choice: the desk already talks to the bundled server.
    writeSettings(ctx.own, { serverUrl: null, serverChosen: true }, deps.settingDefaults);
    ctx.log.info('Server chosen: the bundled demo server');
    return info();
  }

  return {
    'server.info': info,
    'server.check': ({ serverUrl }) => checkServerHealth(serverUrl, deps.healthCheck),
    'server.chooseDemo': keepBundled,
    'server.change': async ({ serverUrl }): Promise<ServerChange> => {
      refuseUnlessPageMayChange();
      if (serverUrl === null) {
        keepBundled();
        return { status: 'saved', serverUrl: null };
      }
      const checked = await checkServerHealth(serverUrl, deps.healthCheck);
      // Asked again: a sign-in may have finished while the check waited on the network.
      refuseUnlessPageMayChange();
      writeSettings(ctx.own, { serverUrl: checked.serverUrl, serverChosen: true }, deps.settingDefaults);
      ctx.log.info('Server chosen for the next start', { serverUrl: checked.serverUrl });
      return { status: 'saved', serverUrl: checked.serverUrl };
    },
  };
}
