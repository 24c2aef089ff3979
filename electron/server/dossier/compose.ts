// The sealed case dossier (issue #9): one export of a decided case with everything a regulator or a court
// asks for (the trade and its parties, the chat, the evidence by sha256, the identity checks, the KYT
// alerts, the notes, the verdict and every proposal before it, and the case's audit entries), signed by the
// server's audit key so that it can be checked with the public key alone.
//
// The audit entries are tied to the signed checkpoints that cover them: for each checkpoint, the run of
// the chain from the first of the case's entries it covers up to the checkpoint's head, entries whole (the
// chain hashes whole entries, so nothing shorter lets a verifier recompute it). ctx.write() signs a
// checkpoint at the end of every write, so such a run is usually the entries of one transaction.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { caseDossier } from '../../../shared/api/responses';
import type { AuditEntry, CaseDossier, DossierProof, SignedDossier } from '../../../shared/api/types';
import { DOSSIER_FORMAT, DOSSIER_SIGNED_TEXT, type DossierFormat } from '../../../shared/domain/dossier';
import { appendAudit, verifyAuditEntries } from '../audit/chain';
import { checkpointCovering, checkpointSignatureValid } from '../audit/checkpoints';
import type { ServerContext } from '../context';
import { apiError, conflict } from '../errors';
import type { AuthUser } from '../http/session';
import { caseDetailOf } from '../cases/lookup';
import type { AuditRow } from '../sql/audit';
import { readAuditRowsBetween, readCaseAuditRows, readVerdictHistory } from '../sql/dossier';

export const caseNotDecided = () =>
  conflict('case_not_decided', 'This case has no executed verdict yet: a dossier seals a decided case.');

const auditChainBroken = (why: string) =>
  apiError('audit_chain_broken', `The audit log cannot vouch for this case, so no dossier is signed: ${why}.`);

function entryOf(row: AuditRow): AuditEntry {
  let data: unknown;
  try {
    data = JSON.parse(row.data) as unknown;
  } catch {
    throw auditChainBroken(`entry ${row.seq} no longer holds readable data`);
  }
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Checks a run the way a verifier will: a run that does not check out here is never signed. */
function checkProof(proof: DossierProof): void {
  const first = proof.entries[0]!;
  const { checkpoint } = proof;
  const verification = verifyAuditEntries(proof.entries, { seq: first.seq - 1, hash: first.prevHash });
  if (!verification.ok) throw auditChainBroken(`entry ${verification.firstBad} does not recompute`);
  if (verification.head?.seq !== checkpoint.seq || verification.head.hash !== checkpoint.hash) {
    throw auditChainBroken(`the chain at ${checkpoint.seq} is not what its checkpoint signed`);
  }
  if (!checkpointSignatureValid(checkpoint)) throw auditChainBroken(`checkpoint ${checkpoint.seq} is not validly signed`);
}

/** The runs of the chain from the case's entries to the checkpoints covering them. Inside a write. */
function proofsFor(ctx: ServerContext, entries: readonly AuditEntry[]): DossierProof[] {
  const proofs: DossierProof[] = [];
  let index = 0;
  while (index < entries.length) {
    const from = entries[index]!.seq;
    const checkpoint = checkpointCovering(ctx.db, from);
    if (!checkpoint) {
      throw auditChainBroken(ctx.checkpoints.problem() ?? `entry ${from} is not covered by a signed checkpoint`);
    }
    const proof = { checkpoint, entries: readAuditRowsBetween(ctx.db, from, checkpoint.seq).map(entryOf) };
    checkProof(proof);
    proofs.push(proof);
    while (index < entries.length && entries[index]!.seq <= checkpoint.seq) index += 1;
  }
  return proofs;
}

/** Reads the dossier of a decided case. Call inside ctx.write(): it may sign the head first. */
export function composeDossier(ctx: ServerContext, caseId: string, user: AuthUser, at: Date): CaseDossier {
  const detail = caseDetailOf(ctx, caseId);
  const verdictHistory = readVerdictHistory(ctx.db, caseId);
  const verdict = verdictHistory.find((record) => record.state === 'executed');
  if (!verdict) throw caseNotDecided();
  // Entries written outside ctx.write() wait for the minute's timer to be signed: sign them now instead.
  ctx.checkpoints.signHead(at);
  const entries = readCaseAuditRows(ctx.db, caseId).map(entryOf);
  const dossier: CaseDossier = {
    format: DOSSIER_FORMAT,
    origin: ctx.config.auditOrigin,
    generatedAt: at.toISOString(),
    generatedBy: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
    case: {
      id: detail.id,
      status: detail.status,
      version: detail.version,
      openedAt: detail.openedAt,
      slaDueAt: detail.slaDueAt,
      reason: detail.reason,
      assignee: detail.assignee,
      flags: detail.flags,
      fourEyes: detail.fourEyes,
      trade: detail.trade,
      escrow: detail.escrow,
    },
    parties: { buyer: detail.buyer, seller: detail.seller },
    messages: detail.messages,
    evidence: detail.evidence,
    identityChecks: detail.liveness,
    kytAlerts: detail.kytAlerts,
    notes: detail.notes,
    verdict,
    verdictHistory,
    audit: { entries, proofs: proofsFor(ctx, entries) },
  };
  // Through the contract and back through JSON, so that what is signed is exactly what a reader parses.
  return JSON.parse(JSON.stringify(caseDossier.parse(dossier))) as CaseDossier;
}

export function canonicalDossier(dossier: CaseDossier): string {
  const text = canonicalize(dossier);
  if (text === undefined) throw new Error('The dossier is not serialisable');
  return text;
}

/** Composes, signs and audits the export (`case.dossier_exported`). Call inside ctx.write(). */
export function exportDossier(ctx: ServerContext, caseId: string, user: AuthUser, format: DossierFormat): SignedDossier {
  const at = ctx.now();
  const dossier = composeDossier(ctx, caseId, user, at);
  const signedText = canonicalDossier(dossier);
  const key = ctx.signer();
  appendAudit(ctx.db, at, {
    actor: user.id,
    action: 'case.dossier_exported',
    subject: caseId,
    // The digest names the exact document handed out: whoever holds a dossier can show it is that one.
    data: { format, sha256: createHash('sha256').update(signedText, 'utf8').digest('hex'), keyId: key.keyId },
  });
  return {
    dossier,
    signature: {
      algorithm: 'ed25519',
      keyId: key.keyId,
      publicKey: key.publicKey,
      signedText: DOSSIER_SIGNED_TEXT,
      value: key.sign(signedText),
    },
  };
}
