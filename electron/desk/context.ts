// What every part of the desk service shares: its cache, its clock, its event bus and the session.
import type Database from 'better-sqlite3';
import type { DeskEvent, DeskEvents } from '../../shared/desk-api/contract';

export type DeskDb = Database.Database;

export interface DeskLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface DeskContext {
  db: DeskDb;
  dataDir: string;
  now(): Date;
  log: DeskLogger;
  emit<E extends DeskEvent>(event: E, payload: DeskEvents[E]): void;
}
