// The sealed case dossier (issue #9): what names its format and what its signature covers, shared by the
// server that signs it, the desk that saves it and anyone who checks it (scripts/verify-dossier.ts).

/** The dossier's `format`: a verifier refuses a document of another kind or version. */
export const DOSSIER_FORMAT = 'dispute-desk/case-dossier/v1';

/**
 * What `signature.value` signs, stated in the signature itself so that a reader needs no other document:
 * the ed25519 signature of the UTF-8 bytes of the RFC 8785 canonical JSON of the `dossier` member. A
 * canonical JSON text has no line breaks, and a checkpoint's signed text (checkpointText) always has
 * several, so a signature over one can never be passed off as a signature over the other.
 */
export const DOSSIER_SIGNED_TEXT = 'RFC 8785 canonical JSON of "dossier", UTF-8';

export const DOSSIER_FORMATS = ['json', 'pdf'] as const;
export type DossierFormat = (typeof DOSSIER_FORMATS)[number];
