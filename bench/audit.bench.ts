// What signing the audit chain's head costs a write (issue #9): every ctx.write() that appends audit entries
// signs a checkpoint (ed25519) in the same transaction, after checking the new entries extend the last one.
// Figure: writes of one audit entry through ctx.write(); baseline: the same writes in a plain BEGIN
// IMMEDIATE transaction with no checkpoint, on a database file of its own in the same run.
import path from 'node:path';
import { appendAudit } from '../electron/server/audit/chain';
import { defaultConfig } from '../electron/server/config';
import { createContext } from '../electron/server/context';
import { openDatabase, writeTransaction } from '../electron/server/db/open';
import { compare, timed, type Comparison } from './measure';

const WRITES = 2_000;

const event = (i: number) => ({ actor: 'USR-bench', action: 'bench.write', subject: `DSP-${i}`, data: { i } });

export async function runAuditBenchmarks(dataDir: string): Promise<Comparison[]> {
  const signedDb = openDatabase(path.join(dataDir, 'signed.db'));
  const plainDb = openDatabase(path.join(dataDir, 'plain.db'));
  const ctx = createContext(signedDb, defaultConfig({ dataDir, logLevel: 'silent' }));
  try {
    ctx.signer();
    const signedSeconds = await timed(() => {
      for (let i = 0; i < WRITES; i++) ctx.write(() => appendAudit(signedDb, new Date(), event(i)));
    });
    const plainSeconds = await timed(() => {
      for (let i = 0; i < WRITES; i++) writeTransaction(plainDb, () => appendAudit(plainDb, new Date(), event(i)));
    });
    return [
      compare(
        'audit writes with a signed checkpoint',
        { name: `one audit entry per ctx.write(), checkpoint signed (${WRITES})`, value: WRITES / signedSeconds, unit: 'writes/s' },
        { name: `the same writes without a checkpoint (${WRITES})`, value: WRITES / plainSeconds, unit: 'writes/s' },
        'synchronous=FULL on both: the fsync of each commit dominates; the signature rides in the same transaction.',
      ),
    ];
  } finally {
    ctx.checkpoints.flush();
    signedDb.close();
    plainDb.close();
  }
}
