// Draws a PDF's first page in a worker thread, one file per message, so that a hostile PDF can be
// stopped: the parent terminates the thread when its time is up and starts another for the next file.
import { parentPort } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';

parentPort.on('message', async ({ data, maxSide }) => {
  // No code generated from the file's fonts (pdf.js's eval path), and no image larger than 25 megapixels drawn.
  const parser = new PDFParse({ data, isEvalSupported: false, maxImageSize: 25_000_000, stopAtErrors: true });
  try {
    const info = await parser.getInfo({ parsePageInfo: true, first: 1 });
    const page = info.pages?.[0];
    if (!(page?.width > 0 && page?.height > 0)) throw new Error('no first page');
    // The scale that fits the page in the preview's square: a page 20 points wide and 14,400 tall
    // would otherwise be drawn 1,200 pixels wide and 864,000 tall.
    const scale = Math.min(maxSide / page.width, maxSide / page.height);
    const shot = await parser.getScreenshot({ partial: [1], scale, imageBuffer: true, imageDataUrl: false });
    const png = shot.pages[0]?.data;
    if (!png?.length) throw new Error('first page not drawn');
    parentPort.postMessage({ png });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    await parser.destroy().catch(() => {});
  }
});
