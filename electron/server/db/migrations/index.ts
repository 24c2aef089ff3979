// Migrations only grow: each has the next version number, runs in one transaction and is tracked in
// PRAGMA user_version. A database written by a newer version of the server is refused, never guessed at.
import { initialSchema } from './0001-initial';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export const MIGRATIONS: readonly Migration[] = [initialSchema];
