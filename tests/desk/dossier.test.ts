// The desk's 'case.dossier' channel (issue #9): supervisors and compliance get a decided case's signed
// dossier as a file to save, PDF or JSON, checked on the way; agents are refused before the server is asked.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dossierHandlers } from '../../electron/desk/dossier/handlers';
import { joinHandlers, withInputChecks } from '../../electron/desk/handlers';
import { signedDossier } from '../../shared/api/responses';
import { addCase, addUser, freshCode, tempDir, type TestUser } from '../server/harness';
import { call, claim } from '../server/fixtures/case-api';
import { openTestDesk, signIn, startPlatform, type Platform, type TestDesk } from './outbox-harness';

let platform: Platform;
let ana: TestUser;
let caseId: string;
const opened: TestDesk[] = [];
const dataDirs: string[] = [];

async function handlersFor(user: TestUser) {
  const dataDir = tempDir('dd-desk-dossier-');
  dataDirs.push(dataDir);
  const desk = openTestDesk(dataDir, platform.proxy.url);
  opened.push(desk);
  await signIn(desk, platform.server, user);
  return withInputChecks(joinHandlers(dossierHandlers({ api: desk.api, session: desk.session })));
}

beforeEach(async () => {
  platform = await startPlatform();
  ana = addUser(platform.server.ctx, 'agent');
  caseId = addCase(platform.server.ctx);
  expect((await claim(platform.server, ana, caseId)).status).toBe(200);
  const decided = await call(
    platform.server,
    ana,
    'POST',
    `/v1/cases/${caseId}/verdict`,
    { outcome: 'refund', reasonCode: 'payment_not_received', rationale: 'No payment arrived.', totp: freshCode(platform.server, ana) },
    { 'idempotency-key': 'dossier-desk-1' },
  );
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
});

afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
  for (const dataDir of dataDirs.splice(0)) fs.rmSync(dataDir, { recursive: true, force: true });
  await platform.close();
});

const exports = () =>
  platform.proxy.requests.filter((request) => request.path === `/v1/cases/${caseId}/dossier`).length;

describe("the desk's case.dossier", () => {
  it('hands a supervisor the PDF and a compliance reviewer the signed JSON', async () => {
    const sofia = await handlersFor(addUser(platform.server.ctx, 'supervisor'));
    const pdf = await sofia['case.dossier']!({ caseId, format: 'pdf' });
    expect(pdf).toMatchObject({ fileName: `${caseId}-dossier.pdf`, mime: 'application/pdf' });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const carla = await handlersFor(addUser(platform.server.ctx, 'compliance'));
    const json = await carla['case.dossier']!({ caseId, format: 'json' });
    expect(json).toMatchObject({ fileName: `${caseId}-dossier.json`, mime: 'application/json' });
    const signed = signedDossier.parse(JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8')));
    expect(signed.dossier.verdict).toMatchObject({ outcome: 'refund', reasonCode: 'payment_not_received' });
  });

  it('refuses an agent without asking the server, and words a case not yet decided', async () => {
    const agent = await handlersFor(ana);
    await expect(agent['case.dossier']!({ caseId, format: 'json' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(exports()).toBe(0);
    const sofia = await handlersFor(addUser(platform.server.ctx, 'supervisor'));
    const open = addCase(platform.server.ctx);
    await expect(sofia['case.dossier']!({ caseId: open, format: 'pdf' })).rejects.toMatchObject({ code: 'case_not_decided' });
    await expect(sofia['case.dossier']!({ caseId: '../x', format: 'pdf' } as never)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
