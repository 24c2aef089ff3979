// desk-evidence://file/<sha256>: evidence bytes from the desk worker's store, never a file path (DESIGN §5).
import { protocol } from 'electron';
import { EVIDENCE_SCHEME, evidenceShaFromUrl } from '../../shared/desk-api/evidence-url';
import { EVIDENCE_CONTENT_HEADERS, evidenceCorsHeaders, safeEvidenceMime } from '../common/security';

export type EvidenceSource = (sha256: string) => Promise<{ bytes: Uint8Array; mime: string } | null>;

export function serveEvidenceFrom(evidenceFile: EvidenceSource, appOrigin: string): void {
  protocol.handle(EVIDENCE_SCHEME, async (request) => {
    const sha256 = evidenceShaFromUrl(request.url);
    if (sha256 === null || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const file = await evidenceFile(sha256);
    if (file === null) return new Response('Not found', { status: 404 });
    // A copy into a fresh ArrayBuffer: the Response must not see the rest of a pooled buffer.
    return new Response(file.bytes.slice(), {
      headers: {
        ...EVIDENCE_CONTENT_HEADERS,
        ...evidenceCorsHeaders(appOrigin),
        'Content-Type': safeEvidenceMime(file.mime),
      },
    });
  });
}
