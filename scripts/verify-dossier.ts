// Verifies a sealed case dossier (issue #9) against the server's public key and nothing else:
//
//   npm run verify-dossier -- DSP-1234-dossier.json --fingerprint "0ac9 d8ee 200c …"
//   npm run verify-dossier -- DSP-1234-dossier.pdf --key <base64 raw ed25519 key>
//
// The key must come from somewhere the dossier does not: the server's published key (GET
// /v1/audit/checkpoint's `publicKey`), or its fingerprint (SHA-256 of the raw key in hex, as the app's
// Audit screen shows it). A dossier always names a key, and anyone can sign a forged dossier with a key of
// their own: without --key or --fingerprint the checks still run, but the result is "not verified".
//
// It checks the dossier's ed25519 signature over the RFC 8785 canonical JSON of `dossier`, every audit
// entry's hash, the runs of the chain from the case's entries up to each signed checkpoint, and each
// checkpoint's signature; it prints every check and exits 0 when all pass with the expected key, 1 when one
// fails, 2 when the file cannot be read, 3 when every check passed but no expected key was given. For a
// PDF, what it checks is the signed JSON the PDF carries, not the pages drawn from it. It uses node:crypto
// and canonicalize only (no project code), so that anyone can read it in full and run it.
import canonicalize from 'canonicalize';
import { createHash, createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';

const FORMAT = 'dispute-desk/case-dossier/v1';
const SIGNED_TEXT = 'RFC 8785 canonical JSON of "dossier", UTF-8';

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: unknown;
  prevHash: string;
  hash: string;
}

interface Checkpoint {
  origin: string;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

interface Signed {
  dossier: {
    format: string;
    case: { id: string };
    audit: { entries: Entry[]; proofs: Array<{ checkpoint: Checkpoint; entries: Entry[] }> };
  } & Record<string, unknown>;
  signature: { algorithm: string; keyId: string; publicKey: string; signedText: string; value: string };
}

export interface Check {
  ok: boolean;
  what: string;
}

export interface Verification {
  ok: boolean;
  caseId: string | null;
  checks: Check[];
}

export class UnreadableDossier extends Error {}

/** The public key object from the raw 32 bytes in base64 (ed25519's SPKI prefix, RFC 8410, then the key). */
function publicKeyOf(base64: string) {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32) throw new Error('an ed25519 public key is 32 bytes');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

function signatureValid(publicKey: string, text: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKeyOf(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

const keyIdOf = (publicKey: string) =>
  createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16);

function canonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new UnreadableDossier('the dossier is not JSON data');
  return text;
}

/** hash = sha256 hex of prevHash, a line break and the canonical JSON of the entry without its hash. */
function entryHash(entry: Entry): string {
  const { hash: _hash, ...unhashed } = entry;
  return createHash('sha256').update(`${entry.prevHash}\n${canonical(unhashed)}`).digest('hex');
}

const checkpointText = (checkpoint: Checkpoint) =>
  `${checkpoint.origin}\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.at}\n`;

/** Why a run of the chain does not lead to its checkpoint, or null when it does. */
function runProblem(entries: Entry[], checkpoint: Checkpoint): string | null {
  if (entries.length === 0) return 'it holds no entries';
  for (const [index, entry] of entries.entries()) {
    if (entryHash(entry) !== entry.hash) return `entry ${entry.seq} does not hash to its recorded hash`;
    const before = entries[index - 1];
    if (before && (entry.seq !== before.seq + 1 || entry.prevHash !== before.hash)) {
      return `entry ${entry.seq} does not follow entry ${before.seq}`;
    }
  }
  const last = entries.at(-1)!;
  if (last.seq !== checkpoint.seq || last.hash !== checkpoint.hash) {
    return `it ends at entry ${last.seq}, not at the checkpoint's head ${checkpoint.seq} with its hash`;
  }
  return null;
}

/** SHA-256 of the raw public key, hex: the fingerprint the app shows (there in groups of four). */
export const fingerprintOf = (publicKey: string) =>
  createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex');

/** The key a verifier expects: the raw key in base64, or its full fingerprint (spaces and colons ignored). */
export type ExpectedKey = { publicKey: string } | { fingerprint: string };

const normalFingerprint = (typed: string) => typed.replace(/[\s:]/g, '').toLowerCase();

/**
 * Every check of a signed dossier, in order. With `expected`, the signing key must be that one; without it,
 * the checks only show that the dossier is consistent and signed by the key it names.
 */
export function verifyDossier(signed: Signed, expected?: ExpectedKey): Verification {
  const checks: Check[] = [];
  const check = (ok: boolean, what: string) => checks.push({ ok, what });
  const { dossier, signature } = signed;
  if (expected) {
    const fingerprint = fingerprintOf(signature.publicKey);
    const matches =
      'publicKey' in expected
        ? expected.publicKey === signature.publicKey
        : normalFingerprint(expected.fingerprint) === fingerprint;
    check(matches, `the dossier is signed by the expected key (its fingerprint is ${fingerprint})`);
  }
  check(dossier.format === FORMAT, `the document is a ${FORMAT} dossier (${String(dossier.format)})`);
  check(
    signature.algorithm === 'ed25519' && signature.signedText === SIGNED_TEXT,
    `the signature is ed25519 over the ${SIGNED_TEXT}`,
  );
  check(keyIdOf(signature.publicKey) === signature.keyId, `key id ${signature.keyId} names the public key given`);
  check(
    signatureValid(signature.publicKey, canonical(dossier), signature.value),
    `the dossier's signature is valid for public key ${signature.publicKey}`,
  );
  const { entries, proofs } = dossier.audit;
  for (const entry of entries) {
    check(entryHash(entry) === entry.hash, `audit entry ${entry.seq} (${entry.action}) hashes to ${entry.hash.slice(0, 16)}...`);
  }
  const proven = new Map<number, string>();
  for (const { checkpoint, entries: run } of proofs) {
    const problem = runProblem(run, checkpoint);
    const span = run.length ? `entries ${run[0]!.seq} to ${run.at(-1)!.seq}` : 'no entries';
    check(problem === null, `the chain from ${span} leads to checkpoint ${checkpoint.seq}${problem ? `: ${problem}` : ''}`);
    check(
      signatureValid(checkpoint.publicKey, checkpointText(checkpoint), checkpoint.signature),
      `checkpoint ${checkpoint.seq} (${checkpoint.origin}, ${checkpoint.at}) is validly signed by key ${checkpoint.keyId}`,
    );
    check(
      checkpoint.publicKey === signature.publicKey,
      `checkpoint ${checkpoint.seq} is signed by the key that signed the dossier`,
    );
    if (problem === null) for (const entry of run) proven.set(entry.seq, canonical(entry));
  }
  for (const entry of entries) {
    check(proven.get(entry.seq) === canonical(entry), `audit entry ${entry.seq} is in a run that a signed checkpoint covers`);
  }
  return { ok: checks.every((item) => item.ok), caseId: dossier.case?.id ?? null, checks };
}

/** The embedded files of a PDF as pdfkit writes them: `/Type /EmbeddedFile` stream objects. */
export function embeddedFilesOf(pdf: Buffer): Buffer[] {
  const text = pdf.toString('latin1');
  const files: Buffer[] = [];
  const marker = /\/Type \/EmbeddedFile\b/g;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    const start = text.lastIndexOf(' obj', match.index);
    const streamAt = text.indexOf('stream', match.index);
    if (start < 0 || streamAt < 0) continue;
    const dictionary = text.slice(start, streamAt);
    const length = /\/Length (\d+)/.exec(dictionary);
    if (!length) continue;
    const dataStart = streamAt + 'stream'.length + (text[streamAt + 6] === '\r' ? 2 : 1);
    const data = pdf.subarray(dataStart, dataStart + Number(length[1]));
    files.push(/\/Filter \/FlateDecode/.test(dictionary) ? inflateSync(data) : Buffer.from(data));
  }
  return files;
}

