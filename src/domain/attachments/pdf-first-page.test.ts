import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { PdfFirstPage } from './pdf-first-page.js';

const pdf = async () => {
  const doc = await PDFDocument.create();
  doc.addPage([842, 595]);
  return Buffer.from(await doc.save());
};

const slowLimits = { maxSide: 300, timeoutMs: 1, idleMs: 1000 };
const slow = new PdfFirstPage(slowLimits);
const drawer = new PdfFirstPage({ maxSide: 600, timeoutMs: 20_000, idleMs: 1000 });
after(() => Promise.all([slow.close(), drawer.close()]));

test('the first page is drawn as a PNG that fits the square', async () => {
  const png = await drawer.draw(await pdf());
  const meta = await sharp(png).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.width, 600);
  assert.ok(Math.abs(Number(meta.height) - 424) <= 1, `height ${meta.height}`);
});

test('a drawing over its time is stopped, and the next one gets a new thread', async () => {
  await assert.rejects(slow.draw(await pdf()), /PDF drawing stopped after 1 ms/);
  await assert.rejects(slow.draw(await pdf()), /PDF drawing stopped after 1 ms/);
  // Given time again, it draws: the stopped thread did not stay in the way.
  slowLimits.timeoutMs = 20_000;
  assert.equal((await sharp(await slow.draw(await pdf())).metadata()).width, 300);
});

test('a file that is not a PDF is refused, and the thread draws the next one', async () => {
  await assert.rejects(drawer.draw(Buffer.from('%PDF-1.7\nnot really\n%%EOF\n')));
  assert.equal((await sharp(await drawer.draw(await pdf())).metadata()).format, 'png');
});
