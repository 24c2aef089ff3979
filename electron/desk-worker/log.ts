// The desk worker's log: one line per record on its output, which main reads through a pipe and writes to
// desk.log (electron/main/logging.ts). The line starts with its level so that main files it right
// (electron/main/log-files.ts levelOfLine); its data is JSON, redacted here already (main redacts the text
// again): the worker's structured data is where key names still tell a secret apart.
import type { DeskLogger } from '../desk/context';
import { redactText, redactValue } from '../../shared/logging/redact';

export type WorkerLogLevel = 'info' | 'warn' | 'error';

export function workerLogLine(level: WorkerLogLevel, message: string, data?: Record<string, unknown>): string {
  const details = data && Object.keys(data).length > 0 ? ` ${JSON.stringify(redactValue(data))}` : '';
  return `${level} ${redactText(message)}${details}`;
}

export function workerLogger(write: (level: WorkerLogLevel, line: string) => void): DeskLogger {
  const record = (level: WorkerLogLevel) => (message: string, data?: Record<string, unknown>) =>
    write(level, workerLogLine(level, message, data));
  return { info: record('info'), warn: record('warn'), error: record('error') };
}

/** Info on stdout, warnings and errors on stderr, as main reads them. */
export const processOutputLogger = workerLogger((level, line) =>
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`),
);
