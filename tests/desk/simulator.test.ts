// The market simulator for a minute of real time against the real platform server on a loopback port, with
// a desk signed in and syncing: the disputes it opens reach the desk's queue while it runs, every escrow
// the trades locked, released or refunded still balances in the ledger, and the audit chain verifies.
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { checkLedger } from '../../electron/server/ledger/escrow';
import { runSimulator } from '../../electron/simulator/run';
import { addUser, bearer } from '../server/harness';
import {
  addDeskUser,
  caughtUp,
  openDesk,
  recordEvents,
  signIn,
  startLiveServer,
  unwrap,
} from './fixtures/live-desk';

const SECRET = 'simulator-test-platform-secret';
const METAMAP_SECRET = 'simulator-test-metamap-secret';
const RUN_MS = 60_000;

describe('the market simulator against a server with the desk syncing', () => {
  it('brings new disputes into the desk’s queue while the ledger balances and the audit chain verifies', async () => {
    const server = await startLiveServer({
      platformEventsSecrets: [SECRET],
      metamapWebhookSecret: METAMAP_SECRET,
    });
    const testDesk = await openDesk(server.url);
    const { desk } = testDesk;
    try {
      await signIn(desk, addDeskUser(server, 'agent'));
      const changed = recordEvents(desk, 'cases.changed');
      const lines: string[] = [];

      const summary = await runSimulator({
        server: server.url,
        secret: SECRET,
        metamapSecret: METAMAP_SECRET,
        rate: 120,
        durationMs: RUN_MS,
        // Trades play twice as fast, so that the ones open at the minute's end finish soon after it.
        pace: 0.5,
        seed: '2026',
        onLine: (line) => lines.push(line),
      });
      const seenWhileRunning = new Set(changed.flatMap((event) => event.caseIds));

      expect(summary.errors, lines.filter((line) => line.startsWith('error')).join('\n')).toBe(0);
      expect(summary.trades).toBeGreaterThan(60);
      expect(summary.completed).toBeGreaterThan(0);
      expect(summary.cancelled).toBeGreaterThan(0);
      expect(summary.disputes).toBeGreaterThan(0);
      expect(summary.caseIds).toHaveLength(summary.disputes);
      // The desk heard of disputes as they opened, not only when asked at the end.
      expect(summary.caseIds.some((caseId) => seenWhileRunning.has(caseId))).toBe(true);

      const synced = caughtUp(testDesk, server);
      await desk.handle('sync.now');
      await synced;
      const queue = await unwrap(desk.handle('queue.query', { view: 'all', limit: 500 }));
      const queued = new Set(queue.rows.map((row) => row.id));
      expect(queue.total).toBe(summary.caseIds.length);
      for (const caseId of summary.caseIds) expect(queued.has(caseId), caseId).toBe(true);

      expect(checkLedger(server.ctx.db)).toEqual({ balanced: true, problems: [] });
      const supervisor = addUser(server.ctx, 'supervisor');
      const verify = await axios.get(`${server.url}/v1/audit/verify`, { headers: bearer(supervisor) });
      expect(verify.data).toMatchObject({ ok: true, firstBad: null });
      expect(verify.data.checked).toBeGreaterThan(summary.disputes);
    } finally {
      await desk.close();
      await server.close();
    }
  }, 180_000);
});
