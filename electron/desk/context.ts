// What every part of the desk service shares: its stores, its clock, its event bus and the session.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { DeskEvent, DeskEvents } from '../../shared/desk-api/contract';

export type DeskDb = Database.Database;

export interface DeskLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface DeskContext {
  /** The cache: what the server sent. Purged on sign-out, rebuilt from the server when damaged. */
  db: DeskDb;
  /** What only this desk knows (the outbox, drafts, settings), in its own file: never purged or rebuilt. */
  own: DeskDb;
  dataDir: string;
  now(): Date;
  log: DeskLogger;
  emit<E extends DeskEvent>(event: E, payload: DeskEvents[E]): void;
}
