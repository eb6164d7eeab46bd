/**
 * Files on disk under the data folder, stored under a generated name; the original name is metadata.
 * A file is written completely and checked before any row points to it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type StoredFile = {
  storageKey: string;
  originalName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
};

export class UploadRejected extends Error {}

/** Over the size allowed for this file. */
export class FileTooLarge extends UploadRejected {}

/**
 * Accepted types, recognised from the content (never from the name or the browser's word), with
 * the extensions a file of that type may have: the first is given to one whose name says otherwise.
 */
const TYPES: Record<string, { label: string; extensions: string[] }> = {
  'image/png': { label: 'PNG', extensions: ['png'] },
  'image/jpeg': { label: 'JPEG', extensions: ['jpg', 'jpeg'] },
  'image/gif': { label: 'GIF', extensions: ['gif'] },
  'image/webp': { label: 'WEBP', extensions: ['webp'] },
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'DOCX', extensions: ['docx'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'XLSX', extensions: ['xlsx'] },
  'application/vnd.oasis.opendocument.text': { label: 'ODT', extensions: ['odt'] },
  'application/vnd.oasis.opendocument.spreadsheet': { label: 'ODS', extensions: ['ods'] },
  'text/plain': { label: 'TXT', extensions: ['txt', 'log'] },
  'text/csv': { label: 'CSV', extensions: ['csv'] },
};

export const ACCEPTED_TYPES: Record<string, string> = Object.fromEntries(Object.entries(TYPES).map(([t, v]) => [t, v.label]));

export const ACCEPTED_FORMATS_LABEL = 'png, jpg, gif, webp, pdf, docx, xlsx, odt, ods, txt, csv';

export class FileStore {
  constructor(private readonly root: string) {}

  private path(key: string) {
    if (!STORAGE_KEY.test(key)) throw new Error('invalid storage key');
    return join(this.root, key.slice(0, 2), key);
  }

  /** A file made from a stored one (its preview), kept beside it so that it goes when the file goes. */
  private derivedPath(key: string, suffix: DerivedSuffix) {
    return `${this.path(key)}${suffix}`;
  }

  /** Writes the stream, then checks its size and type; a refused file leaves nothing behind. */
  async save(
    stream: NodeJS.ReadableStream & { truncated?: boolean },
    originalName: string,
    maxBytes: number,
  ): Promise<StoredFile> {
    const storageKey = randomBytes(16).toString('hex');
    const path = this.path(storageKey);
    await mkdir(join(this.root, storageKey.slice(0, 2)), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const name = cleanName(originalName);
    try {
      await pipeline(stream, meter, createWriteStream(path, { flags: 'wx' }));
      if (stream.truncated || size > maxBytes) {
        throw new FileTooLarge(`Le fichier « ${name} » dépasse la taille maximale de ${formatBytes(maxBytes)}.`);
      }
      if (size === 0) throw new UploadRejected(`Le fichier « ${name} » est vide.`);
      const mediaType = await sniff(path, name);
      if (!mediaType) {
        throw new UploadRejected(
          `Le format du fichier « ${name} » n’est pas accepté (formats acceptés : ${ACCEPTED_FORMATS_LABEL}).`,
        );
      }
      return {
        storageKey,
        originalName: withExtensionOf(name, mediaType),
        mediaType,
        sizeBytes: size,
        sha256: hash.digest('hex'),
      };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  open(storageKey: string) {
    return createReadStream(this.path(storageKey));
  }

  /** The file as a stream, or null when it is missing (a download then answers 404, never 500). */
  async openIfPresent(storageKey: string): Promise<Readable | null> {
    try {
      return (await open(this.path(storageKey), 'r')).createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** A derived file's content, or null when none was made yet. */
  async readDerived(storageKey: string, suffix: DerivedSuffix): Promise<Buffer | null> {
    try {
      return await readFile(this.derivedPath(storageKey, suffix));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Written aside then renamed: a reader never sees half a file, and a crash leaves only a temporary one the sweep removes. */
  async writeDerived(storageKey: string, suffix: DerivedSuffix, content: Buffer) {
    const path = this.derivedPath(storageKey, suffix);
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, path).catch(async (error) => {
      await rm(temporary, { force: true });
      throw error;
    });
  }

  /** The file and what was made from it. */
  async remove(storageKey: string) {
    await rm(this.path(storageKey), { force: true });
    await Promise.all(DERIVED_SUFFIXES.map((suffix) => rm(this.derivedPath(storageKey, suffix), { force: true })));
  }

  /**
   * Files older than `olderThanMs` that no row names (left by a crash between write and commit). A derived
   * file belongs to the stored file whose key starts its name: it stays as long as that file is named.
   */
  async sweepOrphans(known: (keys: string[]) => Promise<Set<string>>, olderThanMs: number): Promise<number> {
    let removed = 0;
    const dirs = await readdir(this.root).catch(() => [] as string[]);
    for (const dir of dirs) {
      const names = await readdir(join(this.root, dir)).catch(() => [] as string[]);
      if (names.length === 0) continue;
      const kept = await known([...new Set(names.map(ownerKey))]);
      for (const name of names) {
        if (kept.has(ownerKey(name))) continue;
        const info = await stat(join(this.root, dir, name)).catch(() => null);
        if (info && Date.now() - info.mtimeMs > olderThanMs) {
          await rm(join(this.root, dir, name), { force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}

const STORAGE_KEY = /^[a-z0-9]{32}$/;

/** What is made from a stored file: its preview, or the mark that none can be made (so it is not tried again). */
export const DERIVED_SUFFIXES = ['.preview.webp', '.preview-failed'] as const;
export type DerivedSuffix = (typeof DERIVED_SUFFIXES)[number];

/** The stored file a name in the store belongs to: itself, or the key its derived name starts with. */
function ownerKey(name: string): string {
  const key = name.slice(0, 32);
  return name.length > 32 && name[32] === '.' && STORAGE_KEY.test(key) ? key : name;
}

async function sniff(path: string, name: string): Promise<string | null> {
  // Loaded by the first upload (about thirty files), not with the portal.
  const { fileTypeFromFile } = await import('file-type');
  const detected = await fileTypeFromFile(path);
  if (detected) return detected.mime in ACCEPTED_TYPES ? detected.mime : null;
  // Plain text has no signature: accept it only by its name and if it is valid UTF-8 without NUL bytes.
  const lower = name.toLowerCase();
  const textType = lower.endsWith('.csv') ? 'text/csv' : lower.endsWith('.txt') || lower.endsWith('.log') ? 'text/plain' : null;
  if (!textType) return null;
  const head = await readHead(path, 64 * 1024);
  if (head.includes(0)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head);
    return textType;
  } catch {
    return null;
  }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Keeps a readable name without path parts, control characters or the invisible ones that
 * change how text reads (bidirectional overrides: « facture\u202Egpj.exe » shows as « factureexe.jpg »).
 */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'fichier';
  const clean = base
    .replace(/[\p{Cc}\p{Cf}"]/gu, '')
    .trim()
    .slice(0, 200);
  return clean || 'fichier';
}

/** The name ends with an extension of the type found in the content (« poly.html » holding a PNG is « poly.png »). */
export function withExtensionOf(name: string, mediaType: string): string {
  const extensions = TYPES[mediaType]?.extensions;
  if (!extensions) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return extensions.includes(extension) ? name : `${stem}.${extensions[0]}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} ko`;
  return `${bytes} o`;
}
