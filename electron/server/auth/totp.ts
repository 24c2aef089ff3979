// TOTP per RFC 6238 with otplib 13: 20-byte secrets, 6 digits, 30 s steps. A code is good for the current
// and the previous step, and once per user: the last accepted step is stored and advanced with a
// compare-and-set UPDATE, so two requests racing with the same code cannot both pass.
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';
import type { Db } from '../db/open';
import { advanceTotpStep } from '../sql/users';

export const TOTP_ISSUER = 'Dispute Desk';
const PERIOD_SECONDS = 30;

export const newTotpSecret = () => generateSecret({ length: 20 });

export const otpauthUrl = (username: string, secret: string) =>
  generateURI({ issuer: TOTP_ISSUER, label: username, secret });

/** For tests and the demo tooling: the code of `secret` at `at`. */
export const totpCodeAt = (secret: string, at: Date) =>
  generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** The time step the code belongs to, if it is the current or the previous one; otherwise null. */
export function matchTotpStep(secret: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(at.getTime() / 1000),
    epochTolerance: [PERIOD_SECONDS, 0],
  });
  // verifySync's result type covers HOTP too; a valid TOTP result always carries its time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

export type TotpCheck = 'accepted' | 'invalid' | 'replayed';

/**
 * Checks a code for a user and consumes its step. 'replayed' is a correct code whose step (or a later
 * one) was already used: a double submit, not a guess.
 */
export function consumeTotp(db: Db, userId: string, secret: string, code: string, at: Date): TotpCheck {
  const step = matchTotpStep(secret, code, at);
  if (step === null) return 'invalid';
  return advanceTotpStep(db, userId, step) ? 'accepted' : 'replayed';
}
