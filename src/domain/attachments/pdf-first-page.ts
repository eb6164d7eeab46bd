/**
 * A PDF's first page drawn as a PNG by pdf.js (pdf-parse 2.x, which runs on Node 20, with its
 * @napi-rs/canvas), in a worker thread: a PDF that loops or takes too long gets the thread terminated.
 *
 * Why a drawn page rather than the browser's own viewer in a frame: Chromium refuses its PDF viewer
 * in a sandboxed frame and under a `sandbox` CSP, so showing the original PDF inline would mean
 * serving a sent file unsandboxed from the portal's origin, and opening the portal's CSP to frames
 * (`frame-src`, `frame-ancestors`). An image the portal re-encodes keeps both closed.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { codeDir } from '../../paths.js';

export type PdfPageLimits = { maxSide: number; timeoutMs: number; idleMs: number };

export const PDF_PAGE_LIMITS: PdfPageLimits = { maxSide: 1200, timeoutMs: 10_000, idleMs: 60_000 };

/** One thread, kept while previews are asked for (loading pdf.js takes a while), ended when idle. */
export class PdfFirstPage {
  private worker: Worker | null = null;
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly limits: PdfPageLimits = PDF_PAGE_LIMITS) {}

  /** The first page as PNG bytes; rejects when the file cannot be drawn in time. Callers send one file at a time. */
  draw(pdf: Buffer): Promise<Buffer> {
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker ?? this.start();
    return new Promise<Buffer>((resolve, reject) => {
      const done = (settle: () => void, broken: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (broken) this.stop(worker);
        else this.idle = setTimeout(() => this.stop(worker), this.limits.idleMs).unref();
        settle();
      };
      const onMessage = (m: { png?: Uint8Array; error?: string }) =>
        done(() => (m.png ? resolve(Buffer.from(m.png)) : reject(new Error(m.error ?? 'no page'))), false);
      const onError = (error: Error) => done(() => reject(error), true);
      const onExit = (code: number) => done(() => reject(new Error(`PDF drawing stopped (code ${code})`)), true);
      const timer = setTimeout(
        () => done(() => reject(new Error(`PDF drawing stopped after ${this.limits.timeoutMs} ms`)), true),
        this.limits.timeoutMs,
      );
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      // A copy goes to the thread: the caller's buffer may be a slice of a shared pool.
      worker.postMessage({ data: new Uint8Array(pdf), maxSide: this.limits.maxSide });
    });
  }

  private start(): Worker {
    // The worker lives in jobs/ with the other one: the build copies worker files from there.
    const worker = new Worker(join(codeDir, 'jobs', 'pdf-first-page-worker.mjs'), {
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    // An idle thread does not keep the process alive; a drawing under way does, through its timer.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private stop(worker: Worker) {
    if (this.worker === worker) this.worker = null;
    void worker.terminate();
  }

  async close() {
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}
