// The sealed case dossier in Chromium (issue #9): sofia opens a resolved demo case, downloads its dossier
// as a PDF and as JSON, and the JSON's signature verifies with the public key alone (and the whole dossier
// with the verifier script's checks); an agent sees no dossier panel. axe-clean and photographed in
// English and Spanish, light and dark. DSP-100028 is resolved in the demo data; an export changes no case
// (it only adds an audit entry), so other tests that read the case are not disturbed.
import { readFileSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Page, TestInfo } from '@playwright/test';
import type { SignedDossier } from '../../shared/api/types';
import { readSignedDossier, verifyDossier } from '../../scripts/verify-dossier';
import { expect, openSignedOut, test } from './fixtures/host';
import { saveScreenshot } from './fixtures/screenshots';
import { signIn, SPANISH } from './fixtures/signin';
import { seriousViolations, setTheme } from './fixtures/a11y';

test.describe.configure({ timeout: 180_000 });

const CASE = 'DSP-100028';

async function openCase(page: Page) {
  await expect(page.getByRole('searchbox').first()).toBeVisible({ timeout: 20_000 });
  await page.evaluate((caseId) => (window.location.hash = `#/cases/${caseId}`), CASE);
  await expect(page.getByRole('heading', { level: 1, name: CASE })).toBeVisible({ timeout: 15_000 });
}

/** Checked as a regulator would: the raw key from the file, Node's crypto, the RFC 8785 text of `dossier`. */
function signatureHolds({ dossier, signature }: SignedDossier): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(signature.publicKey, 'base64')]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  return verify(null, Buffer.from(canonicalize(dossier)!, 'utf8'), key, Buffer.from(signature.value, 'base64'));
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await saveScreenshot(page, testInfo, `dossier-${name}`);
}

test('sofia downloads the dossier of a resolved case as PDF and JSON, and the JSON verifies', async ({ page, host }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 1400 });
  await openSignedOut(page, host);
  await signIn(page, host, 'sofia');
  await openCase(page);
  const panel = page.getByRole('region', { name: 'Sealed dossier' });
  await expect(panel).toBeVisible();
  await panel.scrollIntoViewIfNeeded();

  const pdfDownload = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download dossier (PDF)' }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toBe(`${CASE}-dossier.pdf`);
  const pdfBytes = readFileSync(await pdf.path());
  expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // The keyboard reaches the JSON button too.
  const jsonButton = panel.getByRole('button', { name: 'Download dossier (JSON)' });
  await jsonButton.focus();
  const jsonDownload = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const json = await jsonDownload;
  expect(json.suggestedFilename()).toBe(`${CASE}-dossier.json`);
  const signed = JSON.parse(readFileSync(await json.path(), 'utf8')) as SignedDossier;
  expect(signed.dossier.case).toMatchObject({ id: CASE, status: 'resolved' });
  expect(signed.dossier.generatedBy).toMatchObject({ username: 'sofia', role: 'supervisor' });
  expect(signatureHolds(signed)).toBe(true);
  const verification = verifyDossier(signed as unknown as Parameters<typeof verifyDossier>[0]);
  expect(verification.checks.filter((check) => !check.ok)).toEqual([]);
  // The PDF carries a dossier that verifies the same way.
  expect(verifyDossier(readSignedDossier(pdfBytes)).ok).toBe(true);

  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'en-light');
  await setTheme(page, 'dark', { settings: 'Settings', theme: 'Theme' });
  await panel.scrollIntoViewIfNeeded();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, 'en-dark');
  await setTheme(page, 'light', { settings: 'Settings', theme: 'Theme' });
});

test('an agent sees no dossier panel on a resolved case', async ({ page, host }) => {
  await openSignedOut(page, host);
  await signIn(page, host, 'ana');
  await openCase(page);
  await expect(page.getByRole('region', { name: 'Chat' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sealed dossier' })).toHaveCount(0);
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });

  test('carla descarga el expediente sellado en español, claro y oscuro', async ({ page, host }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 1400 });
    await openSignedOut(page, host);
    await signIn(page, host, 'carla', SPANISH);
    await openCase(page);
    const panel = page.getByRole('region', { name: 'Expediente sellado' });
    await expect(panel).toBeVisible();
    await panel.scrollIntoViewIfNeeded();
    const download = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Descargar expediente (JSON)' }).click();
    const signed = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as SignedDossier;
    expect(signed.dossier.generatedBy).toMatchObject({ username: 'carla', role: 'compliance' });
    expect(signatureHolds(signed)).toBe(true);
    await expect(panel.getByRole('button', { name: 'Descargar expediente (PDF)' })).toBeEnabled();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'es-light');
    await setTheme(page, 'dark', { settings: 'Configuración', theme: 'Tema' });
    await panel.scrollIntoViewIfNeeded();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, testInfo, 'es-dark');
    await setTheme(page, 'light', { settings: 'Configuración', theme: 'Tema' });
  });
});
