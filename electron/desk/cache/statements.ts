// Prepared statements are compiled once per database connection and reused: preparing is a large part of
// the cost of a small query, and the sync applies hundreds of thousands of them.
import type { DeskDb } from '../context';

/** Wraps a factory of statements so it runs once per connection. */
export function perConnection<T>(build: (db: DeskDb) => T): (db: DeskDb) => T {
  const built = new WeakMap<DeskDb, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}
