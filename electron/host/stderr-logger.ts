// The host's log: stderr, one line per message, because stdout carries only the ready line that callers
// read. The desk never passes a secret to its logger; every record still goes through the same redaction
// as the desktop app's log files (shared/logging/redact.ts), should one ever slip into a message or its data.
import type { DeskLogger } from '../desk/context';
import { redactText, redactValue } from '../../shared/logging/redact';

export function stderrLogger(source: string): DeskLogger {
  const write = (level: string, message: string, data?: Record<string, unknown>): void => {
    const details = data && Object.keys(data).length > 0 ? ` ${JSON.stringify(redactValue(data))}` : '';
    process.stderr.write(`[${source}] ${level} ${redactText(message)}${details}\n`);
  };
  return {
    info: (message, data) => write('info', message, data),
    warn: (message, data) => write('warn', message, data),
    error: (message, data) => write('error', message, data),
  };
}
