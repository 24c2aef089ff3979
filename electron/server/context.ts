// What every route handler gets: the store, the configuration, the clock and the change notifier.
import { EventEmitter } from 'node:events';
import type { ServerConfig } from './config';
import { writeTransaction, type Db } from './db/open';
import { latestChangeSeq } from './sql/feed';

export interface ServerContext {
  db: Db;
  config: ServerConfig;
  now(): Date;
  /** Emits 'change' with the newest feed cursor after a write that recorded changes has committed. */
  changes: EventEmitter;
  /** Runs `work` in one BEGIN IMMEDIATE transaction and tells /v1/events listeners once it committed. */
  write<T>(work: () => T): T;
  /** Called by the feed inside a write: a notification is due once the transaction commits. */
  markChanged(): void;
}

export function createContext(db: Db, config: ServerConfig): ServerContext {
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  let changedInTransaction = false;
  const context: ServerContext = {
    db,
    config,
    now: config.now,
    changes,
    markChanged() {
      changedInTransaction = true;
    },
    write<T>(work: () => T): T {
      changedInTransaction = false;
      const result = writeTransaction(db, work);
      if (changedInTransaction) {
        changedInTransaction = false;
        changes.emit('change', latestChangeSeq(db));
      }
      return result;
    },
  };
  return context;
}
