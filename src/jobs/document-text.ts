/**
 * Text of the documents' PDF files, for the search: versions waiting (`text_status = 'pending'`)
 * are claimed in small batches, read outside any transaction, and the outcome recorded.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Db, transaction } from '../db/client.js';
import { documents, documentVersions } from '../db/schema.js';
import type { FileStore } from '../domain/attachments/store.js';
import { knownDocumentKeys } from '../domain/knowledge/documents-files.js';
import { codeDir } from '../paths.js';

export type TextLimits = { maxBytes: number; maxPages: number; timeoutMs: number; maxChars: number; batch: number };

export const TEXT_LIMITS: TextLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPages: 200,
  timeoutMs: 15_000,
  maxChars: 500_000,
  batch: 5,
};

type Pending = { id: number; documentId: number; version: number; storageKey: string; mediaType: string; sizeBytes: number };
type Outcome = { status: 'done' | 'failed' | 'none'; text?: string; error?: string };

/** Runs until nothing is pending; returns how many versions were handled. */
export async function runDocumentText(db: Db, store: FileStore, limits: TextLimits = TEXT_LIMITS): Promise<number> {
  let handled = 0;
  const reader = new PdfReader(limits);
  try {
    for (;;) {
      const batch = await claim(db, limits.batch);
      if (batch.length === 0) return handled;
      for (const row of batch) {
        await record(db, row, await extract(store, reader, row, limits));
        handled++;
      }
    }
  } finally {
    await reader.close();
  }
}

/**
 * A short transaction that only reads: SKIP LOCKED keeps two workers on a server apart while it runs.
 * Extraction is idempotent, so a version read twice by two processes is harmless.
 */
async function claim(db: Db, size: number): Promise<Pending[]> {
  return transaction(db, (tx) =>
    tx
      .select({
        id: documentVersions.id,
        documentId: documentVersions.documentId,
        version: documentVersions.version,
        storageKey: documentVersions.storageKey,
        mediaType: documentVersions.mediaType,
        sizeBytes: documentVersions.sizeBytes,
      })
      .from(documentVersions)
      .where(eq(documentVersions.textStatus, 'pending'))
      .orderBy(asc(documentVersions.id))
      .limit(size)
      .for('update', { skipLocked: true }),
  );
}

async function extract(store: FileStore, reader: PdfReader, row: Pending, limits: TextLimits): Promise<Outcome> {
  if (row.mediaType !== 'application/pdf') return { status: 'none' };
  if (row.sizeBytes > limits.maxBytes) {
    return { status: 'failed', error: `Fichier trop volumineux pour en extraire le texte (plus de ${limits.maxBytes} octets).` };
  }
  try {
    const data = await readAll(store, row.storageKey, limits.maxBytes);
    const text = await reader.read(data);
    // PostgreSQL text cannot hold NUL characters.
    return { status: 'done', text: text.replaceAll('\u0000', '').trim().slice(0, limits.maxChars) };
  } catch (error) {
    return { status: 'failed', error: String(error instanceof Error ? error.message : error).slice(0, 500) };
  }
}

async function readAll(store: FileStore, key: string, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of store.open(key)) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error('Fichier plus grand que prévu.');
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * pdf.js in a worker thread, kept for the files of one run (loading pdf.js takes seconds); a file
 * that takes too long gets the thread terminated, and the next file a new one.
 */
class PdfReader {
  private worker: Worker | null = null;

  constructor(private readonly limits: TextLimits) {}

  read(data: Uint8Array): Promise<string> {
    this.worker ??= new Worker(join(codeDir, 'jobs', 'document-text-worker.mjs'), {
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const done = (fn: () => void, broken: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (broken) {
          this.worker = null;
          void worker.terminate();
        }
        fn();
      };
      const onMessage = (m: { text?: string; error?: string }) =>
        done(() => (m.error === undefined ? resolve(m.text ?? '') : reject(new Error(m.error))), false);
      const onError = (error: Error) => done(() => reject(error), true);
      const onExit = (code: number) => done(() => reject(new Error(`Extraction arrêtée (code ${code}).`)), true);
      const timer = setTimeout(
        () => done(() => reject(new Error(`Extraction interrompue après ${this.limits.timeoutMs / 1000} s.`)), true),
        this.limits.timeoutMs,
      );
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ data, maxPages: this.limits.maxPages }, [data.buffer as ArrayBuffer]);
    });
  }

  async close() {
    await this.worker?.terminate();
    this.worker = null;
  }
}

/** The outcome, and the document's text when this version is still its current one. */
async function record(db: Db, row: Pending, outcome: Outcome) {
  await transaction(db, async (tx) => {
    await tx
      .update(documentVersions)
      .set({ textStatus: outcome.status, textError: outcome.error ?? null })
      .where(and(eq(documentVersions.id, row.id), eq(documentVersions.textStatus, 'pending')));
    if (outcome.status !== 'done') return;
    await tx
      .update(documents)
      .set({ fileText: outcome.text ?? '' })
      .where(
        and(
          eq(documents.id, row.documentId),
          sql`${row.version} = (select max(v.version) from ${documentVersions} v where v.document_id = ${documents.id})`,
        ),
      );
  });
}

/** Files no version names, left by a crash between writing the file and committing its row. */
export async function sweepDocumentFiles(db: Db, store: FileStore, olderThanMs = 60 * 60 * 1000): Promise<number> {
  return store.sweepOrphans((keys) => knownDocumentKeys(db, keys), olderThanMs);
}
