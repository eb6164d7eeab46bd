// Runs in a worker thread so that a hostile PDF can be stopped: the parent terminates it after a timeout.
import { parentPort, workerData } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';

const { data, maxPages } = workerData;
const parser = new PDFParse({ data });
try {
  const result = await parser.getText({ first: maxPages, pageJoiner: '' });
  parentPort.postMessage({ text: result.text, pages: result.total });
} finally {
  await parser.destroy();
}
