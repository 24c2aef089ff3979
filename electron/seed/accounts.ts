// The demo accounts of DESIGN §4 (a contract): published usernames, passwords and TOTP secrets, so that
// anyone can sign in to a demo. Seeded only by `--seed demo|load`, never on a non-loopback address.
// diego has not enrolled: he has a published invitation instead (issue #11: a password alone no longer
// reveals a secret), redeemed in the desk with "I have an invitation", where he chooses his password.
import type { Role } from '../../shared/domain/dispute';
import { issueInvitation } from '../server/auth/enrolment';
import { hashPasswordSync, type ScryptCost } from '../server/auth/passwords';
import { createUser } from '../server/auth/users';
import type { ServerContext } from '../server/context';
import { PLATFORM_USER_ID } from '../server/db/migrations/0008-platform-events';
import type { DemoUsername } from './plan';

export interface DemoAccount {
  username: DemoUsername;
  displayName: string;
  role: Role;
  /** Null: chosen when the user redeems the demo invitation. */
  password: string | null;
  /** Base32; null: the user enrols in 2FA by the demo invitation. */
  totpSecret: string | null;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'ana', displayName: 'Ana Rodríguez', role: 'agent', password: 'ana-demo-pass', totpSecret: 'ANAAGENTANAAGENTANAAGENTANAAGENT' },
  { username: 'bruno', displayName: 'Bruno Carvalho', role: 'agent', password: 'bruno-demo-pass', totpSecret: 'BRUNOAGENTBRUNOAGENTBRUNOAGENTBR' },
  { username: 'carla', displayName: 'Carla Mendoza', role: 'compliance', password: 'carla-demo-pass', totpSecret: 'CARLACOMPLIANCECARLACOMPLIANCECA' },
  { username: 'sofia', displayName: 'Sofía Herrera', role: 'supervisor', password: 'sofia-demo-pass', totpSecret: 'SOFIASUPERVISORSOFIASUPERVISORSO' },
  { username: 'diego', displayName: 'Diego Paredes', role: 'agent', password: null, totpSecret: null },
];

export const demoUserId = (username: DemoUsername) => `USR-${username}`;

/** diego's invitation, published like the other demo secrets (README, demo accounts). */
export const DEMO_INVITATION_TOKEN = 'diego-demo-invitation-2026';
// A demo may be started long after it was seeded; a real invitation lasts config.invitationTtlMs.
const DEMO_INVITATION_TTL_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The demo passwords are published, so a costly hash protects nothing and would hold up the seed (five
 * hashes on the event loop at OWASP's cost take about two seconds). Each is upgraded to the server's cost
 * at that account's first sign-in, like any hash below it.
 */
const DEMO_PASSWORD_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

/**
 * Creates the five demo accounts and diego's invitation. Call inside ctx.write(). The invitation comes from
 * the platform's set-up, not from sofia: the issuer of an agent's credentials may not approve that agent's
 * four-eyes proposals, and sofia is the demo's only supervisor.
 */
export function createDemoAccounts(ctx: ServerContext): void {
  for (const account of DEMO_ACCOUNTS) {
    const passwordHash = account.password === null ? undefined : hashPasswordSync(account.password, DEMO_PASSWORD_COST);
    createUser(ctx, { id: demoUserId(account.username), ...account, ...(passwordHash ? { passwordHash } : {}) });
  }
  issueInvitation(ctx, demoUserId('diego'), PLATFORM_USER_ID, {
    token: DEMO_INVITATION_TOKEN,
    ttlMs: DEMO_INVITATION_TTL_MS,
  });
}
