// The dossier as a PDF for people (GET /v1/cases/{id}/dossier?format=pdf): the case's facts and tables of
// its chat, evidence, identity checks, KYT alerts, verdicts and audit entries, the checkpoints and the
// signature printed in full, a page on how to verify, and the signed JSON itself as an embedded file, so
// the PDF alone carries everything a court needs. The signed record is that JSON; the pages render it.
// pdfkit's standard fonts encode WinAnsi only: every string goes through toWinAnsi (see reports/pdf.ts).
import PDFDocument from 'pdfkit';
import type { AuditEntry, SignedDossier } from '../../../shared/api/types';
import { safeFileName, toWinAnsi } from '../reports/text';

const BODY = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MONO = 'Courier';
const MARGIN = 50;
const SIZE = 9;
const SMALL = 7.5;
/** Courier at 6 pt sets a 64-digit hash with its label on one line of the hash columns. */
const HASH_SIZE = 6;
const HEADER_FILL = '#e8ecf2';
const RULE = '#9aa4b1';

type Doc = PDFKit.PDFDocument;
type Cell = string | PDFKit.Mixins.CellOptions;

const day = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '-');
const who = (user: { displayName: string; username: string } | null) => (user ? `${user.displayName} (${user.username})` : '-');

/** The name of the JSON file the PDF carries. */
export const dossierFileName = (caseId: string, extension: 'json' | 'pdf') => `${safeFileName(caseId)}-dossier.${extension}`;

function heading(doc: Doc, text: string): void {
  doc.moveDown(0.9).font(BOLD).fontSize(12).fillColor('black').text(toWinAnsi(text), MARGIN).moveDown(0.3);
  doc.font(BODY).fontSize(SIZE);
}

function fields(doc: Doc, rows: readonly (readonly [string, string | number | null])[]): void {
  for (const [label, value] of rows) {
    doc.font(BOLD).text(`${toWinAnsi(label)}: `, MARGIN, doc.y, { continued: true });
    doc.font(BODY).text(toWinAnsi(String(value ?? '-')));
  }
}

const mono = (text: string): PDFKit.Mixins.CellOptions => ({ text, font: { src: MONO, size: HASH_SIZE } });

/** A table with a header row; every cell's text made WinAnsi-safe. `widths` in points, '*' takes the rest. */
function table(doc: Doc, headers: readonly string[], widths: ReadonlyArray<number | '*'>, rows: readonly Cell[][]): void {
  if (rows.length === 0) {
    doc.text('None.', MARGIN);
    return;
  }
  const safe = (cell: Cell): Cell =>
    typeof cell === 'string' ? toWinAnsi(cell) : { ...cell, text: toWinAnsi(String(cell.text ?? '')) };
  doc.font(BODY).fontSize(SMALL + 0.5);
  doc.table({
    position: { x: MARGIN, y: doc.y },
    columnStyles: widths.map((width) => ({ width })),
    defaultStyle: { border: 0.5, borderColor: RULE, padding: [2, 3, 2, 3] },
    data: [
      headers.map((text) => ({ text: toWinAnsi(text), type: 'TH' as const, font: { src: BOLD }, backgroundColor: HEADER_FILL })),
      ...rows.map((row) => row.map(safe)),
    ],
  });
  doc.x = MARGIN;
  doc.font(BODY).fontSize(SIZE);
}

