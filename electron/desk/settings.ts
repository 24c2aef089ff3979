// The desk's settings (language, theme, retention period, server), kept in the settings table: one row per setting, its
// value as JSON, read back through the contract's schema so a row written by another version cannot
// smuggle in a value the renderer does not expect.
import { RETENTION_DAYS, settings as settingsSchema, type Settings } from '../../shared/desk-api/schemas';
import type { DeskContext, DeskDb } from './context';
import type { DeskHandlers } from './handlers';

export const DEFAULT_SETTINGS: Settings = {
  language: 'system',
  theme: 'system',
  retentionDays: RETENTION_DAYS.default,
  serverUrl: null,
  serverChosen: false,
};

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/** The stored settings; a setting never stored, or stored unreadable, reads as its entry in `defaults`. */
export function readSettings(db: DeskDb, defaults: Settings = DEFAULT_SETTINGS): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored: Record<string, unknown> = {};
  for (const row of rows) {
    try {
      stored[row.key] = JSON.parse(row.value);
    } catch {
      // An unreadable value falls back to the default below.
    }
  }
  const merged: Record<string, unknown> = {};
  for (const key of KEYS) {
    const one = settingsSchema.shape[key].safeParse(stored[key]);
    merged[key] = one.success ? one.data : defaults[key];
  }
  return merged as Settings;
}

export function writeSettings(db: DeskDb, changes: Partial<Settings>, defaults: Settings = DEFAULT_SETTINGS): Settings {
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  db.transaction(() => {
    for (const key of KEYS) {
      if (key in changes) write.run(key, JSON.stringify(changes[key]));
    }
  })();
  return readSettings(db, defaults);
}

/**
 * 'settings.get' and 'settings.set' (language, theme and the retention period, checked against the contract's
 * range before this runs: the renderer cannot set the server; server-handlers.ts owns the server's channels).
 */
export interface SettingsDeps {
  /** What a setting never stored reads as: the browser host's --retention-days is the default period. */
  defaults: Settings;
  /** Called after the retention period changed, so that the retention job runs with the new one. */
  onRetentionChanged(): void;
}

export function settingsHandlers(ctx: DeskContext, deps: SettingsDeps): DeskHandlers {
  return {
    'settings.get': () => readSettings(ctx.own, deps.defaults),
    'settings.set': (changes) => {
      const before = readSettings(ctx.own, deps.defaults);
      const next = writeSettings(ctx.own, changes, deps.defaults);
      ctx.log.info('Settings changed', { keys: Object.keys(changes) });
      if (next.retentionDays !== before.retentionDays) deps.onRetentionChanged();
      return next;
    },
  };
}
