// The 'audit.*' channels (issue #9): the desk's own check of the audit chain, for supervisors only (DESIGN
// §4: reading and verifying the audit log is theirs).
import { DeskFailure, type DeskHandlers } from '../handlers';
import type { DeskSession } from '../session';
import type { AuditVerifier } from './verifier';

export function auditHandlers(verifier: AuditVerifier, session: DeskSession): DeskHandlers {
  function requireSupervisor() {
    if (session.requireUser().role !== 'supervisor') {
      throw new DeskFailure('forbidden', 'Only supervisors can check the audit chain.');
    }
  }
  return {
    'audit.status': () => {
      requireSupervisor();
      return verifier.status();
    },
    'audit.verify': () => {
      requireSupervisor();
      return verifier.verify();
    },
    'audit.trustKey': ({ fingerprint }) => {
      requireSupervisor();
      return verifier.trustKey(fingerprint);
    },
  };
}