function caseFacts(doc: Doc, { dossier }: SignedDossier): void {
  const { case: facts, parties } = dossier;
  const { trade, escrow } = facts;
  heading(doc, 'Case');
  fields(doc, [
    ['Case', facts.id],
    ['Status', facts.status],
    ['Opened', day(facts.openedAt)],
    ['Reason given', facts.reason],
    ['Assigned agent', who(facts.assignee)],
    ['Four-eyes', facts.fourEyes.required ? `required (USD ${facts.fourEyes.usdEquivalent} >= ${facts.fourEyes.thresholdUsd})` : 'not required'],
  ]);
  heading(doc, 'Trade and escrow');
  fields(doc, [
    ['Trade', trade.id],
    ['Amount', `${trade.amount} ${trade.asset} for ${trade.fiatAmount} ${trade.fiatCurrency} at ${trade.price}`],
    ['Payment method', trade.paymentMethod],
    ['Created / paid / disputed', `${day(trade.createdAt)} / ${day(trade.paidAt)} / ${day(trade.disputedAt)}`],
    ['Escrow', `${escrow.id}: ${escrow.state}${escrow.hold ? `, on hold since ${day(escrow.hold.at)}: ${escrow.hold.reason}` : ''}`],
  ]);
  heading(doc, 'Parties');
  table(
    doc,
    ['Role', 'Name and id', 'KYC', 'Country', 'Account', 'Trades / disputes'],
    [45, '*', 65, 45, 90, 65],
    (['buyer', 'seller'] as const).map((role) => {
      const party = parties[role];
      return [
        role,
        `${party.displayName}\n${party.id}`,
        party.kycStatus,
        party.country,
        `${day(party.accountCreatedAt).slice(0, 10)} (${party.accountAgeDays} days)`,
        `${party.tradeCount} / ${party.disputeCount}`,
      ];
    }),
  );
}

function verdicts(doc: Doc, { dossier }: SignedDossier): void {
  const { verdict } = dossier;
  heading(doc, 'Verdict');
  fields(doc, [
    ['Outcome', verdict.outcome === 'release' ? 'release to the buyer' : 'refund to the seller'],
    ['Reason code', verdict.reasonCode],
    ['Rationale', verdict.rationale],
    ['Proposed', `${who(verdict.proposedBy)}, ${day(verdict.proposedAt)}`],
    ['Approved', verdict.approvedBy ? `${who(verdict.approvedBy)}, ${day(verdict.approvedAt)}` : 'executed without a second approval'],
  ]);
  heading(doc, `Proposals and approvals (${dossier.verdictHistory.length})`);
  table(
    doc,
    ['Proposed', 'Outcome and reason', 'State', 'Decided by', 'Send-back reason'],
    [95, '*', 50, 110, 110],
    dossier.verdictHistory.map((record) => [
      `${day(record.proposedAt)}\n${who(record.proposedBy)}`,
      `${record.outcome}, ${record.reasonCode}: ${record.rationale}`,
      record.state,
      record.state === 'rejected'
        ? `${who(record.rejectedBy)}\n${day(record.rejectedAt)}`
        : record.approvedBy
          ? `${who(record.approvedBy)}\n${day(record.approvedAt)}`
          : '-',
      record.rejectReason ?? '',
    ]),
  );
}

function caseRecords(doc: Doc, { dossier }: SignedDossier): void {
  heading(doc, `Chat (${dossier.messages.length} messages)`);
  table(
    doc,
    ['Time', 'From', 'Message', 'Evidence'],
    [85, 60, '*', 70],
    dossier.messages.map((message) => [
      day(message.at),
      message.author ? `${message.sender}\n${message.author.displayName}` : message.sender,
      message.body,
      message.evidence.map((sha) => sha.slice(0, 12)).join('\n'),
    ]),
  );
  heading(doc, `Evidence (${dossier.evidence.length} files)`);
  table(
    doc,
    ['File', 'Uploaded', 'sha256'],
    [120, 85, '*'],
    dossier.evidence.map((file) => [
      `${file.kind}, ${file.mime}\n${file.size} bytes${file.fileName ? `\n${file.fileName}` : ''}`,
      `${day(file.uploadedAt)}\nby ${file.uploader}`,
      mono(file.sha256),
    ]),
  );
  heading(doc, `Identity checks (${dossier.identityChecks.length})`);
  table(
    doc,
    ['Check', 'Party', 'Status', 'Scores', 'Completed'],
    [120, 90, 70, '*', 85],
    dossier.identityChecks.map((check) => [
      `${check.id}\n${check.trigger}, ${check.provider}${check.providerVerificationId ? ` ${check.providerVerificationId}` : ''}`,
      check.partyId,
      check.errorCode ? `${check.status}\n${check.errorCode}` : check.status,
      `liveness ${check.livenessScore ?? '-'}, face match ${check.faceMatchScore ?? '-'}${check.documentType ? `, ${check.documentType}` : ''}`,
      day(check.completedAt),
    ]),
  );
  heading(doc, `KYT alerts (${dossier.kytAlerts.length})`);
  table(
    doc,
    ['Alert', 'Rule', 'Details', 'Status'],
    [95, 110, '*', 95],
    dossier.kytAlerts.map((alert) => [
      `${alert.id}\n${alert.level}, score ${alert.score}`,
      `${alert.rule}\n${alert.ruleId} v${alert.ruleVersion}`,
      `${alert.details} (${alert.amount} ${alert.asset}, ${alert.exposure.toLowerCase()} ${alert.category})`,
      `${alert.status}${alert.reviewer ? `\n${who(alert.reviewer)}` : ''}${alert.decisionReason ? `\n${alert.decisionReason}` : ''}`,
    ]),
  );
  heading(doc, `Internal notes (${dossier.notes.length})`);
  table(
    doc,
    ['Time', 'Author', 'Note'],
    [85, 90, '*'],
    dossier.notes.map((note) => [day(note.at), who(note.author), note.body]),
  );
}

