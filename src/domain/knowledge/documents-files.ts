/**
 * The files of the « Base documentaire »: their own folder of the store (the requests' attachments'
 * housekeeping never sees them), their own list of accepted formats, and how a format is named.
 */
import { join } from 'node:path';
import { inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { documentVersions } from '../../db/schema.js';
import { FileStore, formatBytes, type StoredFile, UploadRejected } from '../attachments/store.js';

/** Formats a document may have, recognised from the content by the store. */
export const DOCUMENT_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'text/plain': 'TXT',
  'text/csv': 'CSV',
};

export const DOCUMENT_FORMATS_LABEL = 'pdf, odt, docx, ods, xlsx, png, jpg, txt, csv';

export const documentStoreRoot = (dataDir: string) => join(dataDir, 'documents');
export const documentStore = (dataDir: string) => new FileStore(documentStoreRoot(dataDir));

/** Saves an uploaded file if the store accepts it and it is one of the documents' formats. */
export async function saveDocumentFile(
  store: FileStore,
  stream: NodeJS.ReadableStream & { truncated?: boolean },
  name: string,
  maxBytes: number,
): Promise<StoredFile> {
  const refused = () =>
    new UploadRejected(`Le format du fichier « ${name} » n’est pas accepté (formats acceptés : ${DOCUMENT_FORMATS_LABEL}).`);
  let file: StoredFile;
  try {
    file = await store.save(stream, name, maxBytes);
  } catch (error) {
    // The store's message lists the attachments' formats; a document's are fewer.
    if (error instanceof UploadRejected && error.message.includes('formats acceptés')) throw refused();
    throw error;
  }
  if (!(file.mediaType in DOCUMENT_TYPES)) {
    await store.remove(file.storageKey);
    throw refused();
  }
  return file;
}

/** « PDF – 1,2 Mo »: the format and size shown next to a download link. */
export const fileDetail = (mediaType: string, sizeBytes: number) =>
  `${DOCUMENT_TYPES[mediaType] ?? 'Fichier'} – ${formatBytes(sizeBytes)}`;

/** Which of these storage keys a version names (the others are files left by a crash). */
export async function knownDocumentKeys(db: Executor, keys: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ key: documentVersions.storageKey })
    .from(documentVersions)
    .where(inArray(documentVersions.storageKey, keys));
  return new Set(rows.map((r) => r.key));
}
