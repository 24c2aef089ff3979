// The demo accounts of DESIGN §4 (a contract), published on purpose: the seed creates them on the bundled
// server, and the sign-in screen lists them when (and only when) the desk talks to that bundled demo server.
import type { Role } from './dispute';

export interface PublicDemoAccount {
  username: 'ana' | 'bruno' | 'carla' | 'sofia' | 'diego';
  displayName: string;
  role: Role;
  /** Null: chosen when the user redeems the demo invitation. */
  password: string | null;
  /** Base32; null: the user enrols in 2FA by the demo invitation. */
  totpSecret: string | null;
}

export const DEMO_ACCOUNTS: readonly PublicDemoAccount[] = [
  { username: 'ana', displayName: 'Ana Rodríguez', role: 'agent', password: 'ana-demo-pass', totpSecret: 'ANAAGENTANAAGENTANAAGENTANAAGENT' },
  { username: 'bruno', displayName: 'Bruno Carvalho', role: 'agent', password: 'bruno-demo-pass', totpSecret: 'BRUNOAGENTBRUNOAGENTBRUNOAGENTBR' },
  { username: 'carla', displayName: 'Carla Mendoza', role: 'compliance', password: 'carla-demo-pass', totpSecret: 'CARLACOMPLIANCECARLACOMPLIANCECA' },
  { username: 'sofia', displayName: 'Sofía Herrera', role: 'supervisor', password: 'sofia-demo-pass', totpSecret: 'SOFIASUPERVISORSOFIASUPERVISORSO' },
  { username: 'diego', displayName: 'Diego Paredes', role: 'agent', password: null, totpSecret: null },
];

/** diego's invitation, published like the other demo secrets (README, demo accounts). */
export const DEMO_INVITATION_TOKEN = 'diego-demo-invitation-2026';
