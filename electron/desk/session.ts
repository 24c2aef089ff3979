// The signed-in session (DESIGN §5). The two sign-in steps go through here: the password step's login token
// and the access token stay inside the desk service, in memory only, and are never logged or returned to
// the renderer. Sign-out and any 401 on an authenticated call wipe the token; the latter also tells the
// renderer with 'session.expired'.
import { EventEmitter } from 'node:events';
import { ROUTES } from '../../shared/api/routes';
import type { Me, SignInResult } from '../../shared/api/types';
import type { SessionState, SignInStep } from '../../shared/desk-api/contract';
import { createApiClient, SignedOutError, type PlatformApi, PlatformError } from './api-client';
import type { DeskContext } from './context';
import { DeskFailure } from './handlers';

export type SessionChange =
  { kind: 'signed_in'; user: Me } | { kind: 'signed_out'; reason: 'sign_out' | 'expired' };

export interface DeskSession {
  state(): SessionState;
  user(): Me | null;
  /** The signed-in user, or a SignedOutError for the renderer. */
  requireUser(): Me;
  /** For the API client only. */
  token(): string | null;
  signIn(username: string, password: string): Promise<SignInStep>;
  /** Enrolment by invitation: sets the password and returns this attempt's fresh secret. */
  redeemInvitation(token: string, password: string): Promise<SignInStep>;
  verify(code: string): Promise<{ user: Me; backupCodes: string[] | null }>;
  signOut(): Promise<void>;
  /**
   * The user is at the desk (the renderer saw their input). The server's idle timeout counts only calls
   * that are the user's, and reading cached cases makes none, so at most every PRESENCE_INTERVAL_MS this
   * reads GET /v1/me, which slides the timeout: someone reading a long chat is not signed out, while a
   * desk left alone (whose background syncs never slide it) still is.
   */
  markActive(): Promise<void>;
  /**
   * Whether the user was seen lately (input in the last PRESENCE_WINDOW_MS, or signing in): a read the
   * desk makes while they are not is sent as a background request, which does not slide the server's
   * idle timeout (a KYT alert left open, re-read whenever its case changes, would otherwise keep the
   * session of someone who left alive for ever).
   */
  present(): boolean;
  /**
   * A call made with `token` came back 401; `idleMinutes` when the server ended it for inactivity. Ignored
   * if that token is no longer the session's.
   */
  expire(token: string, reason: string, idleMinutes?: number | null): void;
  onChange(listener: (change: SessionChange) => void): () => void;
}

/** The base32 secret inside an otpauth:// URL, shown beside the QR code for typing into an app by hand. */
export function secretFromOtpauthUrl(otpauthUrl: string): string {
  const secret = new URL(otpauthUrl).searchParams.get('secret');
  if (!secret || !/^[A-Z2-7]+=*$/i.test(secret)) {
    throw new DeskFailure('invalid_enrollment', 'The server sent an enrolment link without a usable secret.');
  }
  return secret.toUpperCase();
}

interface Signing {
  loginToken: string;
  awaiting: 'totp' | 'enrollment';
}

/** How often the user's presence reaches the server: well inside any idle timeout worth having. */
export const PRESENCE_INTERVAL_MS = 4 * 60_000;

/**
 * How long after the user's last input the desk's reads still count as theirs. The renderer tells the desk
 * of input at most once a minute (renderer/src/app/presence.ts), so someone at work is never out of it.
 */
export const PRESENCE_WINDOW_MS = 2 * 60_000;

/**
 * The session and its API client, which need each other: the client reads the session's token and asks it
 * whether the user is at the desk, and tells it when the server refused the token.
 */
