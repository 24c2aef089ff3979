// The sealed case dossier (issue #9): a decided case exported as signed JSON and as a PDF that carries it,
// checked the way a regulator would: with Node's crypto and the public key alone, and with the verifier
// script (scripts/verify-dossier.ts) run as a program.
import canonicalize from 'canonicalize';
import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign as cryptoSign, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signedDossier } from '../../shared/api/responses';
import type { SignedDossier } from '../../shared/api/types';
import { DOSSIER_FORMAT } from '../../shared/domain/dossier';
import { putEvidence } from '../../electron/server/evidence/store';
import { insertCaseEvidence } from '../../electron/server/sql/evidence';
import { insertLivenessCheck } from '../../electron/server/sql/liveness';
import { readSignedDossier, verifyDossier } from '../../scripts/verify-dossier';
import { approve, call, claim, expectConsistent, FOUR_EYES_TRADE, postVerdict, reject, verdictInput } from './fixtures/case-api';
import { PNG } from './fixtures/kyt-review';
import { addAlert, addCase, addUser, advanceSignedIn, bearer, createTestServer, type TestServer, type TestUser } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

const SEND_BACK = 'Check the receipt against the bank statement first.';

interface Decided {
  caseId: string;
  agent: TestUser;
  supervisor: TestUser;
  compliance: TestUser;
  receipt: string;
}

/** A demo-like four-eyes case: chat with a receipt, identity checks, a KYT alert, a verdict sent back once then approved. */
async function decidedCase(): Promise<Decided> {
  server = await createTestServer();
  const { ctx } = server;
  const agent = addUser(ctx, 'agent', 'ana');
  const supervisor = addUser(ctx, 'supervisor', 'sofia');
  const compliance = addUser(ctx, 'compliance', 'carla');
  const caseId = addCase(ctx, FOUR_EYES_TRADE);
  const detail = (await call(server, agent, 'GET', `/v1/cases/${caseId}`)).body;
  const receipt = ctx.write(() => {
    const file = putEvidence(ctx.db, PNG, ctx.now());
    insertCaseEvidence(ctx.db, { caseId, sha256: file.sha256, kind: 'receipt', uploader: 'buyer', fileName: 'receipt.png', at: ctx.now().toISOString() });
    insertLivenessCheck(ctx.db, {
      id: 'LIV-BUYER-ONBOARDING',
      partyId: detail.buyer.id,
      caseId: null,
      trigger: 'onboarding',
      status: 'verified',
      livenessScore: 0.97,
      faceMatchScore: 0.94,
      documentType: 'passport',
      idPhoto: null,
      frames: [],
      errorCode: null,
      providerVerificationId: 'mm-buyer-1',
      requestedBy: null,
      createdAt: ctx.now().toISOString(),
      completedAt: ctx.now().toISOString(),
    });
    return file.sha256;
  });
  addAlert(ctx, caseId, 'KYT-DOSSIER-1');
  server.clock.advance(60_000);
  expect((await claim(server, agent, caseId)).status).toBe(200);
  const message = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, { body: 'I see the receipt; checking with the bank.', evidence: [receipt] });
  expect(message.status, JSON.stringify(message.body)).toBe(201);
  expect((await call(server, agent, 'POST', `/v1/cases/${caseId}/liveness-requests`, { partyId: detail.seller.id })).status).toBe(201);
  expect((await call(server, compliance, 'POST', `/v1/cases/${caseId}/notes`, { body: 'Alert reviewed: no link to the payment.' })).status).toBe(201);
  const dismissed = await call(server, compliance, 'POST', '/v1/kyt/alerts/KYT-DOSSIER-1/decision', { decision: 'dismiss', reason: 'Exposure is indirect and old.' });
  expect(dismissed.status, JSON.stringify(dismissed.body)).toBe(200);
  expect((await postVerdict(server, agent, caseId, verdictInput(server, agent))).status).toBe(200);
  expect((await reject(server, supervisor, caseId, SEND_BACK)).status).toBe(200);
  expect((await postVerdict(server, agent, caseId, verdictInput(server, agent, { rationale: 'The bank statement matches the receipt.' }))).status).toBe(200);
  const approved = await approve(server, supervisor, caseId);
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  expect(approved.body.case.status).toBe('resolved');
  server.clock.advance(60_000);
  return { caseId, agent, supervisor, compliance, receipt };
}

