// Who could control a person's sign-in (four-eyes, issue #11; the rule is in cases/approval.ts). Whoever
// holds an invitation can enrol as its account, so the issuer of a person's current credentials
// (users.credentials_issued_by: the supervisor who created the account or last reset its 2FA) can act as
// them, and so can whoever issued the issuer's credentials, and so on up. That list is the person's issuer
// chain. The platform's set-up (the seed, the `invite` command: a service account) and accounts nobody
// issued (NULL) are not people and end a chain.
import type { Db } from '../db/open';
import { prepared } from './statements';

/**
 * The people in the user's issuer chain, nearest first, without the user (unless a cycle leads back). No
 * fixed depth: a chain longer than any cap would leave its far end unseen (a supervisor making 33 accounts
 * in a row would escape a cap of 32). A chain without a cycle is at most as long as the list of users, so
 * that count ends the walk round a cycle (A resets B's 2FA, then B resets A's), each person listed once.
 */
export function issuerChainOf(db: Db, userId: string): string[] {
  const rows = prepared(
    db,
    `WITH RECURSIVE chain(person, depth) AS (
       SELECT credentials_issued_by, 1 FROM users WHERE id = @userId
       UNION
       SELECT issuer.credentials_issued_by, chain.depth + 1
       FROM chain JOIN users AS issuer ON issuer.id = chain.person
       WHERE issuer.kind = 'person' AND chain.depth <= (SELECT COUNT(*) FROM users)
     )
     SELECT person FROM chain JOIN users ON users.id = chain.person AND users.kind = 'person'
     GROUP BY person ORDER BY MIN(depth)`,
  ).all({ userId }) as { person: string }[];
  return rows.map((row) => row.person);
}
