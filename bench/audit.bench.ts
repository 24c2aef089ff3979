// What signing the audit chain's head costs a write (issue #9): every ctx.write() that appends audit entries
// signs a checkpoint (ed25519) in the same transaction, after checking the new entries extend the last one.
// Figure: writes of one audit entry through ctx.write(); baseline: the same writes in a plain BEGIN
// IMMEDIATE transaction with no checkpoint, on a database file of its own in the same run.
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { appendAudit, verifyAuditChain, verifyAuditChainInSlices } from '../electron/server/audit/chain';
import type { Db } from '../electron/server/db/open';
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
      await benchVerification(path.join(dataDir, 'long.db')),
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

/** Entries of the long log /v1/audit/verify is measured on; a million takes about five times as long. */
const LONG_LOG = 200_000;

function appendLongLog(db: Db): void {
  writeTransaction(db, () => {
    for (let i = 0; i < LONG_LOG; i++) appendAudit(db, new Date(), event(i));
  });
}

/**
 * /v1/audit/verify at 200,000 entries (issue #11): the chain hashed in slices with a turn of the event loop
 * between them. Figure: the longest the event loop was held during the sliced verification; baseline: how
 * long the same verification in one piece holds it (all of its duration). Both also give their total time.
 */
async function benchVerification(file: string): Promise<Comparison> {
  const db = openDatabase(file);
  try {
    appendLongLog(db);
    let whole = 0;
    const wholeSeconds = await timed(() => {
      whole = verifyAuditChain(db).checked;
    });
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    let sliced = 0;
    const slicedSeconds = await timed(async () => {
      sliced = (await verifyAuditChainInSlices(db)).checked;
    });
    delay.disable();
    return compare(
      'audit verification of a long log',
      { name: `longest event-loop block while verifying ${sliced} entries in slices (total ${slicedSeconds.toFixed(2)} s)`, value: delay.max / 1e6, unit: 'ms' },
      { name: `event-loop block of the same ${whole} entries verified in one piece`, value: wholeSeconds * 1000, unit: 'ms' },
      'Lower is better. At 1,000,000 entries the one-piece block grows about fivefold; a slice stays the same size (2,000 entries).',
    );
  } finally {
    db.close();
  }
}
