// The log files (electron/main/log-files.ts) on real files, written by the real electron-log (its Node
// entry has the same file transport as electron-log/main): records redacted, files rotated by size with a
// few kept, the last errors read back for the diagnostics, and the levels of the lines other processes print.
import fs from 'node:fs';
import path from 'node:path';
import electronLog from 'electron-log/node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  archivedLogPath,
  configureFileLog,
  lastErrorRecords,
  levelOfLine,
  readLogTail,
  rotateLogFile,
} from '../../electron/main/log-files';
import { tempDir } from '../server/harness';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function logsDir(): string {
  const dir = tempDir('dd-logs-');
  dirs.push(dir);
  return dir;
}

let loggers = 0;
function fileLogger(filePath: string, maxBytes?: number) {
  const logger = electronLog.create({ logId: `test-${(loggers += 1)}` });
  logger.transports.console.level = false;
  configureFileLog(logger, filePath, maxBytes);
  return logger;
}

describe('configureFileLog', () => {
  it('writes redacted records to its file', () => {
    const file = path.join(logsDir(), 'main.log');
    const log = fileLogger(file);
    log.info('desk: Signed in', { userId: 'USR-1', role: 'agent' });
    log.error('The server refused', { headers: { Authorization: 'Bearer s3cr3t-token-value' }, loginToken: 'lt-123' });
    log.warn('[server] {"level":40,"msg":"x","req":{"headers":{"cookie":"sid=abc123"}}}');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/\[info\] +desk: Signed in/);
    expect(text).toContain('USR-1');
    for (const secret of ['s3cr3t-token-value', 'lt-123', 'sid=abc123']) expect(text).not.toContain(secret);
  });

  it('rotates by size and keeps three older files', () => {
    const file = path.join(logsDir(), 'desk.log');
    const log = fileLogger(file, 2_000);
    for (let i = 0; i < 200; i += 1) log.info(`line ${i} ${'x'.repeat(80)}`);
    const names = fs.readdirSync(path.dirname(file)).sort();
    expect(names).toEqual(['desk.1.log', 'desk.2.log', 'desk.3.log', 'desk.log']);
    for (const name of names) expect(fs.statSync(path.join(path.dirname(file), name)).size).toBeLessThan(2_200);
    // The newest records are in desk.log, the ones before them in desk.1.log.
    expect(fs.readFileSync(file, 'utf8')).toContain('line 199');
  });

  it('lets the diagnostics read back the last errors, redacted', () => {
    const file = path.join(logsDir(), 'main.log');
    const log = fileLogger(file);
    log.error('first failure');
    log.info('all fine');
    log.error(new Error('Request failed: password=hunter2'));
    log.error('third failure');
    const errors = lastErrorRecords(readLogTail(file), 2);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('Request failed');
    expect(errors[0]).not.toContain('hunter2');
    expect(errors[1]).toContain('third failure');
    expect(errors.join('\n')).not.toContain('all fine');
  });
});

describe('rotateLogFile', () => {
  it('shifts the older files up and drops the oldest', () => {
    const file = path.join(logsDir(), 'server.log');
    for (const [name, text] of [
      ['server.log', 'now'],
      ['server.1.log', 'one'],
      ['server.2.log', 'two'],
      ['server.3.log', 'three'],
    ]) {
      fs.writeFileSync(path.join(path.dirname(file), name!), text!);
    }
    rotateLogFile(file, 3);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(archivedLogPath(file, 1), 'utf8')).toBe('now');
    expect(fs.readFileSync(archivedLogPath(file, 2), 'utf8')).toBe('one');
    expect(fs.readFileSync(archivedLogPath(file, 3), 'utf8')).toBe('two');
    expect(fs.readdirSync(path.dirname(file))).toHaveLength(3);
  });
});

describe('levelOfLine', () => {
  it('reads the level of the desk worker lines, pino lines and plain output', () => {
    expect(levelOfLine('warn outbox: attempt failed {"code":"network_error"}', 'stderr')).toBe('warn');
    expect(levelOfLine('info Sync: pulling changes', 'stdout')).toBe('info');
    expect(levelOfLine('{"level":50,"time":1,"msg":"retention: a run failed"}', 'stdout')).toBe('error');
    expect(levelOfLine('{"level":30,"msg":"incoming request"}', 'stdout')).toBe('info');
    expect(levelOfLine('Dispute Desk platform server listening on http://127.0.0.1:5000', 'stdout')).toBe('info');
    expect(levelOfLine('TypeError: x is not a function', 'stderr')).toBe('error');
  });
});

describe('readLogTail', () => {
  it('reads the end of a file and nothing of a missing one', () => {
    const file = path.join(logsDir(), 'main.log');
    fs.writeFileSync(file, `${'a'.repeat(100)}END`);
    expect(readLogTail(file, 10)).toBe('aaaaaaaEND');
    expect(readLogTail(path.join(path.dirname(file), 'none.log'))).toBe('');
  });
});
