// The messages between the main process and the desk worker (a utility process running the desk service,
// so that a long sync never blocks the window). Each side checks every message it receives against these
// schemas: pure, no Electron, unit tested in tests/unit/electron-desk-worker.test.ts.
import { z } from 'zod';
import { DESK_EVENTS, type DeskChannel, type DeskEvent } from './contract';
import { OUTBOX_KINDS, deskError, serverUrl, type DeskResult } from './schemas';
import { isDeskChannel } from './wire';

/** The desk's data key (32 bytes, hex), unwrapped by main from the OS keystore: it never touches the disk. */
const dataKey = z.string().regex(/^[0-9a-f]{64}$/);
const requestId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const deskChannel = z.custom<DeskChannel>(isDeskChannel, { message: 'not a desk channel' });
const deskEvent = z.enum(DESK_EVENTS as [DeskEvent, ...DeskEvent[]]);

/** Main → worker. */
const toWorkerMessage = z.discriminatedUnion('type', [
  /** First: which server the desk's settings name, so that main knows whether to start the bundled one. */
  z.strictObject({ type: z.literal('readSavedServer'), dataDir: z.string().min(1), dataKey }),
  z.strictObject({
    type: z.literal('start'),
    dataDir: z.string().min(1),
    dataKey,
    serverUrl,
    /** What the cache is bound to; null for the server's URL (see electron/launch/server-choice.ts). */
    serverIdentity: z.string().min(1).max(200).nullable(),
  }),
  z.strictObject({ type: z.literal('invoke'), id: requestId, channel: deskChannel, input: z.unknown() }),
  /** A server the user confirmed in main's dialog (null: the bundled one), saved for the next start; answered by `result`. */
  z.strictObject({
    type: z.literal('saveServer'),
    id: requestId,
    dataDir: z.string().min(1),
    dataKey,
    serverUrl: serverUrl.nullable(),
  }),
  z.strictObject({ type: z.literal('evidence'), id: requestId, sha256 }),
  /** The outbox counts and sync state for the update gate and the diagnostics; answered by `result`. */
  z.strictObject({ type: z.literal('support'), id: requestId }),
  z.strictObject({ type: z.literal('stop') }),
]);
export type ToWorkerMessage = z.infer<typeof toWorkerMessage>;

const deskResult = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: deskError }),
]);

/** Worker → main. Buffers arrive as Uint8Array: structured clone keeps the bytes, not the class. */
const fromWorkerMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('savedServer'), serverUrl: serverUrl.nullable() }),
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('failed'), message: z.string() }),
  z.strictObject({ type: z.literal('result'), id: requestId, result: deskResult }),
  z.strictObject({
    type: z.literal('evidence'),
    id: requestId,
    file: z.strictObject({ bytes: z.instanceof(Uint8Array), mime: z.string().max(200) }).nullable(),
  }),
  z.strictObject({ type: z.literal('event'), event: deskEvent, payload: z.unknown() }),
  z.strictObject({ type: z.literal('stopped') }),
]);
export type FromWorkerMessage = z.infer<typeof fromWorkerMessage>;

export function parseToWorker(data: unknown): ToWorkerMessage | null {
  const parsed = toWorkerMessage.safeParse(data);
  return parsed.success ? parsed.data : null;
}

export function parseFromWorker(data: unknown): FromWorkerMessage | null {
  const parsed = fromWorkerMessage.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/**
 * The desk's answer to `support` (electron/desk/support.ts): counts and times, never names, cases or codes.
 * Main checks it against this schema before the update gate or the diagnostics use it.
 */
export const supportSnapshot = z.strictObject({
  /** Whether a user is signed in: `mine` below is that user's commands. */
  signedIn: z.boolean(),
  sync: z.strictObject({
    state: z.enum(['idle', 'syncing', 'offline', 'error', 'signed_out']),
    lastSyncedAt: z.string().max(64).nullable(),
    cachedCases: z.number().int().min(0),
    errorCode: z.string().max(100).nullable(),
  }),
  outbox: z
    .array(
      z.strictObject({
        mine: z.boolean(),
        kind: z.enum(OUTBOX_KINDS),
        state: z.enum(['pending', 'confirmed', 'needs_code', 'failed']),
        count: z.number().int().min(0),
      }),
    )
    .max(500),
  /** Bytes the desk keeps in its data folder (cache, outbox, evidence). */
  storageBytes: z.number().int().min(0),
});
export type SupportSnapshot = z.infer<typeof supportSnapshot>;

export function parseSupportSnapshot(value: unknown): SupportSnapshot | null {
  const parsed = supportSnapshot.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** What a call gets when the worker is gone: an answer the renderer can show, not a hang. */
export function workerUnavailable(reason: string): DeskResult<never> {
  return {
    ok: false,
    error: { code: 'desk_unavailable', message: `The desk service is not running: ${reason}` },
  };
}
