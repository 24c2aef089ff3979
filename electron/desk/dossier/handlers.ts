// A decided case's sealed dossier (issue #9) for supervisors and compliance: fetched live from the server
// (each export is audited there) and handed to the renderer as a file to save, like a filed report.
import { ROUTES, pathOf } from '../../../shared/api/routes';
import { signedDossier } from '../../../shared/api/responses';
import type { PlatformApi } from '../api-client';
import { DeskFailure, type DeskHandlers } from '../handlers';
import type { DeskSession } from '../session';

const PDF_MAGIC = '%PDF-';
const MAY_EXPORT = ['compliance', 'supervisor'];

export function dossierHandlers(deps: { api: PlatformApi; session: DeskSession }): DeskHandlers {
  return {
    'case.dossier': async ({ caseId, format }) => {
      const user = deps.session.requireUser();
      if (!MAY_EXPORT.includes(user.role)) {
        throw new DeskFailure('forbidden', 'Only supervisors and compliance reviewers can export a case dossier.');
      }
      const { bytes } = await deps.api.getBytes(pathOf(ROUTES.caseDossier, { id: caseId }), { params: { format } });
      // The file goes to the user's disk as it came: check it is what its name will say it is.
      if (format === 'pdf' && bytes.subarray(0, PDF_MAGIC.length).toString('latin1') !== PDF_MAGIC) {
        throw new DeskFailure('malformed_answer', `The server did not send the dossier of ${caseId} as a PDF.`);
      }
      if (format === 'json') {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(bytes.toString('utf8'));
        } catch {
          // Reported below as a dossier the desk cannot read.
        }
        if (!signedDossier.safeParse(parsed).success) {
          throw new DeskFailure('malformed_answer', `The server sent the dossier of ${caseId} in a form the desk cannot read.`);
        }
      }
      return {
        fileName: `${caseId}-dossier.${format}`,
        mime: format === 'pdf' ? 'application/pdf' : 'application/json',
        base64: bytes.toString('base64'),
      };
    },
  };
}
