// Help → Copy diagnostics: the text a user pastes into a support request, built by a pure function from a
// snapshot that copy-diagnostics.ts gathers (tests/unit/diagnostics.test.ts). It says which versions run,
// which server the desk talks to (its origin only), how the sync and the outbox stand (counts), how much the
// desk keeps, where the data and the logs are, and the last errors from the logs. It never says a token, a
// code, a password, a party's name or a case's contents: the whole text goes through the log redaction once
// more at the end, whatever the snapshot held, and the error records also lose the fields that carry
// people's names or typed text.
import type { SupportSnapshot } from '../../shared/desk-api/worker-protocol';
import { redactText } from '../../shared/logging/redact';
import type { UpdateState } from './update-gate';

export interface DiagnosticsSnapshot {
  takenAt: string;
  versions: { app: string; electron: string; chrome: string; node: string };
  os: { platform: string; release: string; arch: string };
  /** The desk's server as the desk reports it; only its origin is shown. */
  serverUrl: string | null;
  dataFolder: string;
  logsFolder: string;
  /** The user's home folder: shown as `~` in the folders above, since it usually carries the person's name. */
  homeDir: string;
  /** Null when the desk did not answer. */
  desk: SupportSnapshot | null;
  update: UpdateState;
  /** Error records from the log files (log-files.ts lastErrorRecords), each with the file it came from. */
  recentErrors: ReadonlyArray<{ source: string; record: string }>;
}

export const MAX_ERRORS = 10;
const MAX_RECORD_CHARS = 600;

/** `https://user:pw@desk.example.com:8443/v1?x=1` → `https://desk.example.com:8443`; anything else: a plain word. */
export function serverOrigin(url: string | null): string {
  if (url === null) return 'unknown';
  const parsed = URL.parse(url);
  return parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') ? parsed.origin : 'not a web address';
}

// Fields whose values are people's names or what someone typed (a chat message, a rationale, a note), in
// each form a log record prints an object: JSON (`"displayName":"Ana"`, its quotes escaped when it sits in a
// string: `\"body\":\"…\"`) and Node's inspect (`{ displayName: 'Ana García', body: "it's paid" }`).
const PERSONAL_KEY = '(?:displayName|username|name|body|rationale|narrative|reason|note|email)';
const QUOTED_VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\x60(?:[^\x60\\]|\\.)*\x60)`;
const PERSONAL_FIELDS = [
  new RegExp(String.raw`(\\"${PERSONAL_KEY}\\"\s*:\s*)\\"(?:[^"\\]|\\(?!"))*\\"`, 'gi'),
  new RegExp(String.raw`((?:"|\b)${PERSONAL_KEY}"?\s*:\s*)${QUOTED_VALUE}`, 'gi'),
];

function withoutPersonalFields(text: string): string {
  return PERSONAL_FIELDS.reduce(
    (current, pattern) =>
      current.replace(pattern, (match: string, key: string) => {
        const value = match.slice(key.length);
        const quote = value.startsWith('\\"') ? '\\"' : value[0]!;
        return `${key}${quote}[removed]${quote}`;
      }),
    text,
  );
}

/** The folder with the home folder written as `~`: a support request need not carry the user's name. */
export function withHomeAsTilde(folder: string, homeDir: string): string {
  if (homeDir === '' || !folder.startsWith(homeDir)) return folder;
  const rest = folder.slice(homeDir.length);
  return rest === '' || rest.startsWith('/') || rest.startsWith('\\') ? `~${rest}` : folder;
}

/** An error record fit for a support request: redacted, personal fields dropped, cut to a length. */
export function scrubErrorRecord(record: string): string {
  const scrubbed = withoutPersonalFields(redactText(record));
  return scrubbed.length > MAX_RECORD_CHARS ? `${scrubbed.slice(0, MAX_RECORD_CHARS)}…` : scrubbed;
}

function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = count / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function updateLine(update: UpdateState): string {
  switch (update.phase) {
    case 'disabled':
      return `off (${update.reason})`;
    case 'idle':
      return 'up to date as of the last check';
    case 'checking':
      return 'checking';
    case 'downloading':
      return `downloading ${update.version} (${Math.round(update.percent)} %)`;
    case 'downloaded':
      return `${update.version} downloaded, waiting to be installed`;
    case 'failed':
      return `the last check failed: ${update.message}`;
  }
}

function outboxLines(desk: SupportSnapshot): string[] {
  if (desk.outbox.length === 0) return ['  empty'];
  const byState = new Map<string, number>();
  for (const row of desk.outbox) {
    const key = `${row.mine ? 'signed-in user' : 'other users'}, ${row.state}`;
    byState.set(key, (byState.get(key) ?? 0) + row.count);
  }
  const lines = [...byState].map(([key, count]) => `  ${key}: ${count}`);
  const open = desk.outbox.filter((row) => row.state === 'pending' || row.state === 'needs_code');
  if (open.length > 0) lines.push(`  open by kind: ${open.map((row) => `${row.kind} ${row.state} ${row.count}${row.mine ? '' : ' (other user)'}`).join(', ')}`);
  return lines;
}

function deskLines(desk: SupportSnapshot | null): string[] {
  if (desk === null) return ['Desk: not answering'];
  return [
    `Signed in: ${desk.signedIn ? 'yes' : 'no'}`,
    `Sync: ${desk.sync.state}${desk.sync.errorCode ? ` (${desk.sync.errorCode})` : ''}, last synced ${desk.sync.lastSyncedAt ?? 'never'}`,
    `Cached cases: ${desk.sync.cachedCases}`,
    `Desk storage: ${bytes(desk.storageBytes)}`,
    'Outbox:',
    ...outboxLines(desk),
  ];
}

export function diagnosticsText(snapshot: DiagnosticsSnapshot): string {
  const errors = snapshot.recentErrors.slice(-MAX_ERRORS);
  const lines = [
    'Dispute Desk diagnostics',
    `Taken: ${snapshot.takenAt}`,
    '',
    `App: ${snapshot.versions.app}`,
    `Electron: ${snapshot.versions.electron}, Chrome: ${snapshot.versions.chrome}, Node: ${snapshot.versions.node}`,
    `OS: ${snapshot.os.platform} ${snapshot.os.release} (${snapshot.os.arch})`,
    `Updates: ${updateLine(snapshot.update)}`,
    `Server: ${serverOrigin(snapshot.serverUrl)}`,
    `Data folder: ${withHomeAsTilde(snapshot.dataFolder, snapshot.homeDir)}`,
    `Logs folder: ${withHomeAsTilde(snapshot.logsFolder, snapshot.homeDir)}`,
    '',
    ...deskLines(snapshot.desk),
    '',
    `Last errors (${errors.length}):`,
    ...(errors.length === 0 ? ['  none'] : errors.map((error) => `  [${error.source}] ${scrubErrorRecord(error.record).replace(/\n/g, '\n    ')}`)),
  ];
  // Whatever the snapshot held, the text passes the redaction once more as a whole.
  return `${redactText(lines.join('\n'))}\n`;
}

/** The error records of several logs, newest last (each record starts with its date, so text order is time order). */
export function newestErrors(bySource: ReadonlyArray<{ source: string; records: readonly string[] }>, count: number = MAX_ERRORS) {
  return bySource
    .flatMap(({ source, records }) => records.map((record) => ({ source, record })))
    .sort((a, b) => (a.record < b.record ? -1 : a.record > b.record ? 1 : 0))
    .slice(-count);
}