const exportOf = (user: TestUser, caseId: string, format = 'json') =>
  server.app.inject({ method: 'GET', url: `/v1/cases/${caseId}/dossier?format=${format}`, headers: bearer(user) });

async function signedOf(user: TestUser, caseId: string): Promise<SignedDossier> {
  const response = await exportOf(user, caseId);
  expect(response.statusCode, response.body).toBe(200);
  return signedDossier.parse(JSON.parse(response.body));
}

/** What a regulator does with Node alone: rebuild the key from its 32 raw bytes and check the signature. */
function signatureHolds(text: string): boolean {
  const { dossier, signature } = JSON.parse(text) as SignedDossier;
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(signature.publicKey, 'base64')]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  return verify(null, Buffer.from(canonicalize(dossier)!, 'utf8'), key, Buffer.from(signature.value, 'base64'));
}

async function pdfOf(bytes: Buffer): Promise<{ text: string; attachments: Record<string, { filename: string; content: Uint8Array }> }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  const lines: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    let line = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      line += item.str;
      if (item.hasEOL) {
        lines.push(line);
        line = '';
      }
    }
    lines.push(line);
  }
  const attachments = ((await document.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
  await document.destroy();
  return { text: lines.join('\n'), attachments };
}

const SCRIPT = path.resolve('scripts/verify-dossier.ts');

/** Runs the verifier as a regulator would: a program, on a file. */
function runVerifier(file: string, ...expected: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, file, ...expected], { encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('GET /v1/cases/{id}/dossier', () => {
  it('holds every section of a decided case: facts, parties, chat, evidence, identity, KYT, notes, verdict, approvals, audit', async () => {
    const { caseId, agent, supervisor, compliance, receipt } = await decidedCase();
    const { dossier } = await signedOf(compliance, caseId);
    expect(dossier).toMatchObject({
      format: DOSSIER_FORMAT,
      origin: server.ctx.config.auditOrigin,
      generatedAt: server.clock.now.toISOString(),
      generatedBy: { id: compliance.id, username: 'carla', role: 'compliance' },
      case: { id: caseId, status: 'resolved', escrow: { state: 'released' }, fourEyes: { required: true } },
      parties: { buyer: { kycStatus: 'verified' }, seller: { kycStatus: 'verified' } },
      verdict: {
        state: 'executed',
        outcome: 'release',
        reasonCode: 'payment_confirmed',
        rationale: 'The bank statement matches the receipt.',
        proposedBy: { id: agent.id },
        approvedBy: { id: supervisor.id },
      },
    });
    expect(dossier.messages.map((message) => message.body)).toContain('I see the receipt; checking with the bank.');
    expect(dossier.messages.find((message) => message.sender === 'agent')?.evidence).toEqual([receipt]);
    expect(dossier.evidence).toEqual([expect.objectContaining({ sha256: receipt, kind: 'receipt', mime: 'image/png', size: PNG.length, uploader: 'buyer' })]);
    expect(dossier.identityChecks.map((check) => [check.id.startsWith('LIV-BUYER') ? 'onboarding' : check.trigger, check.status]).sort()).toEqual([
      ['onboarding', 'verified'],
      ['trade', 'pending'],
    ]);
    expect(dossier.kytAlerts).toEqual([expect.objectContaining({ id: 'KYT-DOSSIER-1', status: 'dismissed', decisionReason: 'Exposure is indirect and old.' })]);
    expect(dossier.notes.map((note) => note.body)).toEqual(['Alert reviewed: no link to the payment.']);
    // The proposal the supervisor sent back, with the reason, then the one that was carried out.
    expect(dossier.verdictHistory.map((record) => [record.state, record.rejectedBy?.id ?? null, record.rejectReason])).toEqual([
      ['rejected', supervisor.id, SEND_BACK],
      ['executed', null, null],
    ]);
    const actions = dossier.audit.entries.map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'case.claimed',
        'case.message_sent',
        'case.note_added',
        'kyt_alert.dismissed',
        'verdict.proposed',
        'verdict.rejected',
        'verdict.approved',
      ]),
    );
    expect(actions).toContain('liveness.requested');
    // Every entry is the case's: its subject, or its data names it (the KYT decision's subject is the alert).
    for (const entry of dossier.audit.entries) {
      expect(entry.subject === caseId || (entry.data as { caseId?: string }).caseId === caseId, entry.action).toBe(true);
    }
    // The last proof ends at the checkpoint covering the newest entry, signed as GET /v1/audit/checkpoints shows it.
    const newest = dossier.audit.entries.at(-1)!;
    const lastProof = dossier.audit.proofs.at(-1)!;
    expect(lastProof.checkpoint.seq).toBeGreaterThanOrEqual(newest.seq);
    const published = await call(server, supervisor, 'GET', `/v1/audit/checkpoints?after=${lastProof.checkpoint.seq - 1}&limit=1`);
    expect(published.body.checkpoints[0]).toEqual(lastProof.checkpoint);
    expectConsistent(server);
  });

  it('is signed so that the public key alone verifies it, and one changed character breaks it', async () => {
    const { caseId, supervisor } = await decidedCase();
    const response = await exportOf(supervisor, caseId);
    expect(response.statusCode).toBe(200);
    const text = response.body;
    expect(signatureHolds(text)).toBe(true);
    const parsed = JSON.parse(text) as SignedDossier;
    expect(parsed.signature).toMatchObject({ algorithm: 'ed25519', keyId: server.ctx.signer().keyId, publicKey: server.ctx.signer().publicKey });
    const rationale = parsed.dossier.verdict.rationale;
    const tampered = text.replace(rationale, rationale.replace('matches', 'latches'));
    expect(tampered).not.toBe(text);
    expect(signatureHolds(tampered)).toBe(false);
  });

  it('audits each export with the digest of the dossier it handed out', async () => {
    const { caseId, compliance } = await decidedCase();
    await signedOf(compliance, caseId);
    expect((await exportOf(compliance, caseId, 'pdf')).statusCode).toBe(200);
    const exports = server.ctx.db
      .prepare("SELECT actor, subject, data FROM audit_log WHERE action = 'case.dossier_exported' ORDER BY seq")
      .all() as Array<{ actor: string; subject: string; data: string }>;
    expect(exports.map((row) => [row.actor, row.subject, (JSON.parse(row.data) as { format: string }).format])).toEqual([
      [compliance.id, caseId, 'json'],
      [compliance.id, caseId, 'pdf'],
    ]);
    // The second dossier lists the first export among the case's entries.
    const later = await signedOf(compliance, caseId);
    expect(later.dossier.audit.entries.filter((entry) => entry.action === 'case.dossier_exported')).toHaveLength(2);
    expectConsistent(server);
  });

  it('as a PDF: readable facts, tables, the signature and the signed JSON as an embedded file', async () => {
    const { caseId, supervisor, receipt } = await decidedCase();
    const response = await exportOf(supervisor, caseId, 'pdf');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${caseId}-dossier.pdf"`);
    const bytes = response.rawPayload;
    const { text, attachments } = await pdfOf(bytes);
    const flat = text.replace(/\s+/g, ' ');
    for (const fact of [
      `Case dossier ${caseId}`,
      'Chat (',
      'Evidence (1 files)',
      'Identity checks (2)',
      'KYT alerts (1)',
      'Proposals and approvals (2)',
      SEND_BACK,
      'payment_confirmed',
      'Audit entries of the case',
      'verdict.approved',
      'Signed checkpoints covering them',
      'How to verify',
      'KYT-DOSSIER-1',
    ]) {
      expect(flat, fact).toContain(fact);
    }
    // Long hex values may wrap across lines: compare without white space.
    const packed = text.replace(/\s+/g, '');
    expect(packed).toContain(receipt);
    const attached = attachments[`${caseId}-dossier.json`];
    expect(attached, Object.keys(attachments).join()).toBeDefined();
    const json = Buffer.from(attached!.content).toString('utf8');
    expect(signatureHolds(json)).toBe(true);
    const signed = signedDossier.parse(JSON.parse(json));
    expect(packed).toContain(signed.signature.value);
    expect(packed).toContain(signed.signature.publicKey);
    expect(flat).toContain(signed.signature.keyId);
    // The verifier reads the same embedded file without pdf.js.
    expect(readSignedDossier(bytes)).toEqual(JSON.parse(json));
  });

  it('answers agents 403, an undecided case 409 case_not_decided, an unknown case 404, a bad format 400', async () => {
    const { caseId, agent, compliance, supervisor } = await decidedCase();
    expect((await exportOf(agent, caseId)).statusCode).toBe(403);
    expect((await exportOf(compliance, caseId)).statusCode).toBe(200);
    expect((await exportOf(supervisor, caseId, 'pdf')).statusCode).toBe(200);
    const open = addCase(server.ctx);
    const undecided = await exportOf(supervisor, open);
    expect(undecided.statusCode).toBe(409);
    expect(JSON.parse(undecided.body).error.code).toBe('case_not_decided');
    // A proposal waiting for approval is not a decision either.
    const pending = addCase(server.ctx, FOUR_EYES_TRADE);
    await claim(server, agent, pending);
    expect((await postVerdict(server, agent, pending, verdictInput(server, agent))).body.case.status).toBe('pending_approval');
    expect(JSON.parse((await exportOf(compliance, pending)).body).error.code).toBe('case_not_decided');
    expect((await exportOf(supervisor, 'DSP-NOPE')).statusCode).toBe(404);
    expect((await exportOf(supervisor, caseId, 'goaml')).statusCode).toBe(400);
    const before = server.ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.dossier_exported'").get() as { n: number };
    expect(before.n).toBe(2);
  });

  it('leaves the quality review’s scorecard of the case out: it is the supervisors’ own, not compliance’s', async () => {
    const { caseId, compliance } = await decidedCase();
    // The case's week ends; another supervisor (sofia approved it) scores its verdict with a "no".
    advanceSignedIn(server, 7 * 86_400_000);
    const marta = addUser(server.ctx, 'supervisor', 'marta');
    const sample = await call(server, marta, 'GET', '/v1/reviews');
    const review = (sample.body.items as Array<{ id: string; verdict: { caseId: string } }>).find((item) => item.verdict.caseId === caseId);
    expect(review, JSON.stringify(sample.body)).toBeDefined();
    const comment = 'Ana leaned on the receipt alone; coach her on bank statements.';
    const card = { evidenceSufficient: false, reasonCodeRight: true, rationaleClear: true, payoutRight: true, comment };
    expect((await call(server, marta, 'POST', `/v1/reviews/${review!.id}`, card)).status).toBe(200);
    const scored = server.ctx.db
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'verdict_review.submitted' AND json_extract(data, '$.caseId') = ?")
      .get(caseId) as { n: number };
    expect(scored.n).toBe(1);

    const response = await exportOf(compliance, caseId);
    expect(response.statusCode).toBe(200);
    const signed = signedDossier.parse(JSON.parse(response.body));
    const actions = signed.dossier.audit.entries.map((entry) => entry.action);
    expect(actions).toContain('verdict.approved');
    expect(actions.filter((action) => action.startsWith('verdict_review.'))).toEqual([]);
    // Nowhere in the dossier, the proofs' runs included, and none in the PDF.
    expect(response.body).not.toContain('verdict_review');
    expect(response.body).not.toContain(comment);
    expect(verifyDossier(signed as unknown as Parameters<typeof verifyDossier>[0]).ok).toBe(true);
    const pdf = await exportOf(compliance, caseId, 'pdf');
    expect(pdf.statusCode).toBe(200);
    const { text } = await pdfOf(pdf.rawPayload);
    expect(text.replace(/\s+/g, ' ')).toContain('verdict.approved');
    expect(text).not.toContain('verdict_review');
    expect(text.replace(/\s+/g, ' ')).not.toContain('coach her');
  });

  it('refuses to sign a dossier whose audit entries no longer recompute (409 audit_chain_broken)', async () => {
    const { caseId, supervisor } = await decidedCase();
    const { db } = server.ctx;
    // Someone with the database file rewrites history past the append-only trigger.
    db.exec('DROP TRIGGER audit_log_append_only_update');
    db.prepare("UPDATE audit_log SET data = json_set(data, '$.reason', 'Looks fine.') WHERE action = 'verdict.rejected'").run();
    const refused = await exportOf(supervisor, caseId);
    expect(refused.statusCode).toBe(409);
    expect(JSON.parse(refused.body).error.code).toBe('audit_chain_broken');
  });
});

