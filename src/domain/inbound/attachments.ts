/**
 * Files attached to a reply go through the same store and checks as the portal's uploads
 * (type sniffed from the content, size and count limits); refused ones are dropped and named.
 */
import { Readable } from 'node:stream';
import type { Attachment } from 'mailparser';
import { type FileStore, formatBytes, type StoredFile, UploadRejected } from '../attachments/store.js';

export type SavedAttachments = { stored: StoredFile[]; dropped: string[] };

/** Small inline images are the logos of signatures, not documents of the request. */
const SIGNATURE_IMAGE_BYTES = 64 * 1024;

const isSignatureImage = (a: Attachment) =>
  a.contentDisposition === 'inline' && a.contentType.startsWith('image/') && a.size <= SIGNATURE_IMAGE_BYTES;

/** Parts that are the message itself rather than a file (a delivery report, a forwarded header). */
const isStructural = (a: Attachment) => a.contentType.startsWith('message/') || a.contentType === 'text/rfc822-headers';

export async function saveAttachments(
  store: FileStore,
  attachments: Attachment[],
  limits: { maxFileBytes: number; maxFiles: number },
): Promise<SavedAttachments> {
  const result: SavedAttachments = { stored: [], dropped: [] };
  for (const attachment of attachments) {
    if (isSignatureImage(attachment) || isStructural(attachment)) continue;
    const name = attachment.filename || 'piece-jointe';
    if (result.stored.length >= limits.maxFiles) {
      result.dropped.push(`Le fichier « ${name} » dépasse le nombre de ${limits.maxFiles} pièces jointes autorisées.`);
      continue;
    }
    if (attachment.size > limits.maxFileBytes) {
      result.dropped.push(`Le fichier « ${name} » dépasse la taille maximale de ${formatBytes(limits.maxFileBytes)}.`);
      continue;
    }
    try {
      result.stored.push(await store.save(Readable.from([attachment.content]), name, limits.maxFileBytes));
    } catch (error) {
      if (!(error instanceof UploadRejected)) {
        await discard(store, result.stored);
        throw error;
      }
      result.dropped.push(error.message);
    }
  }
  return result;
}

export async function discard(store: FileStore, files: StoredFile[]) {
  await Promise.all(files.map((f) => store.remove(f.storageKey)));
}
