// Who issued each user's current credentials (four-eyes, issue #11). A supervisor who creates an account or
// resets its 2FA holds the invitation that enrols it, so they could enrol as that person: the approval of a
// four-eyes verdict refuses them (cases/approval.ts). Set with every invitation issued (auth/enrolment.ts);
// null for accounts no supervisor issued (the seed's, those enrolled before invitations existed).
import type { Migration } from '../../../../shared/db/migrations';

export const credentialsIssuer: Migration = {
  version: 15,
  name: 'credentials-issuer',
  up: `
    ALTER TABLE users ADD COLUMN credentials_issued_by TEXT REFERENCES users(id);

    -- Accounts invited before this migration: their newest invitation says who issued what they hold now.
    UPDATE users SET credentials_issued_by = (
      SELECT created_by FROM invitations WHERE invitations.user_id = users.id
      ORDER BY created_at DESC, rowid DESC LIMIT 1
    );
  `,
};
