// The demo accounts of DESIGN §4 (a contract): published usernames, passwords and TOTP secrets, so that
// anyone can sign in to a demo. Seeded only by `--seed demo|load`, never on a non-loopback address.
import type { Role } from '../../shared/domain/dispute';
import { hashPasswordSync, type ScryptCost } from '../server/auth/passwords';
import { createUser } from '../server/auth/users';
import type { ServerContext } from '../server/context';
import type { DemoUsername } from './plan';

export interface DemoAccount {
  username: DemoUsername;
  displayName: string;
  role: Role;
  password: string;
  /** Base32; null: the user enrols in 2FA on first sign-in. */
  totpSecret: string | null;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'ana', displayName: 'Ana Rodríguez', role: 'agent', password: 'ana-demo-pass', totpSecret: 'ANAAGENTANAAGENTANAAGENTANAAGENT' },
  { username: 'bruno', displayName: 'Bruno Carvalho', role: 'agent', password: 'bruno-demo-pass', totpSecret: 'BRUNOAGENTBRUNOAGENTBRUNOAGENTBR' },
  { username: 'carla', displayName: 'Carla Mendoza', role: 'compliance', password: 'carla-demo-pass', totpSecret: 'CARLACOMPLIANCECARLACOMPLIANCECA' },
  { username: 'sofia', displayName: 'Sofía Herrera', role: 'supervisor', password: 'sofia-demo-pass', totpSecret: 'SOFIASUPERVISORSOFIASUPERVISORSO' },
  { username: 'diego', displayName: 'Diego Paredes', role: 'agent', password: 'diego-demo-pass', totpSecret: null },
];

export const demoUserId = (username: DemoUsername) => `USR-${username}`;

/**
 * The demo passwords are published, so a costly hash protects nothing and would hold up the seed (five
 * hashes on the event loop at OWASP's cost take about two seconds). Each is upgraded to the server's cost
 * at that account's first sign-in, like any hash below it.
 */
const DEMO_PASSWORD_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

/** Creates the five demo accounts. Call inside ctx.write(). */
export function createDemoAccounts(ctx: ServerContext): void {
  for (const account of DEMO_ACCOUNTS) {
    const passwordHash = hashPasswordSync(account.password, DEMO_PASSWORD_COST);
    createUser(ctx, { id: demoUserId(account.username), ...account, passwordHash });
  }
}