/** The signed JSON from a .json file or from the file a PDF carries. */
export function readSignedDossier(bytes: Buffer): Signed {
  const isPdf = bytes.subarray(0, 5).toString('latin1') === '%PDF-';
  const candidates = isPdf ? embeddedFilesOf(bytes) : [bytes];
  if (isPdf && candidates.length === 0) throw new UnreadableDossier('the PDF carries no embedded dossier');
  for (const candidate of candidates) {
    try {
      const parsed = JSON.parse(candidate.toString('utf8')) as Signed;
      if (parsed && typeof parsed === 'object' && parsed.dossier && parsed.signature && parsed.dossier.audit) return parsed;
    } catch {
      // Not this one: a PDF may carry other files.
    }
  }
  throw new UnreadableDossier(isPdf ? 'no file embedded in the PDF is a signed dossier' : 'the file is not a signed dossier (JSON with "dossier" and "signature")');
}

const USAGE = 'Usage: npm run verify-dossier -- FILE.json|FILE.pdf (--fingerprint HEX | --key BASE64)';

function parseArguments(args: string[]): { file: string; expected: ExpectedKey | null } | null {
  let file: string | null = null;
  let expected: ExpectedKey | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = args[i + 1];
    if ((arg === '--fingerprint' || arg === '--key') && value && !expected) {
      if (arg === '--key' && Buffer.from(value, 'base64').length !== 32) return null;
      if (arg === '--fingerprint' && !/^[0-9a-f]{64}$/.test(normalFingerprint(value))) return null;
      expected = arg === '--key' ? { publicKey: value } : { fingerprint: value };
      i += 1;
    } else if (!arg.startsWith('--') && file === null) file = arg;
    else return null;
  }
  return file === null ? null : { file, expected };
}

function main(args: string[]): number {
  const parsed = parseArguments(args);
  if (!parsed) {
    console.error(USAGE);
    console.error('--fingerprint takes the 64 hex digits of SHA-256 of the raw key; --key the 32-byte key in base64.');
    return 2;
  }
  const { file, expected } = parsed;
  let verification: Verification;
  let signed: Signed;
  try {
    signed = readSignedDossier(fs.readFileSync(file));
    verification = verifyDossier(signed, expected ?? undefined);
  } catch (error) {
    console.error(`Cannot verify ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  console.log(`Dossier of case ${verification.caseId ?? '?'} (${file})`);
  if (file.toLowerCase().endsWith('.pdf')) console.log('(checking the signed dossier the PDF carries, not its drawn pages)');
  for (const { ok, what } of verification.checks) console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  const failed = verification.checks.filter((item) => !item.ok).length;
  if (!verification.ok) {
    console.log(`NOT VERIFIED: ${failed} of ${verification.checks.length} checks failed.`);
    return 1;
  }
  if (!expected) {
    console.log(
      `NOT VERIFIED: the dossier is consistent and signed by the key with fingerprint ${fingerprintOf(signed.signature.publicKey)}, ` +
        'but anyone can sign with a key of their own. Run again with --fingerprint (the server\'s, from its Audit screen or ' +
        'GET /v1/audit/checkpoint) to verify.',
    );
    return 3;
  }
  console.log(`VERIFIED: all ${verification.checks.length} checks passed.`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
