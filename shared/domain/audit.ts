// The audit chain's fixed points, shared by the server that writes it and the desk that checks it on its own
// (DESIGN §2, issue #9).

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface CheckpointHead {
  origin: string;
  seq: number;
  hash: string;
  at: string;
}

/**
 * The text a checkpoint's signature covers, as C2SP checkpoints lay it out: origin, tree size (here the
 * sequence number of the head entry), head hash and time, one per line, each ending in a newline.
 */
export function checkpointText({ origin, seq, hash, at }: CheckpointHead): string {
  return `${origin}\n${seq}\n${hash}\n${at}\n`;
}
