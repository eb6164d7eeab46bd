/**
 * Previews of attachments: images, and the first page of PDFs. The browser is shown an image the
 * portal re-encoded, never the bytes that were sent: a PNG that is also an HTML page, a JPEG carrying
 * the GPS position of the phone that took it, a PDF's scripts, stay in the original, which is only
 * ever downloaded.
 */
import type { Readable } from 'node:stream';
import { PdfFirstPage } from './pdf-first-page.js';
import type { FileStore } from './store.js';

/** Types sniffed at upload (never the name) that a preview is made of: images sharp decodes, and PDFs' first page. */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);

export const isPreviewable = (mediaType: string) => PREVIEWABLE.has(mediaType);

export const PREVIEW_MEDIA_TYPE = 'image/webp';

export type PreviewLimits = {
  /** The preview fits in a square of this side; a smaller image is not enlarged. */
  maxSide: number;
  /**
   * Decoded size refused before decoding: a few kilobytes may declare 30,000 × 30,000 pixels (3.6 GB
   * once decoded). PNG, JPEG and WebP are reduced while they are read (measured: 21 MB more for a
   * 2880 × 47,944 page capture), so 150 megapixels keeps full-page captures of a high-density screen;
   * a GIF is decoded whole (478 MB for 100 megapixels), so it gets less.
   */
  maxInputPixels: number;
  maxGifPixels: number;
  maxInputBytes: number;
  /** sharp stops a decoding that takes longer. */
  timeoutSeconds: number;
  /** A screenshot coded without loss larger than this (a photo saved as PNG) is coded with loss instead. */
  maxLosslessBytes: number;
};

export const PREVIEW_LIMITS: PreviewLimits = {
  maxSide: 1200,
  maxInputPixels: 150_000_000,
  maxGifPixels: 25_000_000,
  maxInputBytes: 30 * 1024 * 1024,
  timeoutSeconds: 10,
  maxLosslessBytes: 400 * 1024,
};

/**
 * The re-encoded copy: turned upright from its EXIF orientation, reduced, WebP, with no metadata
 * (the reduced pixels are coded afresh: EXIF, XMP, ICC and comments are left behind). An animated
 * image gives its first frame.
 */
export async function renderPreview(input: Buffer, mediaType: string, limits: PreviewLimits = PREVIEW_LIMITS) {
  // Loaded by the first preview, not with the portal (native library, some 10 MB).
  const { default: sharp } = await import('sharp');
  const limitInputPixels = mediaType === 'image/gif' ? limits.maxGifPixels : limits.maxInputPixels;
  const { data, info } = await sharp(input, { limitInputPixels, failOn: 'error', animated: false })
    .rotate()
    .resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true })
    .timeout({ seconds: limits.timeoutSeconds })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const reduced = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  // Photos (JPEG) take lossy coding, far smaller for them. Screenshots keep their text sharp, coded
  // without loss (a DSFR page at 2880 × 1800: 27 kB), unless that makes them heavy.
  if (mediaType === 'image/jpeg') return reduced().webp({ quality: 80 }).toBuffer();
  const lossless = await reduced().webp({ lossless: true, effort: 2 }).toBuffer();
  return lossless.length <= limits.maxLosslessBytes ? lossless : reduced().webp({ quality: 85 }).toBuffer();
}

type StoredImage = { storageKey: string; mediaType: string; sizeBytes: number };

/** Where a failed preview is told (the download stays; the cause is for the operators). */
export type PreviewLog = { warn(details: object, message: string): void };

/**
 * Previews made once and kept beside the stored file (removed with it); a file that could not be
 * drawn is marked so, and not decoded again at each view (deleting the mark tries again). One
 * rendering at a time per process: the machines have two cores, and a GIF is decoded whole.
 */
export class Previews {
  private readonly inFlight = new Map<string, Promise<Buffer | null>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pdf = new PdfFirstPage();

  constructor(
    private readonly store: FileStore,
    private readonly limits: PreviewLimits = PREVIEW_LIMITS,
  ) {}

  /** Ends the PDF thread (the portal stopping). */
  close() {
    return this.pdf.close();
  }

  /** The preview, or null when there is none to show (neither image nor PDF, missing, or not drawable). */
  async get(file: StoredImage, log: PreviewLog): Promise<Buffer | null> {
    if (!isPreviewable(file.mediaType) || file.sizeBytes > this.limits.maxInputBytes) return null;
    const cached = await this.store.readDerived(file.storageKey, '.preview.webp');
    if (cached) return cached;
    if (await this.store.readDerived(file.storageKey, '.preview-failed')) return null;
    // Two views of a new preview at once decode it once.
    let pending = this.inFlight.get(file.storageKey);
    if (!pending) {
      pending = this.make(file, log).finally(() => this.inFlight.delete(file.storageKey));
      this.inFlight.set(file.storageKey, pending);
    }
    return pending;
  }

  private async make(file: StoredImage, log: PreviewLog): Promise<Buffer | null> {
    const stream = await this.store.openIfPresent(file.storageKey);
    if (!stream) return null;
    const original = await readAtMost(stream, this.limits.maxInputBytes);
    if (!original) return null;
    let preview: Buffer;
    try {
      preview = await this.oneAtATime(() => this.render(original, file.mediaType));
    } catch (error) {
      log.warn(
        { storageKey: file.storageKey, mediaType: file.mediaType, reason: String(error) },
        'no preview for this attachment',
      );
      await this.store.writeDerived(file.storageKey, '.preview-failed', Buffer.alloc(0)).catch(() => {});
      return null;
    }
    // A preview that cannot be kept (disk full) is still shown; it is made again next time.
    await this.store.writeDerived(file.storageKey, '.preview.webp', preview).catch((error) => {
      log.warn({ storageKey: file.storageKey, reason: String(error) }, 'preview not cached');
    });
    return preview;
  }

  /** A PDF's first page, drawn as PNG, goes through sharp like any screenshot. */
  private async render(original: Buffer, mediaType: string): Promise<Buffer> {
    if (mediaType !== 'application/pdf') return renderPreview(original, mediaType, this.limits);
    return renderPreview(await this.pdf.draw(original), 'image/png', this.limits);
  }

  private oneAtATime<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}

/** The whole stream, or null past `maxBytes` (the recorded size may be wrong if the disk was tampered with). */
async function readAtMost(stream: Readable, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