export function createSessionWithApi(
  ctx: DeskContext,
  baseUrl: string,
  timeoutMs?: number,
): { api: PlatformApi; session: DeskSession } {
  let session: DeskSession | null = null;
  const api = createApiClient({
    baseUrl,
    token: () => session?.token() ?? null,
    onUnauthenticated: (token, error) => session?.expire(token, error.message, error.idleMinutes),
    userPresent: () => session?.present() ?? true,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  session = createSession(ctx, api);
  return { api, session };
}

export function createSession(ctx: DeskContext, api: PlatformApi): DeskSession {
  const changes = new EventEmitter();
  let signing: Signing | null = null;
  let signedIn: { accessToken: string; user: Me } | null = null;
  /** When the server last heard from the user (ms since the epoch, by the desk's clock). */
  let presenceToldAt = 0;
  /** When the user was last seen: their last input the renderer told of, or their sign-in. */
  let seenAt = -Infinity;

  function signOutLocally(reason: 'sign_out' | 'expired') {
    const wasSignedIn = signedIn !== null;
    signedIn = null;
    signing = null;
    if (wasSignedIn) changes.emit('change', { kind: 'signed_out', reason } satisfies SessionChange);
  }

  return {
    state: () => ({
      user: signedIn?.user ?? null,
      awaiting: signing?.awaiting ?? null,
      serverUrl: api.baseUrl,
    }),
    user: () => signedIn?.user ?? null,
    requireUser() {
      if (!signedIn) throw new SignedOutError();
      return signedIn.user;
    },
    token: () => signedIn?.accessToken ?? null,
    present() {
      // A clock set back leaves the last input in the future: not a reason to count reads as the user's.
      const since = ctx.now().getTime() - seenAt;
      return since >= 0 && since < PRESENCE_WINDOW_MS;
    },

    async markActive() {
      if (!signedIn) return;
      const now = ctx.now().getTime();
      seenAt = now;
      const sinceTold = now - presenceToldAt;
      // (A clock set back, leaving the last one in the future, does not hold the next one back.)
      if (sinceTold >= 0 && sinceTold < PRESENCE_INTERVAL_MS) return;
      presenceToldAt = now;
      // A 401 ends the session through the API client; offline, the next input tries again later.
      await api.call(ROUTES.me, {}).catch(() => undefined);
    },

    async signIn(username, password) {
      if (signedIn) {
        throw new DeskFailure(
          'already_signed_in',
          'You are signed in already. Sign out first to switch user.',
        );
      }
      signing = null;
      // The answers of both steps are checked against the route contract before anything in them is used.
      const result = await api.call(ROUTES.login, { body: { username, password } });
      ctx.log.info('Password accepted; waiting for the authentication code', { username });
      signing = { loginToken: result.loginToken, awaiting: 'totp' };
      return { next: 'totp' };
    },

    async redeemInvitation(token, password) {
      if (signedIn) {
        throw new DeskFailure('already_signed_in', 'You are signed in already. Sign out first to use an invitation.');
      }
      signing = null;
      const result = await api.call(ROUTES.redeemInvitation, { body: { token, password } });
      const secret = secretFromOtpauthUrl(result.otpauthUrl);
      ctx.log.info('Invitation accepted; waiting for the first authentication code', { username: result.username });
      signing = { loginToken: result.loginToken, awaiting: 'enrollment' };
      return { next: 'enrollment', otpauthUrl: result.otpauthUrl, secret, username: result.username };
    },

    async verify(code) {
      if (!signing) throw new DeskFailure('sign_in_first', 'Enter your username and password first.');
      let result: SignInResult;
      try {
        result = await api.call(ROUTES.totp, { body: { loginToken: signing.loginToken, code } });
      } catch (error) {
        // The login token is spent or expired: the user has to start again from the password.
        if (error instanceof PlatformError && error.code === 'invalid_login_token') signing = null;
        throw error;
      }
      signing = null;
      // The contract's `me` schema keeps exactly the four fields the renderer may see.
      const user: Me = result.user;
      signedIn = { accessToken: result.accessToken, user };
      presenceToldAt = ctx.now().getTime();
      seenAt = presenceToldAt;
      ctx.log.info('Signed in', { userId: user.id, role: user.role });
      changes.emit('change', { kind: 'signed_in', user } satisfies SessionChange);
      return { user, backupCodes: result.backupCodes ?? null };
    },

    async signOut() {
      signing = null;
      if (!signedIn) return;
      const { accessToken, user } = signedIn;
      // Dropped before the call: whatever the server answers, the desk is signed out from here on.
      signOutLocally('sign_out');
      try {
        // Sent by hand rather than as a session call, so a 401 here is not mistaken for an expiry.
        await api.call(ROUTES.logout, {
          auth: false,
          headers: { authorization: `Bearer ${accessToken}` },
        });
      } catch (error) {
        // Signing out must work offline too; the server lets the token expire on its own.
        ctx.log.warn('The server did not confirm the sign-out; the session was dropped locally', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      ctx.log.info('Signed out', { userId: user.id });
    },

    expire(token, reason, idleMinutes = null) {
      if (signedIn?.accessToken !== token) return;
      ctx.log.warn('The session was refused by the server; signing out', {
        userId: signedIn.user.id,
        idleMinutes,
      });
      signOutLocally('expired');
      // Drafts and the outbox are kept: they belong to the user, not to the session (DESIGN §5).
      ctx.emit('session.expired', idleMinutes ? { reason, idleMinutes } : { reason });
    },

    onChange(listener) {
      changes.on('change', listener);
      return () => changes.off('change', listener);
    },
  };
}
