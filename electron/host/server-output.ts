// The bundled server's output as the browser host writes it to stderr: the server logs pino JSON lines,
// which read poorly beside the host's own `[source] level message` lines; so a pino line becomes
// `[server] <level> <msg> <a few fields>`, redacted, and anything else passes as it is, redacted.
import { redactText, redactValue } from '../../shared/logging/redact';

const PINO_LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** pino's own bookkeeping: the host's stderr has its own order, and the process is known. */
const BOOKKEEPING = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);
const MAX_FIELDS_CHARS = 300;

interface PinoLine {
  level: number;
  msg?: unknown;
  [field: string]: unknown;
}

function pinoLineOf(line: string): PinoLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return typeof (parsed as { level?: unknown }).level === 'number' ? (parsed as PinoLine) : null;
  } catch {
    return null;
  }
}

/** One line of the server's output as the host's stderr shows it (without the newline). */
export function serverOutputLine(line: string): string {
  const pino = pinoLineOf(line.trim());
  if (pino === null) return `[server] ${redactText(line)}`;
  const level = PINO_LEVEL_NAMES[pino.level] ?? `level ${pino.level}`;
  const message = typeof pino.msg === 'string' ? redactText(pino.msg) : '';
  const fields = Object.fromEntries(Object.entries(pino).filter(([key]) => !BOOKKEEPING.has(key)));
  let details = Object.keys(fields).length > 0 ? JSON.stringify(redactValue(fields)) : '';
  if (details.length > MAX_FIELDS_CHARS) details = `${details.slice(0, MAX_FIELDS_CHARS)}…`;
  return ['[server]', level, message, details].filter((part) => part !== '').join(' ');
}