type UserRef = SignedDossier['dossier']['generatedBy'];

/** Audit entries name users by id: the people the dossier knows, by id, to print their names beside it. */
function peopleOf({ dossier }: SignedDossier): Map<string, string> {
  const users: Array<Pick<UserRef, 'id' | 'username'> | null> = [
    dossier.generatedBy,
    dossier.case.assignee,
    dossier.case.escrow.hold?.by ?? null,
    ...dossier.verdictHistory.flatMap((record) => [record.proposedBy, record.approvedBy, record.rejectedBy]),
    ...dossier.messages.map((message) => message.author),
    ...dossier.notes.map((note) => note.author),
    ...dossier.kytAlerts.flatMap((alert) => [alert.assignee, alert.reviewer]),
    ...dossier.identityChecks.map((check) => check.requestedBy),
  ];
  return new Map(users.filter((user) => user !== null).map((user) => [user.id, user.username]));
}

const entryRow = (people: Map<string, string>) => (entry: AuditEntry): Cell[] => [
  String(entry.seq),
  day(entry.at),
  `${entry.action}\nby ${people.has(entry.actor) ? `${people.get(entry.actor)} (${entry.actor})` : entry.actor}\non ${entry.subject}`,
  mono(`hash ${entry.hash}\nprev ${entry.prevHash}`),
];

function auditTrail(doc: Doc, signed: SignedDossier): void {
  const { entries, proofs } = signed.dossier.audit;
  heading(doc, `Audit entries of the case (${entries.length})`);
  table(doc, ['Seq', 'Time', 'Action', 'Hashes'], [32, 70, '*', 256], entries.map(entryRow(peopleOf(signed))));
  heading(doc, `Signed checkpoints covering them (${proofs.length})`);
  doc.text(
    toWinAnsi(
      'Each checkpoint is the server\u2019s signature over the head of the audit chain. The attached JSON holds, ' +
        'for each, every entry from the first of the case\u2019s entries it covers up to its head, so the chain ' +
        'can be recomputed from the case\u2019s entries to the signed hash.',
    ),
    MARGIN,
  );
  doc.moveDown(0.4);
  table(
    doc,
    ['Checkpoint', 'Covers', 'Head hash, key and signature'],
    [95, 70, 256],
    proofs.map(({ checkpoint, entries: run }) => [
      `seq ${checkpoint.seq}\n${day(checkpoint.at)}\n${checkpoint.origin}`,
      `entries ${run[0]!.seq} to ${run.at(-1)!.seq} (${run.length})`,
      mono(`hash ${checkpoint.hash}\nkey ${checkpoint.keyId}\npublic key ${checkpoint.publicKey}\nsignature ${checkpoint.signature}`),
    ]),
  );
}

