// Evidence files are stored once by their sha256, with the type sniffed from their bytes (never trusted
// from an upload's name or header) and a size limit.
import { createHash } from 'node:crypto';
import type { EvidenceKind, MessageSender } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { ApiError } from '../errors';
import { insertCaseEvidence, insertEvidenceFile, readEvidenceBytes } from '../sql/evidence';
import { sniffMime } from './sniff';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface StoredEvidence {
  sha256: string;
  mime: string;
  size: number;
}

/** Stores the bytes (idempotently) and returns their identity. Call inside a write transaction. */
export function putEvidence(db: Db, bytes: Buffer, at: Date): StoredEvidence {
  if (bytes.length === 0 || bytes.length > MAX_EVIDENCE_BYTES) {
    throw new ApiError(413, 'payload_too_large', `Evidence files must be between 1 byte and ${MAX_EVIDENCE_BYTES} bytes.`);
  }
  const mime = sniffMime(bytes);
  if (!mime) throw new ApiError(415, 'unsupported_media_type', 'Evidence must be a PNG, JPEG, WebP, PDF, MP4 or WebM file.');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  insertEvidenceFile(db, { sha256, mime, bytes, at: at.toISOString() });
  return { sha256, mime, size: bytes.length };
}

export interface EvidenceLink {
  caseId: string;
  sha256: string;
  kind: EvidenceKind;
  uploader: MessageSender;
  fileName?: string | null;
  at: Date;
}

/** Attaches stored evidence to a case. Call inside a write transaction. */
export function attachEvidence(db: Db, link: EvidenceLink): void {
  insertCaseEvidence(db, {
    caseId: link.caseId,
    sha256: link.sha256,
    kind: link.kind,
    uploader: link.uploader,
    fileName: link.fileName ?? null,
    at: link.at.toISOString(),
  });
}

export function readEvidenceFile(db: Db, sha256: string): { mime: string; bytes: Buffer } | null {
  if (!SHA256_HEX.test(sha256)) return null;
  return readEvidenceBytes(db, sha256);
}