describe('npm run verify-dossier', () => {
  it('passes a good JSON and PDF, and fails a tampered one with the check that broke', async () => {
    const { caseId, compliance } = await decidedCase();
    const json = (await exportOf(compliance, caseId)).body;
    const pdf = (await exportOf(compliance, caseId, 'pdf')).rawPayload;
    const good = path.join(server.dir, 'good.json');
    const goodPdf = path.join(server.dir, 'good.pdf');
    const badEntry = path.join(server.dir, 'bad-entry.json');
    fs.writeFileSync(good, json);
    fs.writeFileSync(goodPdf, pdf);
    // The server's key, as a regulator gets it: from the published checkpoint, not from the dossier.
    const serverKey = server.ctx.signer().publicKey;
    const fingerprint = createHash('sha256').update(Buffer.from(serverKey, 'base64')).digest('hex');
    const spaced = fingerprint.replace(/(.{4})/g, '$1 ').trim();
    const passed = runVerifier(good, '--fingerprint', spaced);
    expect(passed.status, passed.out).toBe(0);
    expect(passed.out).toMatch(/ok +the dossier is signed by the expected key/);
    expect(passed.out).toContain(`Dossier of case ${caseId}`);
    expect(passed.out).toMatch(/ok +the dossier's signature is valid/);
    expect(passed.out).toMatch(/ok +checkpoint \d+ .* is validly signed/);
    expect(passed.out).toContain('VERIFIED');
    const fromPdf = runVerifier(goodPdf, '--key', serverKey);
    expect(fromPdf.status, fromPdf.out).toBe(0);
    expect(fromPdf.out).toContain('not its drawn pages');
    // Without the expected key, a consistent dossier is still not verified: anyone can sign with their own.
    const unpinned = runVerifier(good);
    expect(unpinned.status, unpinned.out).toBe(3);
    expect(unpinned.out).toContain(`NOT VERIFIED: the dossier is consistent and signed by the key with fingerprint ${fingerprint}`);
    expect(runVerifier(good, '--fingerprint', 'abcd').status).toBe(2);
    // One audit entry changed in the file: its hash no longer recomputes, and the signature fails too.
    const signed = JSON.parse(json) as SignedDossier;
    const entry = signed.dossier.audit.entries.find((item) => item.action === 'verdict.rejected')!;
    (entry.data as Record<string, unknown>).reason = 'Looks fine.';
    fs.writeFileSync(badEntry, JSON.stringify(signed));
    const failed = runVerifier(badEntry, '--key', serverKey);
    expect(failed.status, failed.out).toBe(1);
    expect(failed.out).toMatch(/FAIL +the dossier's signature is valid/);
    expect(failed.out).toMatch(new RegExp(`FAIL  audit entry ${entry.seq} \\(verdict.rejected\\) hashes to`));
    expect(failed.out).toContain('NOT VERIFIED');
    // In-process the same checks: a forged checkpoint signature is caught on its own.
    const forged = JSON.parse(json) as SignedDossier;
    const checkpoint = forged.dossier.audit.proofs[0]!.checkpoint;
    checkpoint.signature = Buffer.alloc(64).toString('base64');
    const verification = verifyDossier(forged as unknown as Parameters<typeof verifyDossier>[0]);
    expect(verification.ok).toBe(false);
    expect(verification.checks.filter((check) => !check.ok).map((check) => check.what)).toEqual(
      expect.arrayContaining([expect.stringContaining(`checkpoint ${checkpoint.seq}`)]),
    );
    expect(runVerifier(path.join(server.dir, 'missing.json'), '--key', serverKey).status).toBe(2);
  });

  it('refuses a dossier forged and re-signed, checkpoints and all, with a key of the forger', async () => {
    const { caseId, compliance } = await decidedCase();
    const signed = JSON.parse((await exportOf(compliance, caseId)).body) as SignedDossier;
    const forger = generateKeyPairSync('ed25519');
    const forgerKey = forger.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
    const sign = (text: string) => cryptoSign(null, Buffer.from(text, 'utf8'), forger.privateKey).toString('base64');
    const keyId = createHash('sha256').update(Buffer.from(forgerKey, 'base64')).digest('hex').slice(0, 16);
    for (const { checkpoint } of signed.dossier.audit.proofs) {
      Object.assign(checkpoint, { publicKey: forgerKey, keyId });
      checkpoint.signature = sign(`${checkpoint.origin}\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.at}\n`);
    }
    signed.signature = { ...signed.signature, publicKey: forgerKey, keyId, value: sign(canonicalize(signed.dossier)!) };
    const asForged = verifyDossier(signed as unknown as Parameters<typeof verifyDossier>[0]);
    expect(asForged.ok).toBe(true);
    const withServerKey = verifyDossier(signed as unknown as Parameters<typeof verifyDossier>[0], {
      publicKey: server.ctx.signer().publicKey,
    });
    expect(withServerKey.ok).toBe(false);
    expect(withServerKey.checks.filter((check) => !check.ok).map((check) => check.what)).toEqual([
      expect.stringContaining('the dossier is signed by the expected key'),
    ]);
  });
});
