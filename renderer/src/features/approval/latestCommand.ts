// The supervisor's latest command of some kinds on a case, while the screen should still speak about it
// (on its way, waiting for a fresh code, or refused); a confirmed one has said all it had to.
import type { OutboxEntry, OutboxKind } from '../../../../shared/desk-api/schemas';

export function latestUnsettled(outbox: OutboxEntry[], kinds: readonly OutboxKind[]): OutboxEntry | null {
  const latest = outbox
    .filter((entry) => kinds.includes(entry.kind))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return latest && latest.state !== 'confirmed' ? latest : null;
}
