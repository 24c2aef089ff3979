// Evidence files (receipts, statements, ID photos, liveness frames): downloaded once from the platform,
// kept on disk encrypted under dataDir/evidence/ (sealed-file.ts), checked against their sha256 before they are kept and
// again whenever they are read, and dropped least recently used first beyond a total size (DESIGN §5).
// The renderer never sees a path: it gets a URL from 'evidence.url' that the Electron protocol or the
// browser host's route answers through evidenceFile().
// A download and sign-out's purge take turns on the disk (one lock), and every purge starts a new
// generation: a download begun before the purge (a slow file, still arriving when the user signed out) finds
// the generation moved on when its turn comes and keeps nothing, so no file outlives the purge.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathOf, ROUTES } from '../../../shared/api/routes';
import { PlatformError } from '../api-client';
import type { DeskContext } from '../context';
import { DeskFailure, type DeskHandlers } from '../handlers';
import { findHeldFile, forgetHeldFile, forgetUnreferencedFiles, holdFileWithinCap, markUsed } from './files';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../storage/permissions';
import { EVIDENCE_FOLDER } from '../storage/stores';
import { seal, sealedName, unseal } from './sealed-file';

export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface EvidenceFile {
  bytes: Buffer;
  mime: string;
}

export interface EvidenceDeps {
  /** The platform API client: GET /v1/evidence/{sha256} with the session's token. */
  platform: { getBytes(path: string): Promise<EvidenceFile> };
  /** The URL the renderer loads a file from: the shell's custom protocol or the browser host's route. */
  evidenceUrl(sha256: string): string;
  /** The key the files are encrypted and named with (storage/data-key.ts, purpose 'evidence'). */
  fileKey: Buffer;
  maxFileBytes?: number;
  /** The LRU cap on the files kept on disk, in bytes. */
  maxTotalBytes?: number;
}

export interface EvidenceStore {
  handlers: DeskHandlers;
  /** The file's bytes and type; null for a file the server does not have (or not a sha256 at all). */
  evidenceFile(sha256: string): Promise<EvidenceFile | null>;
  /** Deletes the files no cached case refers to any more (after the retention purge). */
  dropUnreferenced(): Promise<number>;
  /**
   * Runs `purge` (which deletes every file and row) with no download writing meanwhile; a download that
   * began before it keeps nothing, however late it finishes.
   */
  purgeWith(purge: () => Promise<void>): Promise<void>;
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export function createEvidenceStore(ctx: DeskContext, deps: EvidenceDeps): EvidenceStore {
  const maxFileBytes = deps.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxTotalBytes = deps.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  if (maxFileBytes > maxTotalBytes)
    throw new Error('createEvidenceStore: maxFileBytes exceeds maxTotalBytes');
  const root = path.join(ctx.dataDir, EVIDENCE_FOLDER);
  // Two hex digits of fan-out keep any one directory small with hundreds of thousands of files.
  const fileOf = (sha256: string) => {
    const name = sealedName(deps.fileKey, sha256);
    return path.join(root, name.slice(0, 2), name);
  };
  const loads = new Map<string, Promise<EvidenceFile | null>>();
  let generation = 0;
  let diskTurn: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every write or purge queued before it, one at a time. */
  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = diskTurn.then(work);
    diskTurn = run.catch(() => undefined);
    return run;
  }

  async function readHeld(sha256: string): Promise<EvidenceFile | null> {
    const held = findHeldFile(ctx.db, sha256);
    if (!held) return null;
    const sealed = await fs.readFile(fileOf(sha256)).catch(() => null);
    const bytes = sealed && unseal(deps.fileKey, sealed);
    if (bytes && sha256Of(bytes) === sha256) {
      markUsed(ctx.db, sha256, ctx.now().toISOString());
      return { bytes, mime: held.mime };
    }
    // Gone or damaged on disk (a crash mid-write, a disk error, someone's tampering): fetch it afresh.
    ctx.log.warn('evidence: a kept file was missing or damaged; downloading it again', { sha256 });
    forgetHeldFile(ctx.db, sha256);
    await fs.rm(fileOf(sha256), { force: true });
    return null;
  }

  /** Writes a checked download to disk and records it, dropping the least recently used beyond the cap. */
  async function keep(sha256: string, file: EvidenceFile): Promise<void> {
    const target = fileOf(sha256);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
    // Written beside its place and renamed: a reader never sees half a file under the real name.
    const partial = `${target}.${randomUUID()}.part`;
    try {
      await fs.writeFile(partial, seal(deps.fileKey, file.bytes), { mode: PRIVATE_FILE_MODE });
      await fs.rename(partial, target);
    } catch (error) {
      await fs.rm(partial, { force: true });
      throw error;
    }
    const evicted = holdFileWithinCap(
      ctx.db,
      { sha256, mime: file.mime, size: file.bytes.length },
      ctx.now().toISOString(),
      maxTotalBytes,
    );
    await Promise.all(evicted.map((old) => fs.rm(fileOf(old), { force: true })));
    if (evicted.length > 0)
      ctx.log.info('evidence: dropped least recently used files', { count: evicted.length });
  }

  async function download(sha256: string, startedIn: number): Promise<EvidenceFile | null> {
    let file: EvidenceFile;
    try {
      file = await deps.platform.getBytes(pathOf(ROUTES.evidence, { sha256 }));
    } catch (error) {
      if (error instanceof PlatformError && error.status === 404) return null;
      const reason = error instanceof Error ? error.message : String(error);
      throw new DeskFailure('evidence_unavailable', `The evidence file could not be downloaded. ${reason}`);
    }
    if (file.bytes.length > maxFileBytes) {
      throw new DeskFailure(
        'evidence_too_large',
        `The evidence file is larger than ${maxFileBytes} bytes and was not kept.`,
      );
    }
    // Checked before anything touches the disk, so a bad download leaves nothing behind to delete.
    if (sha256Of(file.bytes) !== sha256) {
      ctx.log.warn('evidence: the downloaded bytes do not match their sha256; refused', { sha256 });
      throw new DeskFailure(
        'evidence_mismatch',
        'The server sent a file that does not match its fingerprint; it was refused.',
      );
    }
    await inTurn(async () => {
      if (generation !== startedIn) {
        throw new DeskFailure('evidence_unavailable', 'The session ended while the file was downloading; it was not kept.');
      }
      await keep(sha256, file);
    });
    return file;
  }

  async function evidenceFile(sha256: string): Promise<EvidenceFile | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    // Everyone asking for a file while it is being looked up or downloaded waits for that one load.
    let load = loads.get(sha256);
    if (!load) {
      const startedIn = generation;
      const started: Promise<EvidenceFile | null> = (async () =>
        (await readHeld(sha256)) ?? download(sha256, startedIn))().finally(() => {
        if (loads.get(sha256) === started) loads.delete(sha256);
      });
      load = started;
      loads.set(sha256, load);
    }
    return load;
  }

  const handlers: DeskHandlers = {
    'evidence.url': async ({ sha256 }) => ({ url: deps.evidenceUrl(sha256) }),
  };

  function dropUnreferenced(): Promise<number> {
    return inTurn(async () => {
      const gone = forgetUnreferencedFiles(ctx.db);
      await Promise.all(gone.map((sha256) => fs.rm(fileOf(sha256), { force: true })));
      return gone.length;
    });
  }

  function purgeWith(purge: () => Promise<void>): Promise<void> {
    generation += 1;
    // Whoever asks for a file from now on starts a load of their own, not one the purge has orphaned.
    loads.clear();
    return inTurn(purge);
  }

  return { handlers, evidenceFile, dropUnreferenced, purgeWith };
}
