// The desk service (DESIGN §1, §5): plain Node, one per app. It owns the cache, the session, the sync and
// the outbox, and answers the desk API: every call is checked against the contract's schema, handled by
// the one handler that owns its channel, and answered as {ok:true,value} or {ok:false,error}. The Electron
// utility process and the browser host both run exactly this.
import {
  deskChannels,
  type DeskChannel,
  type DeskEvent,
  type DeskEvents,
  type DeskOutput,
} from '../../shared/desk-api/contract';
import type { DeskResult } from '../../shared/desk-api/schemas';
import type { SupportSnapshot } from '../../shared/desk-api/worker-protocol';
import { checkServerUrl } from '../../shared/desk-api/server-url';
import { auditHandlers } from './audit/handlers';
import { DEFAULT_AUDIT_TUNING, createAuditVerifier, type AuditTuning } from './audit/verifier';
import { cacheHandlers } from './cache/handlers';
import type { DeskContext, DeskLogger } from './context';
import { createDrafts } from './drafts/drafts';
import { deskErrorOf } from './errors';
import { createEventBus } from './events';
import { createEvidenceStore, type EvidenceFile } from './evidence/evidence-store';
import { kytHandlers } from './kyt/handlers';
import { dossierHandlers } from './dossier/handlers';
import { supervisionHandlers } from './supervision/handlers';
import { DeskFailure, joinHandlers, withInputChecks } from './handlers';
import { createOutbox } from './outbox/outbox';
import { createSessionWithApi } from './session';
import { sessionHandlers } from './session-handlers';
import { DEFAULT_SETTINGS, readSettings, settingsHandlers } from './settings';
import { serverHandlers } from './server-handlers';
import type { HealthCheckOptions } from './server-health';
import { DEFAULT_SYNC_TUNING, createSyncEngine, type SyncTuning } from './sync/engine';
import { createSyncWriter } from './sync/writer';
import { syncHandlers } from './sync/handlers';
import { userHandlers } from './users/handlers';
import { supportSnapshot } from './support';
import { bindCacheToServer, readCacheOwner, writeCacheOwner } from './sync/sync-state';
import { checkDataKey, dataKeyFromFile, storeKey } from './storage/data-key';
import {
  DEFAULT_RETENTION_DAYS,
  finishPendingPurge,
  purgeOldSetAsideCopies,
  purgeOwnStore,
  purgePersonalData,
  purgeResolvedCases,
} from './storage/purge';
import { openDeskStores } from './storage/stores';

export interface DeskServiceOptions {
  /** The app's data folder for the desk: the cache, the own store and the evidence files live here. */
  dataDir: string;
  /**
   * The 32-byte key the desk's files are encrypted with (storage/data-key.ts): the Electron shell's, held
   * by the OS keystore. Without one the key file in dataDir is used (created on first run): the browser host.
   */
  dataKey?: Buffer;
  /**
   * Resolved cases are deleted from the cache this many days after their verdict: the default (30 unless
   * given) until the user sets a period of their own in the settings.
   */
  retentionDays?: number;
  /** The platform API to talk to, e.g. http://127.0.0.1:4010. */
  serverUrl: string;
  now?: () => Date;
  log?: DeskLogger;
  /** The URL the renderer loads an evidence file from: the shell's protocol or the browser host's route. */
  evidenceUrl?: (sha256: string) => string;
  /**
   * What the cache is bound to (sync/sync-state.ts): the server URL unless given. The bundled server
   * listens on a new port at every launch, so its shell should pass a stable name such as "bundled".
   */
  serverIdentity?: string;
  /** The bundled demo server or another one (default): 'server.info' tells the renderer. */
  serverKind?: 'bundled' | 'remote';
  /** The command line chose the server (the browser host's --server or --demo): no first-run choice. */
  serverChosenAtLaunch?: boolean;
  /** The Electron shell confirms server changes in a native dialog (server-handlers.ts says why it matters). */
  serverChangeConfirmedOutsidePage?: boolean;
  /** For tests: the fetch and timeout of the organisation server's health check. */
  healthCheck?: HealthCheckOptions;
  /** For tests and benchmarks: page size, backoff, stream idle time. */
  sync?: Partial<SyncTuning>;
  /** For tests: the audit check's page size. */
  audit?: Partial<AuditTuning>;
  /** For tests: the sync writer thread's entry file (one that cannot start makes the desk write itself). */
  syncWriterEntry?: string;
}

export interface DeskService {
  handle<C extends DeskChannel>(channel: C, rawInput?: unknown): Promise<DeskResult<DeskOutput<C>>>;
  handle(channel: string, rawInput?: unknown): Promise<DeskResult<unknown>>;
  on<E extends DeskEvent>(event: E, listener: (payload: DeskEvents[E]) => void): () => void;
  /** An evidence file's bytes for the protocol handler or the host route; null if there is no such file. */
  evidenceFile(sha256: string): Promise<EvidenceFile | null>;
  /** Counts and times for the shell's update gate and diagnostics (electron/desk/support.ts). */
  supportSnapshot(): SupportSnapshot;
  close(): Promise<void>;
}

