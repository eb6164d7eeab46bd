/**
 * Image and PDF attachments seen on the request page without downloading them: the preview loads,
 * fits a phone's width, passes axe, and needs no JavaScript; the desk sees the requester's files too.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expectNoAxeViolations, fileRequest, type Harness, startHarness } from './support/browser.js';

const NAME = 'ecran-erreur.png';
const PDF_NAME = 'attestation.pdf';
const ALTS = [`Aperçu de ${NAME}`, `Aperçu de la première page de ${PDF_NAME}`];

/** A screenshot wider than any phone: a page with a blue title bar and a red error box. */
async function writeScreenshot(dir: string): Promise<string> {
  const bar = await sharp({ create: { width: 1600, height: 90, channels: 3, background: '#000091' } })
    .png()
    .toBuffer();
  const box = await sharp({ create: { width: 700, height: 200, channels: 3, background: '#ce0500' } })
    .png()
    .toBuffer();
  const png = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#f6f6f6' } })
    .composite([
      { input: bar, top: 0, left: 0 },
      { input: box, top: 400, left: 450 },
    ])
    .png()
    .toBuffer();
  const path = join(dir, NAME);
  writeFileSync(path, png);
  return path;
}

/** A one-page PDF with a title. */
async function writePdf(dir: string): Promise<string> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Attestation de formation', { x: 60, y: 760, size: 24, font: await doc.embedFont(StandardFonts.HelveticaBold) });
  const path = join(dir, PDF_NAME);
  writeFileSync(path, await doc.save());
  return path;
}

/** Every preview of the page: scrolled to (they load lazily), loaded, and within the viewport's width. */
async function expectPreviewsShown(page: Page, viewportWidth: number) {
  for (const alt of ALTS) await expectShown(page, alt, viewportWidth);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide)`);
}

async function expectShown(page: Page, alt: string, viewportWidth: number) {
  const previews = page.getByRole('img', { name: alt, exact: true });
  const count = await previews.count();
  assert.ok(count >= 1, `the page shows « ${alt} »`);
  for (let i = 0; i < count; i++) {
    const img = previews.nth(i);
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => (el as HTMLImageElement).complete, await img.elementHandle());
    const shown = await img.evaluate((el: HTMLImageElement) => ({
      natural: el.naturalWidth,
      width: el.getBoundingClientRect().width,
      right: el.getBoundingClientRect().right,
      link: el.closest('a')?.getAttribute('href') ?? '',
    }));
    assert.ok(shown.natural > 0, 'the preview has loaded');
    assert.ok(shown.natural <= 1200, `the preview is the reduced copy (${shown.natural} px)`);
    assert.ok(shown.right <= viewportWidth, `the preview stays within the screen (${shown.right} > ${viewportWidth})`);
    assert.match(shown.link, /^\/pieces-jointes\/\d+$/, 'the preview leads to the download');
  }
}

describe('attachment previews on the request page', () => {
  let h: Harness;
  let number: number;

  before(async () => {
    h = await startHarness();
    const requester = await h.person('demandeur');
    number = await fileRequest(requester, {
      subject: 'Message d’erreur à l’enregistrement',
      application: 'CERES',
      blocking: false,
      description: 'La capture montre le message.',
      files: [await writeScreenshot(h.filesDir), await writePdf(h.filesDir)],
    });
  });
  after(() => h?.stop());

  test('the requester sees the preview at 1280 px, and axe finds nothing', async () => {
    const page = await h.person('demandeur');
    await page.goto(`/demandes/${number}`);
    await expectPreviewsShown(page, 1280);
    await expectNoAxeViolations(page);
  });

  test('at 375 px the preview loads and fits the screen', async () => {
    const page = await h.person('demandeur', { viewport: { width: 375, height: 800 } });
    await page.goto(`/demandes/${number}`);
    await expectPreviewsShown(page, 375);
  });

  // At this width the summary table (« Informations de la demande ») scrolls in a frame that cannot take
  // the focus: axe's scrollable-region-focusable, on a page without attachments as well. Kept visible here
  // until the table is mended; the previews themselves add no violation (see the other widths).
  test('at 375 px axe finds nothing', async () => {
    const page = await h.person('demandeur', { viewport: { width: 375, height: 800 } });
    await page.goto(`/demandes/${number}`);
    await expectNoAxeViolations(page);
  });

  test('the desk sees the requester’s preview', async () => {
    const page = await h.person('agent');
    await page.goto(`/demandes/${number}`);
    await expectPreviewsShown(page, 1280);
    await expectNoAxeViolations(page);
  });

  test('without JavaScript the preview is shown all the same, at both widths', async () => {
    const wide = await h.person('demandeur', { javaScript: false });
    await wide.goto(`/demandes/${number}`);
    await expectPreviewsShown(wide, 1280);
    await expectNoAxeViolations(wide);
    const narrow = await h.person('demandeur', { javaScript: false, viewport: { width: 375, height: 800 } });
    await narrow.goto(`/demandes/${number}`);
    await expectPreviewsShown(narrow, 375);
  });
});
