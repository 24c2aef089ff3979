// Secrets never reach a log file or the diagnostics: every log record of every process (main, the desk
// worker, the bundled server's output, the browser host's stderr) passes through these functions before it
// is written. Pure, no Node or Electron, unit tested with the lines the code really writes
// (tests/unit/redact.test.ts).
//
// Two nets: values under a key whose name says "secret" (token, password, totp, authorization, cookie...)
// are replaced whatever they look like; and in free text, the shapes that are secrets wherever they appear
// (a bearer token, an Authorization or Cookie header, a key=value pair with a secret name, a JWT, a
// launch secret in a URL fragment, a 6-digit code next to the word "code" or "totp", a URL's user name and
// password, a base32 TOTP secret named as such). A line that is a JSON object as a whole (the bundled server's
// pino lines) is parsed and redacted by its keys, so that a secret in a string nested inside it (an error
// message quoting a request body, its quotes escaped) is found as well as one in a field of its own.

export const REDACTED = '[redacted]';

/**
 * Key names whose values are secrets, compared without case, '-' or '_': `accessToken`, `access_token`
 * and `Access-Token` are the same name. Matched as a part of the name: `loginToken`, `dataKey`,
 * `webhookSecret`, `backupCodes`, `x-signature` all contain one.
 */
const SECRET_KEY_PARTS = [
  'token',
  'password',
  'passwd',
  'secret',
  'totp',
  'otpauth',
  'authorization',
  'cookie',
  'backupcode',
  'datakey',
  'apikey',
  'signature',
  'credential',
  'session',
  'privatekey',
];

/**
 * A bare `code` is an error code (`invalid_totp`) far more often than an authentication code, so it is
 * redacted only when its value has a code's shape: 6 to 8 digits, or a backup code (groups of letters and
 * digits joined by '-'). `codes` is always a list of backup codes.
 */
const CODE_SHAPE = /^(?:\d{6,8}|[0-9a-z]{4,}(?:-[0-9a-z]{4,})+)$/i;

function normalisedKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

export function isSecretKey(key: string): boolean {
  const name = normalisedKey(key);
  return name === 'codes' || SECRET_KEY_PARTS.some((part) => name.includes(part));
}

function isSecretEntry(key: string, value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (normalisedKey(key) === 'code') return typeof value === 'string' && CODE_SHAPE.test(value.trim());
  return isSecretKey(key);
}

// The secret-named keys as a pattern for free text: key=value, key: value, "key":"value".
const SECRET_NAME =
  '[A-Za-z_-]*(?:token|password|passwd|secret|totp|authorization|cookie|backup[_-]?codes?|data[_-]?key|api[_-]?key|signature|credential|private[_-]?key)[A-Za-z_-]*';

