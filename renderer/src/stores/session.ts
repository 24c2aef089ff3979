// Who is signed in, as the renderer knows it. The token itself never leaves the desk (DESIGN §5).
import { create } from 'zustand';
import type { Me } from '../../../shared/api/types';
import { callDesk } from '../desk';

export type SessionStatus = 'loading' | 'signed_out' | 'signed_in';

interface SessionStore {
  status: SessionStatus;
  user: Me | null;
  /** Why the sign-in screen is back, when it was not the user's choice. */
  endedBecause: 'expired' | 'idle' | null;
  /** With 'idle': after how many minutes without activity the server signed the user out. */
  idleMinutes: number | null;
  load(): Promise<void>;
  signedIn(user: Me): void;
  signOut(): Promise<void>;
  expired(idleMinutes?: number): void;
}

export const useSession = create<SessionStore>((set) => ({
  status: 'loading',
  user: null,
  endedBecause: null,
  idleMinutes: null,
  async load() {
    try {
      const state = await callDesk('session.state');
      set({ status: state.user ? 'signed_in' : 'signed_out', user: state.user });
    } catch {
      set({ status: 'signed_out', user: null });
    }
  },
  signedIn: (user) => set({ status: 'signed_in', user, endedBecause: null }),
  async signOut() {
    // The screen goes back to sign-in whatever the desk answers: it has dropped the session before calling out.
    set({ status: 'signed_out', user: null, endedBecause: null });
    await callDesk('session.signOut').catch(() => undefined);
  },
  expired: (idleMinutes) =>
    set({
      status: 'signed_out',
      user: null,
      endedBecause: idleMinutes ? 'idle' : 'expired',
      idleMinutes: idleMinutes ?? null,
    }),
}));
