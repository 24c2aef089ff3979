// Help → Copy diagnostics, wired: gathers a snapshot (versions, the desk's counts, the last errors of the
// three log files), has diagnostics.ts turn it into text, puts the text on the clipboard and says so. The
// menu calls copyDiagnostics() and nothing else; index.ts hands over what it needs once at start.
import { app, clipboard, dialog, Notification } from 'electron';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../shared/desk-api/schemas';
import type { SessionState } from '../../shared/desk-api/contract';
import type { DeskWorker } from './desk-worker-client';
import { diagnosticsText, newestErrors, type DiagnosticsSnapshot } from './diagnostics';
import { LOG_FILES, lastErrorRecords, readLogTail } from './log-files';
import type { AppLogs } from './logging';
import { diagnosticsCopiedText, shellLanguage } from './shell-text';
import type { UpdateState } from './update-gate';

export interface DiagnosticsSources {
  logs: AppLogs;
  deskWorker: Promise<DeskWorker>;
  updateState(): UpdateState;
}

let sources: DiagnosticsSources | null = null;

export function provideDiagnostics(provided: DiagnosticsSources): void {
  sources = provided;
}

/** A desk that does not answer within this long is reported as not answering. */
const DESK_ANSWER_MS = 3_000;

export function copyDiagnostics(): void {
  if (!sources) return;
  void gatherSnapshot(sources)
    .then(async (snapshot) => {
      clipboard.writeText(diagnosticsText(snapshot));
      const language = await deskAnswer(sources!, (worker) => worker.invoke('settings.get', undefined)).then((result) =>
        shellLanguage(result?.ok ? (result.value as Settings).language : 'system', app.getLocale()),
      );
      tellCopied(diagnosticsCopiedText(language));
    })
    .catch((error: unknown) => console.error('Dispute Desk: could not copy the diagnostics', error));
}

async function gatherSnapshot(from: DiagnosticsSources): Promise<DiagnosticsSnapshot> {
  const [desk, session] = await Promise.all([
    deskAnswer(from, (worker) => worker.support()),
    deskAnswer(from, (worker) => worker.invoke('session.state', undefined)),
  ]);
  const records = (Object.keys(LOG_FILES) as Array<keyof typeof LOG_FILES>).map((source) => ({
    source,
    records: lastErrorRecords(readLogTail(path.join(from.logs.folder, LOG_FILES[source])), 10),
  }));
  return {
    takenAt: new Date().toISOString(),
    versions: {
      app: app.getVersion(),
      electron: process.versions.electron ?? 'unknown',
      chrome: process.versions.chrome ?? 'unknown',
      node: process.versions.node,
    },
    os: { platform: process.platform, release: os.release(), arch: process.arch },
    serverUrl: session?.ok ? (session.value as SessionState).serverUrl : null,
    dataFolder: app.getPath('userData'),
    logsFolder: from.logs.folder,
    homeDir: app.getPath('home'),
    desk: desk ?? null,
    update: from.updateState(),
    recentErrors: newestErrors(records),
  };
}

/** What the desk answers, or null when it is down or slower than DESK_ANSWER_MS. */
async function deskAnswer<T>(from: DiagnosticsSources, ask: (worker: DeskWorker) => Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DESK_ANSWER_MS)));
  try {
    return await Promise.race([from.deskWorker.then(ask), timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function tellCopied(text: { title: string; body: string }): void {
  if (Notification.isSupported()) new Notification(text).show();
  else void dialog.showMessageBox({ type: 'info', message: text.title, detail: text.body });
}
