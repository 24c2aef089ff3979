// Which platform server the desk talks to, as the renderer knows it: for the first-run choice and the line on
// the sign-in screen. The desk decides everything (electron/desk/server-handlers.ts); this only remembers
// its last answer and whether the user went back to the choice from the sign-in screen.
import { create } from 'zustand';
import type { ServerInfo } from '../../../shared/desk-api/schemas';
import { askDesk } from '../desk';

interface ServerStore {
  /** Null until the desk answered, or when it cannot say (then sign-in shows as before). */
  info: ServerInfo | null;
  loaded: boolean;
  /** The user chose "Change server" on the sign-in screen: the choice shows again. */
  choosing: boolean;
  load(): Promise<void>;
  set(info: ServerInfo): void;
  choose(choosing: boolean): void;
}

export const useServer = create<ServerStore>((set) => ({
  info: null,
  loaded: false,
  choosing: false,
  async load() {
    const answer = await askDesk('server.info');
    set({ info: answer.ok ? answer.value : null, loaded: true });
  },
  set: (info) => set({ info, choosing: false }),
  choose: (choosing) => set({ choosing }),
}));

/** The first-run choice shows while no server has been chosen, or when the user asked to change it. */
export function showsServerChoice(info: ServerInfo | null, choosing: boolean): boolean {
  if (info === null) return false;
  return !info.chosen || (choosing && info.changeFromPage);
}
