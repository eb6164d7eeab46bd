// Reads PDF text in a worker thread, one file per message, so that a hostile PDF can be stopped:
// the parent terminates the thread when its time is up and starts another for the next file.
import { parentPort } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';

parentPort.on('message', async ({ data, maxPages }) => {
  const parser = new PDFParse({ data });
  try {
    const result = await parser.getText({ first: maxPages, pageJoiner: '' });
    parentPort.postMessage({ text: result.text });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    await parser.destroy().catch(() => {});
  }
});
