// `--seed demo|load`: the demo data set (DESIGN §4), plus N generated cases for benchmarks with `load`.
// Idempotent: a store that already holds the demo data (or the load cases) is left as it is, so the app
// can ask for the seed on every start.
import type { FastifyBaseLogger } from 'fastify';
import type { SeedMode } from '../server/config';
import type { ServerContext } from '../server/context';
import { DEMO_ACCOUNTS, DEMO_INVITATION_TOKEN } from './accounts';
import { buildDemoPlan } from './demo-plan';
import { writeDemoPlan } from './demo-writer';
import { seedLoadCases } from './load';
import { readSeedMarker, writeSeedMarker } from './marker';
import { renderFiles } from './render-files';

export type SeedLogger = Pick<FastifyBaseLogger, 'info' | 'warn'>;

/** Seeds the demo data set unless it is there already. */
function seedDemo(ctx: ServerContext, log: SeedLogger): void {
  const existing = readSeedMarker(ctx.db, 'demo');
  if (existing) {
    log.info(`Demo data already seeded at ${existing.seededAt}; nothing to do.`);
    return;
  }
  const started = performance.now();
  const plan = buildDemoPlan(ctx.now(), ctx.config);
  const files = renderFiles(plan.files);
  const counts = ctx.write(() => {
    const written = writeDemoPlan(ctx, plan, files);
    writeSeedMarker(ctx.db, 'demo', { seededAt: ctx.now().toISOString(), count: written.cases });
    return written;
  });
  log.info(`Seeded the demo data set in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
}

export async function seedDatabase(
  ctx: ServerContext,
  mode: Exclude<SeedMode, 'none'>,
  loadCases: number,
  log: SeedLogger,
): Promise<void> {
  log.warn(
    `Demo accounts with published passwords and TOTP secrets are seeded (${DEMO_ACCOUNTS.map((account) => account.username).join(', ')}). ` +
      'Never expose this server beyond this machine.',
  );
  log.info(`diego enrols with the demo invitation ${DEMO_INVITATION_TOKEN} ("I have an invitation" in the desk).`);
  seedDemo(ctx, log);
  if (mode === 'load') seedLoadCases(ctx, loadCases, log);
}
