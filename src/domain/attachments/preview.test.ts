import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { PREVIEW_LIMITS, renderPreview } from './preview.js';

/** Noise, as in a photo saved as PNG: heavy when coded without loss. */
function noisyPng(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let i = 0; i < raw.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = seed >> 23;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

test('a screenshot is coded without loss: its pixels come back exactly', async () => {
  const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#000091' } })
    .composite([{ input: await noisyPng(40, 20), top: 10, left: 10 }])
    .png()
    .toBuffer();
  const preview = await renderPreview(png, 'image/png');
  const pixels = (image: Buffer) => sharp(image).removeAlpha().raw().toBuffer();
  assert.deepEqual(await pixels(preview), await pixels(png));
});

test('a photo saved as PNG, too heavy without loss, is coded with loss', async () => {
  const png = await noisyPng(1600, 1000);
  const preview = await renderPreview(png, 'image/png');
  assert.ok(preview.length <= PREVIEW_LIMITS.maxLosslessBytes, `${preview.length} bytes`);
  assert.deepEqual((await sharp(preview).metadata()).width, 1200);
});

test('a GIF has its own, lower pixel limit: it is decoded whole', async () => {
  const gif = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#ce0500' } })
    .gif()
    .toBuffer();
  const limits = { ...PREVIEW_LIMITS, maxGifPixels: 5_000 };
  await assert.rejects(renderPreview(gif, 'image/gif', limits), /pixel limit/);
  // The same size in PNG is within the general limit.
  const png = await sharp(gif).png().toBuffer();
  assert.equal((await sharp(await renderPreview(png, 'image/png', limits)).metadata()).width, 100);
});