function signaturePage(doc: Doc, signed: SignedDossier): void {
  const { signature, dossier } = signed;
  const attachment = dossierFileName(dossier.case.id, 'json');
  doc.addPage();
  doc.font(BOLD).fontSize(14).text('Signature and how to verify', MARGIN);
  heading(doc, 'Signature');
  fields(doc, [
    ['Algorithm', signature.algorithm],
    ['Signed text', signature.signedText],
    ['Key id', signature.keyId],
  ]);
  doc.font(BOLD).text('Public key (raw 32-byte ed25519, base64):', MARGIN);
  doc.font(MONO).fontSize(SMALL + 0.5).text(signature.publicKey, MARGIN);
  doc.font(BOLD).fontSize(SIZE).text('Signature (base64):', MARGIN);
  doc.font(MONO).fontSize(SMALL + 0.5).text(signature.value, MARGIN);
  doc.font(BODY).fontSize(SIZE);
  heading(doc, 'How to verify');
  const steps = [
    `This PDF carries the signed dossier as the attached file ${attachment} (open the attachments panel of ` +
      'a PDF reader). The attached JSON is the record; these pages are a rendering of it.',
    'The JSON is {"dossier": ..., "signature": ...}. Serialise "dossier" as RFC 8785 canonical JSON (keys ' +
      'sorted, no spaces) and check the ed25519 signature "signature.value" (base64) over its UTF-8 bytes ' +
      'with the public key printed above (raw 32 bytes, base64).',
    'Each audit entry: hash = sha256 hex of (prevHash + a line break + the RFC 8785 canonical JSON of the ' +
      'entry without its "hash" member).',
    'Each element of audit.proofs: recompute every entry\u2019s hash; each entry\u2019s prevHash must be the ' +
      'hash of the entry before it; the last hash must equal checkpoint.hash. Every entry in audit.entries ' +
      'must appear, identical, in one of the proofs.',
    'Each checkpoint: check its ed25519 "signature" with its "publicKey" over the text ' +
      '"origin\\nseq\\nhash\\nat\\n" (each value followed by a line break).',
    'The public key must be the one the exchange publishes for its audit log, obtained from the exchange ' +
      'and not from this document (anyone can sign a document with a key of their own): compare the key ' +
      `id ${signature.keyId}, or the key\u2019s SHA-256 fingerprint, with the exchange\u2019s published one.`,
    'With Node.js and the project\u2019s sources: npm run verify-dossier -- FILE.pdf --fingerprint <the ' +
      'exchange\u2019s published fingerprint> (or FILE.json) performs every check above and prints each ' +
      'result. It checks the signed dossier this PDF carries, not the pages drawn from it.',
    'Evidence files are named by their sha256: hash a file\u2019s bytes to show it is the one listed.',
  ];
  steps.forEach((step, index) => doc.text(toWinAnsi(`${index + 1}. ${step}`), MARGIN).moveDown(0.3));
}

/** The PDF's bytes. Its dates are the dossier's, so one signed dossier gives one file. */
export function renderDossierPdf(signed: SignedDossier): Promise<Buffer> {
  const { dossier } = signed;
  const generatedAt = new Date(dossier.generatedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `Case dossier ${dossier.case.id}`,
      Author: dossier.origin,
      Subject: `Sealed dossier of dispute ${dossier.case.id}`,
      CreationDate: generatedAt,
      ModDate: generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(BOLD).fontSize(16).text(toWinAnsi(`Case dossier ${dossier.case.id}`));
  doc.font(BODY).fontSize(SIZE).fillColor('#444');
  doc.text(toWinAnsi(`Generated ${day(dossier.generatedAt)} by ${who(dossier.generatedBy)}, ${dossier.generatedBy.role}`));
  doc.text(toWinAnsi(`Audit log ${dossier.origin}; signed with key ${signed.signature.keyId}`)).fillColor('black');
  caseFacts(doc, signed);
  verdicts(doc, signed);
  caseRecords(doc, signed);
  auditTrail(doc, signed);
  signaturePage(doc, signed);
  doc.file(Buffer.from(`${JSON.stringify(signed, null, 2)}\n`, 'utf8'), {
    name: dossierFileName(dossier.case.id, 'json'),
    type: 'application/json',
    description: `The signed dossier of case ${dossier.case.id}`,
    creationDate: generatedAt,
    modifiedDate: generatedAt,
  });
  doc.end();
  return done;
}
