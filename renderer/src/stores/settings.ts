// Language, theme and the retention period, kept by the desk (settings.get/set); language and theme are
// applied to the page as soon as they change.
import { create } from 'zustand';
import type { Settings } from '../../../shared/desk-api/schemas';
import { applyLanguageSetting } from '../i18n';
import { applyThemeSetting } from '../app/theme';
import { callDesk } from '../desk';

export type SettingsChange = Partial<Pick<Settings, 'language' | 'theme' | 'retentionDays'>>;

interface SettingsStore {
  settings: Settings | null;
  load(): Promise<void>;
  update(change: SettingsChange): Promise<void>;
}

function apply(settings: Settings) {
  applyLanguageSetting(settings.language);
  applyThemeSetting(settings.theme);
}

export const useSettings = create<SettingsStore>((set, get) => ({
  settings: null,
  async load() {
    try {
      const settings = await callDesk('settings.get');
      set({ settings });
      apply(settings);
    } catch {
      // The defaults stay: the system's language and theme.
    }
  },
  async update(change) {
    const previous = get().settings;
    // Shown at once; put back if the desk refuses it, so the screen never lies about what is saved.
    if (previous) {
      set({ settings: { ...previous, ...change } });
      apply({ ...previous, ...change });
    }
    try {
      const saved = await callDesk('settings.set', change);
      set({ settings: saved });
      apply(saved);
    } catch (error) {
      if (previous) {
        set({ settings: previous });
        apply(previous);
      }
      throw error;
    }
  },
}));
