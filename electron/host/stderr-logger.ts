// The host's log: stderr, one line per message, because stdout carries only the ready line that callers
// read. Messages and their data are written as given; the desk never passes a secret to its logger.
import type { DeskLogger } from '../desk/context';

export function stderrLogger(source: string): DeskLogger {
  const write = (level: string, message: string, data?: Record<string, unknown>): void => {
    const details = data && Object.keys(data).length > 0 ? ` ${JSON.stringify(data)}` : '';
    process.stderr.write(`[${source}] ${level} ${message}${details}\n`);
  };
  return {
    info: (message, data) => write('info', message, data),
    warn: (message, data) => write('warn', message, data),
    error: (message, data) => write('error', message, data),
  };
}