interface TextRule {
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const TEXT_RULES: readonly TextRule[] = [
  // "authorization":"Bearer abc", "password":"x", "backupCodes":["a","b"] in JSON text (pino lines, JSON.stringify).
  {
    pattern: new RegExp(`("${SECRET_NAME}"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|\\[[^\\]]*\\]|[^,}\\s]+)`, 'gi'),
    replace: (_match, key) => `${key}"${REDACTED}"`,
  },
  // "code":"123456" in JSON text: a bare code key holds a secret only in a code's shape (see CODE_SHAPE).
  {
    pattern: /("code"\s*:\s*)"(?:\d{6,8}|[0-9a-z]{4,}(?:-[0-9a-z]{4,})+)"/gi,
    replace: (_match, key) => `${key}"${REDACTED}"`,
  },
  // \"password\":\"x\" inside a JSON string inside JSON text (an error message quoting a body), read as text.
  {
    pattern: new RegExp(`(\\\\"${SECRET_NAME}\\\\"\\s*:\\s*)(\\\\"(?:[^"\\\\]|\\\\(?!"))*\\\\"|[^,}\\s\\\\]+)`, 'gi'),
    replace: (_match, key) => `${key}\\"${REDACTED}\\"`,
  },
  // Authorization: Bearer abc / Cookie: a=b; c=d (a header as text, up to the end of the line).
  {
    pattern: /\b((?:proxy-)?authorization|cookie|set-cookie)(\s*[:=]\s*)[^\r\n]+/gi,
    replace: (_match, name, separator) => `${name}${separator}${REDACTED}`,
  },
  // Bearer <token> anywhere else.
  { pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, replace: () => `Bearer ${REDACTED}` },
  // password=x, totp: 123456, loginToken=abc, ?token=abc in a URL (not in JSON: quoted keys were above).
  {
    pattern: new RegExp(`\\b(${SECRET_NAME})(\\s*[:=]\\s*)(?!\\[redacted\\])('[^']*'|"[^"]*"|\\[[^\\]]*\\]|[^\\s&,;'")}\\]]+)`, 'gi'),
    replace: (_match, key, separator) => `${key}${separator}${REDACTED}`,
  },
  // A launch secret in the browser host's address: http://127.0.0.1:P/#k=<secret>; evidence links' ?t=<hmac>.
  { pattern: /([#&?](?:k|t)=)[A-Za-z0-9._~%+/=-]+/g, replace: (_match, prefix) => `${prefix}${REDACTED}` },
  // A JWT (three base64url parts, the first a JSON header).
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replace: () => REDACTED },
  // otpauth:// enrolment addresses carry the TOTP secret.
  { pattern: /otpauth:\/\/\S+/gi, replace: () => `otpauth://${REDACTED}` },
  // A URL's user name and password: https://admin:pw@host/ (the host stays, for the reader).
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@?#]+@/gi, replace: (_match, scheme) => `${scheme}${REDACTED}@` },
  // A base32 TOTP secret named as such: "TOTP secret ANAAGENT…", "secret key: JBSW…" (16 or more characters).
  {
    pattern: /\b(secret(?:\s+key)?(?:\s*[:=]\s*|\s+))[A-Z2-7]{16,}=*(?![A-Za-z0-9])/gi,
    replace: (_match, prefix) => `${prefix}${REDACTED}`,
  },
  // A 6-digit authentication code named as such ("code 123456", "code: 123456", "totp 123456").
  {
    pattern: /\b((?:authentication\s+|auth\s+|one-time\s+|backup\s+)?(?:code|totp|otp|2fa)\s*[:=]?\s*)\d{6}\b/gi,
    replace: (_match, prefix) => `${prefix}${REDACTED}`,
  },
];

function applyTextRules(text: string): string {
  return TEXT_RULES.reduce((current, rule) => current.replace(rule.pattern, rule.replace as never), text);
}

/** The object a line of JSON holds, or null when the text is not one JSON object as a whole. */
function jsonObjectOf(text: string): object | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return null;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The text with every secret shape replaced by [redacted]. A JSON object is redacted by its keys and
 * its strings each as text, then written back compactly: the text rules alone cannot see through escaped
 * quotes reliably, and a key named `password` is found wherever it is nested.
 */
export function redactText(text: string): string {
  const json = jsonObjectOf(text);
  if (json !== null) return JSON.stringify(redactValue(json));
  return applyTextRules(text);
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` fit for a log: strings redacted as text, values under secret keys replaced, errors
 * reduced to their name, message and code (a stack names no secret but an error's own fields may), and
 * anything nested deeper than a log needs cut off. Never throws, whatever it is given (cycles included).
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as Error & { code?: unknown }).code;
    const copy = new Error(redactText(value.message));
    copy.name = value.name;
    if (value.stack) copy.stack = redactText(value.stack);
    if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretEntry(key, item) ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return copy;
}

/** The arguments of one log call (electron-log's `message.data`, console's arguments), redacted. */
export function redactLogArguments(args: readonly unknown[]): unknown[] {
  return args.map((arg) => redactValue(arg));
}