const consoleLogger: DeskLogger = {
  info: (message, data) => console.info(`desk: ${message}`, data ?? ''),
  warn: (message, data) => console.warn(`desk: ${message}`, data ?? ''),
  error: (message, data) => console.error(`desk: ${message}`, data ?? ''),
};

/**
 * The desk sends the user's password to its server: it starts only with an https address or one on this
 * computer (shared/desk-api/server-url.ts), whoever chose it.
 */
function acceptedServerUrl(serverUrl: string): string {
  const checked = checkServerUrl(serverUrl);
  if (!checked.ok) throw new Error(`The desk refuses the server address ${JSON.stringify(serverUrl)}: ${checked.reason}`);
  return checked.url;
}

const isDeskChannel = (channel: string): channel is DeskChannel => Object.hasOwn(deskChannels, channel);

export async function createDeskService(options: DeskServiceOptions): Promise<DeskService> {
  const log = options.log ?? consoleLogger;
  const serverUrl = acceptedServerUrl(options.serverUrl);
  const now = options.now ?? (() => new Date());
  const dataKey = options.dataKey ? checkDataKey(options.dataKey) : dataKeyFromFile(options.dataDir);
  const { cache: db, cacheKey, own, evidenceKey } = openDeskStores(options.dataDir, dataKey, log, now);
  const settingDefaults = { ...DEFAULT_SETTINGS, retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS };
  // Read at every run: a period the user changes in the settings applies from the next run on.
  const retentionDays = () => readSettings(own, settingDefaults).retentionDays;
  const bus = createEventBus(log);
  const ctx: DeskContext = {
    db,
    own,
    dataDir: options.dataDir,
    now,
    log,
    emit: bus.emit,
  };
  // The set-aside own stores are opened with this key at a purge, to delete their drafts (storage/purge.ts).
  const ownStoreKey = storeKey(dataKey, 'own');
  const purgePersonal = () => purgePersonalData(ctx, ownStoreKey);
  // Before anything reads or writes: a sign-out the desk did not finish (it stopped half way) ends here.
  // If it fails again, its mark stays and the next start (or sign-out) tries again: the desk still starts.
  try {
    await finishPendingPurge(ctx, ownStoreKey);
  } catch (error) {
    log.error('The unfinished purge failed again; it is tried again at the next start', {
      error: error instanceof Error ? error.message : String(error),
    });
  }

  const server = options.serverIdentity ?? serverUrl;
  const serverChanged = bindCacheToServer(db, server);
  if (serverChanged) log.warn('The server changed: the cached cases were dropped and sync starts afresh', { server });

  const { api, session } = createSessionWithApi(ctx, serverUrl);
  const currentUser = () => session.user();
  // The page may have shown server content once someone signed in: it may no longer choose the server.
  let signedInThisRun = false;
  const stopNotingSignIn = session.onChange((change) => {
    if (change.kind === 'signed_in') signedInThisRun = true;
  });

  // ── Part B: the outbox, the evidence store and the drafts (electron/desk/{outbox,evidence,drafts}). ──
  const outbox = createOutbox(ctx, { platform: api, currentUser });
  const evidence = createEvidenceStore(ctx, {
    platform: api,
    fileKey: evidenceKey,
    evidenceUrl:
      options.evidenceUrl ??
      (() => {
        throw new DeskFailure('evidence_unavailable', 'Evidence files cannot be shown in this window.');
      }),
  });
  const drafts = createDrafts(ctx, { currentUser });
  // ── end of part B ──

  // Another server is another organisation's data: everything a sign-out deletes goes too (the evidence
  // files, which the cache binding above does not reach, among them). The outbox and drafts stay.
  if (serverChanged) await evidence.purgeWith(purgePersonal);

  const syncWriter = createSyncWriter(db, {
    key: cacheKey,
    log,
    ...(options.syncWriterEntry ? { entry: options.syncWriterEntry } : {}),
  });
  const sync = createSyncEngine(
    ctx,
    api,
    { ...DEFAULT_SYNC_TUNING, ...options.sync },
    { onReconnected: () => void outbox.resume(), writer: syncWriter },
  );

  // Supervisors' desks check the audit chain on their own after every sync (cheap when nothing changed).
  const audit = createAuditVerifier(ctx, api, server, { ...DEFAULT_AUDIT_TUNING, ...options.audit });
  const stopAuditAfterSync = bus.on('sync.status', (status) => {
    if (status.state === 'idle' && session.user()?.role === 'supervisor') void audit.verify();
  });

  // Resolved cases past the retention period go at start, after every sync that reached the end of the
  // feed (a sync may have just brought them, or time moved them past the period) and when the period
  // changes; so do copies of damaged desk files set aside longer ago than the period, finished commands
  // and drafts that outlived their use (first, while the decided cases are still cached to say so).
  async function applyRetention(): Promise<void> {
    try {
      const days = retentionDays();
      purgeOwnStore(ctx, days, session.user());
      if (purgeResolvedCases(ctx, days) > 0) await evidence.dropUnreferenced();
      await purgeOldSetAsideCopies(ctx, days);
    } catch (error) {
      log.error('The retention purge failed; it runs again after the next sync', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  // Chained one after the other and awaited by close(), so no run is cut off by the cache closing under it.
  let retaining = applyRetention();
  const retainAgain = () => {
    retaining = retaining.then(applyRetention);
  };
  const stopRetentionAfterSync = bus.on('sync.status', (status) => {
    if (status.state === 'idle') retainAgain();
  });

  // Purges run one at a time, and a sign-in waits for the sign-out's purge so that a new sync never writes
  // into a cache being emptied.
  let purging: Promise<void> = Promise.resolve();
  const stopFollowingSession = session.onChange((change) => {
    if (change.kind === 'signed_in') {
      purging = purging.then(() => keepCacheTo(change.user.id));
      void purging.then(() => {
        // Closing meanwhile: no run may start on a cache about to close (it would read it once closed).
        if (closing || session.user()?.id !== change.user.id) return;
        sync.start();
        void outbox.resume();
      });
    } else {
      sync.stop();
      // An expired session keeps the cache for the same user's next sign-in; signing out is leaving.
      if (change.reason === 'sign_out') purging = purging.then(() => purgeAfterSignOut());
    }
  });

  // A session that expired keeps the cache for its user; someone else signing in next must not see it.
  async function keepCacheTo(userId: string): Promise<void> {
    try {
      const owner = readCacheOwner(db);
      if (owner !== null && owner !== userId) {
        await sync.settle();
        await evidence.purgeWith(purgePersonal);
        log.info("Another user signed in: the previous user's cached cases were deleted");
      }
      writeCacheOwner(db, userId);
    } catch (error) {
      log.error('The purge for another user failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function purgeAfterSignOut(): Promise<void> {
    try {
      // The stopped sync may still be applying the page it had fetched.
      await sync.settle();
      // A file still downloading keeps nothing once the purge has begun (evidence-store.ts).
      await evidence.purgeWith(purgePersonal);
    } catch (error) {
      log.error('The sign-out purge failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  const handlers = withInputChecks(
    joinHandlers(
      sessionHandlers(session),
      cacheHandlers(ctx, { api, session, outboxOf: (caseId) => outbox.entriesOfCase(caseId) }),
      kytHandlers({
        api,
        session,
        outboxOfAlert: (alertId) => outbox.entriesOfAlert(alertId),
        outboxOfCase: (caseId) => outbox.entriesOfCase(caseId),
      }),
      dossierHandlers({ api, session }),
      supervisionHandlers({ api, session }),
      syncHandlers(sync),
      auditHandlers(audit, session),
      userHandlers({ api, session }),
      settingsHandlers(ctx, { defaults: settingDefaults, onRetentionChanged: retainAgain }),
      serverHandlers(ctx, {
        server: {
          serverUrl,
          kind: options.serverKind ?? 'remote',
          chosenAtLaunch: options.serverChosenAtLaunch ?? false,
          changeConfirmedOutsidePage: options.serverChangeConfirmedOutsidePage ?? false,
        },
        settingDefaults,
        signedInThisRun: () => signedInThisRun,
        ...(options.healthCheck ? { healthCheck: options.healthCheck } : {}),
      }),
      outbox.handlers,
      evidence.handlers,
      drafts.handlers,
    ),
  );

  let closing: Promise<void> | null = null;

  async function handle(channel: string, rawInput?: unknown): Promise<DeskResult<unknown>> {
    if (closing) return { ok: false, error: { code: 'closed', message: 'The desk is shutting down.' } };
    if (!isDeskChannel(channel)) {
      return {
        ok: false,
        error: { code: 'unknown_channel', message: `The desk has no call named "${channel}".` },
      };
    }
    const handler = handlers[channel];
    if (!handler) {
      return {
        ok: false,
        error: { code: 'not_available', message: `"${channel}" is not available in this version.` },
      };
    }
    try {
      return { ok: true, value: await handler(rawInput) };
    } catch (error) {
      return { ok: false, error: deskErrorOf(error, log) };
    }
  }

  return {
    handle: handle as DeskService['handle'],
    on: (event, listener) => bus.on(event, listener),
    evidenceFile: (sha256) => evidence.evidenceFile(sha256),
    supportSnapshot: () => supportSnapshot(own, options.dataDir, session.user()?.id ?? null, sync.status()),
    close() {
      closing ??= (async () => {
        stopFollowingSession();
        stopNotingSignIn();
        stopAuditAfterSync();
        stopRetentionAfterSync();
        await Promise.all([sync.close(), outbox.close(), audit.close(), purging]);
        await syncWriter.close();
        await retaining;
        bus.clear();
        // Closing the last connection checkpoints the WAL into the main file.
        db.close();
        own.close();
      })();
      return closing;
    },
  };
}
