// `npm run server -- invite [--data DIR] --username U --role agent|compliance|supervisor --name "Display Name"`
// `npm run server -- invite [--data DIR] --user U`
//
// Invitations issued by the platform's set-up rather than by a supervisor (four-eyes, issue #11). Whoever
// holds an invitation can enrol as its account, so a supervisor may not approve a proposal by anyone they
// share an issuer chain with (cases/approval.ts): a team whose one supervisor enrolled everyone has nobody
// who may approve. Whoever runs the server starts the chains here instead: these invitations come from the
// set-up (USR-platform, a service account, not a person), which ends a chain. `--username` creates an
// account; `--user` re-issues an existing person's invitation (a 2FA reset by the set-up: their
// authenticator, backup codes and sign-ins end).
//
// One-shot: it never starts the server, and it may run while the server does (SQLite's write lock orders
// the two). The token goes to stdout and nowhere else; the audit entry (actor USR-platform) holds only
// its expiry.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAccountBody } from '../../shared/api/requests';
import type { ServerConfig } from './config';
import { createContext, type ServerContext } from './context';
import { PLATFORM_USER_ID } from './db/migrations/0008-platform-events';
import { openDatabase } from './db/open';
import { ApiError } from './errors';
import { findPersonIdByUsername } from './sql/users';
import { DATABASE_FILE } from './start';
import { createAccount, requireAccount, resetAccountTotp, type InvitedAccount, type NewAccount } from './users/accounts';

/** Bad input: the message says what to change. Nothing has been written. */
export class InviteInputError extends Error {
  readonly code = 'invalid_invite';
}

export type InviteRequest = { kind: 'new'; account: NewAccount } | { kind: 'reissue'; username: string };

const USAGE =
  'invite takes --username U --role agent|compliance|supervisor --name "Display Name" (a new account), ' +
  'or --user U (a new invitation for an existing account)';

const FLAG_OF_FIELD: Record<string, string> = { username: '--username', displayName: '--name', role: '--role' };

const newAccountInput = createAccountBody.omit({ totp: true });

/** The request the arguments make, checked by the same rules as POST /v1/accounts. */
export function parseInviteArgs(args: string[]): { dataDir: string; request: InviteRequest } {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
    },
    strict: true,
  });
  const dataDir = path.resolve(values.data ?? '.data/server');
  if (values.user !== undefined) {
    if (values.username !== undefined || values.role !== undefined || values.name !== undefined) {
      throw new InviteInputError(`--user re-issues an existing account's invitation: it takes no --username, --role or --name. ${USAGE}`);
    }
    if (values.user.trim() === '') throw new InviteInputError('--user: give the username of the account.');
    return { dataDir, request: { kind: 'reissue', username: values.user.trim() } };
  }
  if (values.username === undefined) throw new InviteInputError(USAGE);
  const parsed = newAccountInput.safeParse({ username: values.username, displayName: values.name, role: values.role });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = FLAG_OF_FIELD[String(issue.path[0])] ?? String(issue.path[0]);
    const message = issue.path[0] === 'role' ? 'give agent, compliance or supervisor.' : issue.message;
    throw new InviteInputError(`${flag}: ${message}`);
  }
  return { dataDir, request: { kind: 'new', account: parsed.data } };
}

/** Creates the account, or re-issues its invitation, as the platform's set-up. */
export function inviteFromSetUp(ctx: ServerContext, request: InviteRequest): InvitedAccount {
  const setUp = { id: PLATFORM_USER_ID };
  if (request.kind === 'new') {
    try {
      return createAccount(ctx, setUp, request.account);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'username_taken') {
        throw new InviteInputError(`--username: "${request.account.username}" is taken (--user re-issues its invitation).`);
      }
      throw error;
    }
  }
  const id = findPersonIdByUsername(ctx.db, request.username);
  if (!id) throw new InviteInputError(`--user: there is no account with the username "${request.username}".`);
  if (requireAccount(ctx, id).disabledAt) {
    throw new InviteInputError(`--user: "${request.username}" is disabled; a supervisor enables it first (People, Enable).`);
  }
  return resetAccountTotp(ctx, setUp, id);
}

function invitationNote({ account, invitation }: InvitedAccount, request: InviteRequest): string {
  const what = request.kind === 'new' ? 'Created' : 'Re-issued the invitation of';
  return [
    `${what} ${account.username} (${account.displayName}, ${account.role}), issued by the platform's set-up.`,
    ...(request.kind === 'reissue' ? ['Their authenticator, backup codes and sign-ins were ended.'] : []),
    `Invitation: ${invitation.token}`,
    `Expires: ${invitation.expiresAt}`,
    `Hand it over in person or by a channel you trust: whoever holds it can enrol as ${account.username}. ` +
      'It works once, until it expires ("I have an invitation" on the desk\'s sign-in screen).',
  ].join('\n');
}

export function runInvite(defaults: (dataDir: string) => ServerConfig, args: string[]): void {
  const { dataDir, request } = parseInviteArgs(args);
  const databaseFile = path.join(dataDir, DATABASE_FILE);
  // openDatabase would create an empty store: a mistyped --data must not become a new server.
  if (!fs.existsSync(databaseFile)) {
    throw new InviteInputError(`there is no server database at ${databaseFile}: give --data the server's data folder.`);
  }
  const db = openDatabase(databaseFile);
  try {
    const ctx = createContext(db, defaults(dataDir));
    ctx.signer();
    const invited = inviteFromSetUp(ctx, request);
    ctx.checkpoints.flush();
    console.log(invitationNote(invited, request));
  } finally {
    db.close();
  }
}
