// Response shapes of the platform API v1 (DESIGN §2, a contract), as types. The schemas in ./responses.ts
// are the one declaration; these names are what the rest of the code imports.
import type { z } from 'zod';
import type * as schemas from './responses';

export type UserRef = z.infer<typeof schemas.userRef>;
export type Me = z.infer<typeof schemas.me>;
/** GET /v1/users: a person and the number of unresolved cases they hold. */
export type UserWorkload = z.infer<typeof schemas.userWorkload>;
export type UserList = z.infer<typeof schemas.userList>;
/** POST /v1/auth/login: the password was right; a TOTP code (or a backup code) comes next. */
export type LoginResult = z.infer<typeof schemas.loginResult>;
/** POST /v1/auth/totp: a session. `backupCodes` only in the answer that confirms an enrolment. */
export type SignInResult = z.infer<typeof schemas.signInResult>;
/** POST /v1/auth/invitation: an enrolment attempt with its fresh secret. */
export type InvitationResult = z.infer<typeof schemas.invitationResult>;
export type Account = z.infer<typeof schemas.account>;
export type AccountList = z.infer<typeof schemas.accountList>;
export type InvitedAccount = z.infer<typeof schemas.invitedAccount>;
export type BackupCodeSet = z.infer<typeof schemas.backupCodeSet>;
export type CaseFlags = z.infer<typeof schemas.caseFlags>;
export type CaseSummary = z.infer<typeof schemas.caseSummary>;
export type Party = z.infer<typeof schemas.party>;
export type Trade = z.infer<typeof schemas.trade>;
export type Escrow = z.infer<typeof schemas.escrow>;
export type EscrowSettlement = z.infer<typeof schemas.escrowSettlement>;
export type Message = z.infer<typeof schemas.message>;
export type Evidence = z.infer<typeof schemas.evidence>;
export type LivenessCheck = z.infer<typeof schemas.livenessCheck>;
export type KytAlert = z.infer<typeof schemas.kytAlert>;
export type KytAlertDetail = z.infer<typeof schemas.kytAlertDetail>;
export type KytRule = z.infer<typeof schemas.kytRule>;
export type KytRuleSet = z.infer<typeof schemas.kytRuleSet>;
export type PartyTrade = z.infer<typeof schemas.partyTrade>;
export type Counterparty = z.infer<typeof schemas.counterparty>;
export type Report = z.infer<typeof schemas.report>;
export type Note = z.infer<typeof schemas.note>;
export type Verdict = z.infer<typeof schemas.verdict>;
export type CaseDetail = z.infer<typeof schemas.caseDetail>;
/** POST /v1/cases/{id}/verdict, /verdict/approve and /verdict/reject: the case after the change. */
export type VerdictResponse = z.infer<typeof schemas.verdictResponse>;
export type SyncChange = z.infer<typeof schemas.syncChange>;
export type SyncPage = z.infer<typeof schemas.syncPage>;
export type AuditEntry = z.infer<typeof schemas.auditEntry>;
export type AuditVerification = z.infer<typeof schemas.auditVerification>;
export type Checkpoint = z.infer<typeof schemas.checkpoint>;
export type DossierVerdict = z.infer<typeof schemas.dossierVerdict>;
export type DossierProof = z.infer<typeof schemas.dossierProof>;
export type CaseDossier = z.infer<typeof schemas.caseDossier>;
/** GET /v1/cases/{id}/dossier: the dossier and the server's signature over it. */
export type SignedDossier = z.infer<typeof schemas.signedDossier>;
export type ApiErrorBody = z.infer<typeof schemas.apiErrorBody>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type VerdictRecord = z.infer<typeof schemas.verdictRecord>;
export type VerdictPage = z.infer<typeof schemas.verdictPage>;
export type Delivery = z.infer<typeof schemas.delivery>;
export type DeliveryLog = z.infer<typeof schemas.deliveryLog>;
export type AgentFigures = z.infer<typeof schemas.agentFigures>;
export type VerdictFigures = z.infer<typeof schemas.verdictFigures>;
export type ReviewScorecard = z.infer<typeof schemas.reviewScorecard>;
export type ReviewItem = z.infer<typeof schemas.reviewItem>;
export type ReviewWeek = z.infer<typeof schemas.reviewWeek>;
