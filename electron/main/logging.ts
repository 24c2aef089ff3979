// The app's log files, wired (the decisions are in log-files.ts): main.log gets main's own records, its
// console included, so the shell's existing console.error calls land there too; desk.log and server.log get
// the lines the desk worker and the bundled server print, read from their pipes. Every record is redacted
// before it is written (configureFileLog's hook).
import log from 'electron-log/main';
import type { NodeLogger } from 'electron-log';
import path from 'node:path';
import readline from 'node:readline';
import { LOG_FILES, configureFileLog, levelOfLine, textOfLine, type LogSource } from './log-files';

export interface AppLogs {
  folder: string;
  main: NodeLogger;
  desk: NodeLogger;
  server: NodeLogger;
  /** Writes each line of a child process's output to its log, at the level the line carries. */
  follow(stream: NodeJS.ReadableStream | null, source: Exclude<LogSource, 'main'>, streamName: 'stdout' | 'stderr'): void;
}

let logs: AppLogs | null = null;

/** Sets the logs up once, in `folder` (app.getPath('logs')); the second call returns the same logs. */
export function setUpLogging(folder: string): AppLogs {
  if (logs) return logs;
  configureFileLog(log, path.join(folder, LOG_FILES.main));
  // From here console.* in main goes through electron-log: to main.log and, as before, to the terminal.
  Object.assign(console, log.functions);
  const childLog = (source: Exclude<LogSource, 'main'>): NodeLogger => {
    const logger = log.create({ logId: source });
    configureFileLog(logger, path.join(folder, LOG_FILES[source]));
    return logger;
  };
  const desk = childLog('desk');
  const server = childLog('server');
  const loggers = { desk, server };
  logs = {
    folder,
    main: log,
    desk,
    server,
    follow(stream, source, streamName) {
      if (!stream) return;
      const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (line.trim() !== '') loggers[source][levelOfLine(line, streamName)](textOfLine(line));
      });
    },
  };
  return logs;
}

/** The logs, once set up; null before (a record that early goes to the console only). */
export function appLogs(): AppLogs | null {
  return logs;
}
