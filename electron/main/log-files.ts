// The app's log files: one per process, in the app's logs folder, rotated by size. Main writes all three:
// its own records, and the lines the desk worker and the bundled server print (both utility processes
// whose output main reads through pipes), so that one process owns the files and their rotation. Node
// only, no Electron: tests/unit/log-files.test.ts runs it on real files. logging.ts wires electron-log.
import fs from 'node:fs';
import path from 'node:path';
import type { LogMessage, NodeLogger } from 'electron-log';
import { redactLogArguments } from '../../shared/logging/redact';

export const LOG_FILES = { main: 'main.log', desk: 'desk.log', server: 'server.log' } as const;
export type LogSource = keyof typeof LOG_FILES;

/** A file is rotated when it grows past this; LOG_KEEP older files are kept beside it. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_KEEP = 3;

export type LogLevel = 'error' | 'warn' | 'info';

/** `main.log` → `main.1.log`: the n-th older file of a log. */
export function archivedLogPath(filePath: string, n: number): string {
  const { dir, name, ext } = path.parse(filePath);
  return path.join(dir, `${name}.${n}${ext}`);
}

/**
 * Moves `main.log` to `main.1.log`, `main.1.log` to `main.2.log` and so on, dropping the one past `keep`.
 * electron-log calls it when the file outgrows its limit, then starts the file afresh.
 */
export function rotateLogFile(filePath: string, keep: number = LOG_KEEP): void {
  fs.rmSync(archivedLogPath(filePath, keep), { force: true });
  for (let n = keep - 1; n >= 1; n -= 1) {
    const older = archivedLogPath(filePath, n);
    if (fs.existsSync(older)) fs.renameSync(older, archivedLogPath(filePath, n + 1));
  }
  if (keep >= 1 && fs.existsSync(filePath)) fs.renameSync(filePath, archivedLogPath(filePath, 1));
}

const PINO_LEVELS: Record<number, LogLevel> = { 10: 'info', 20: 'info', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/**
 * The level of a line another process printed: the desk worker's lines start with their level
 * (electron/desk-worker/log.ts), the server's are pino JSON with a numeric level, and a plain line counts
 * as info on stdout and as an error on stderr (Node prints uncaught errors there).
 */
export function levelOfLine(line: string, stream: 'stdout' | 'stderr'): LogLevel {
  const prefixed = /^(error|warn|info) /.exec(line);
  if (prefixed) return prefixed[1] as LogLevel;
  const pino = /^\{.*"level":(\d{2})[,}]/.exec(line);
  if (pino) return PINO_LEVELS[Number(pino[1])] ?? 'info';
  return stream === 'stderr' ? 'error' : 'info';
}

/** The line without the level it starts with: the log file writes the level in its own column. */
export function textOfLine(line: string): string {
  return line.replace(/^(?:error|warn|info) /, '');
}

/** electron-log's line format (its default without the scope): `[2026-12-07 10:00:00.123] [error] text`. */
export const LOG_LINE_FORMAT = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}] {text}';
const ERROR_LINE = /^\[\d{4}-\d{2}-\d{2} [\d:.]+\] \[error\] /;

/** The last `count` error records of a log file's text (a record runs until the next dated line). */
export function lastErrorRecords(text: string, count: number): string[] {
  const records: string[] = [];
  let current: string[] | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^\[\d{4}-\d{2}-\d{2} /.test(line)) {
      if (current) records.push(current.join('\n'));
      current = ERROR_LINE.test(line) ? [line] : null;
    } else if (current && line.trim() !== '') {
      current.push(line);
    }
  }
  if (current) records.push(current.join('\n'));
  return records.slice(-count);
}

/** The end of a log file (at most `maxBytes`), or '' when there is none yet. */
export function readLogTail(filePath: string, maxBytes = 256 * 1024): string {
  let handle: number | null = null;
  try {
    handle = fs.openSync(filePath, 'r');
    const size = fs.fstatSync(handle).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    fs.readSync(handle, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } catch {
    return '';
  } finally {
    if (handle !== null) fs.closeSync(handle);
  }
}

/**
 * Points an electron-log logger (electron-log/main in the app, electron-log/node under test: the same
 * transports) at its file: size rotation keeping LOG_KEEP older files, and every record redacted before any
 * transport sees it (shared/logging/redact.ts), the console's copy included.
 */
export function configureFileLog(logger: NodeLogger, filePath: string, maxBytes: number = LOG_MAX_BYTES): void {
  const file = logger.transports.file;
  file.resolvePathFn = () => filePath;
  file.maxSize = maxBytes;
  file.format = LOG_LINE_FORMAT;
  file.level = 'info';
  file.archiveLogFn = (oldFile) => rotateLogFile(oldFile.path);
  logger.hooks.push(redactRecord);
}

function redactRecord(message: LogMessage): LogMessage {
  return { ...message, data: redactLogArguments(message.data) };
}
