import type { FastifyReply, FastifyRequest } from 'fastify';
import { stagedBytes } from '../../domain/attachments/staging.js';
import { FileTooLarge, formatBytes, type StoredFile, UploadRejected } from '../../domain/attachments/store.js';
import { verifyCsrfField } from '../plugins/csrf.js';
import { withoutControls } from '../plugins/input.js';

export type MultipartForm = {
  fields: Record<string, string>;
  /** Repeated fields (checkboxes). */
  lists: Record<string, string[]>;
  files: StoredFile[];
  fileError?: string;
};

export type MultipartOptions = {
  maxFiles: number;
  /** Only files sent under this field are read; the others are skipped. */
  fileField?: string;
  /** Stores one file; by default the attachments' store, within what the person may keep staged. */
  save?: (stream: NodeJS.ReadableStream & { truncated?: boolean }, name: string) => Promise<StoredFile>;
  /**
   * Asked once, when the first file arrives, with the fields read so far (the form puts them
   * before its files): false skips every file, so nothing is stored for an action that will be refused.
   */
  acceptFiles?: (fields: Record<string, string>) => Promise<boolean>;
};

/**
 * Staged files (sent with forms not yet recorded) a person may keep, all forms together: two
 * full forms. Past it, a form's files are refused, so nobody fills the disk with refused forms.
 */
export const stagedAllowance = (upload: { maxFileBytes: number; maxFiles: number }) => 2 * upload.maxFiles * upload.maxFileBytes;

/**
 * Reads a multipart form on a route declared `multipartForm`: the CSRF token first (its first
 * field), then the fields, streaming each file to the store as it arrives (never whole in memory).
 * Refused files are reported, not kept; the caller decides what to do with the accepted ones.
 */
export async function readMultipart(
  request: FastifyRequest,
  reply: FastifyReply,
  options: MultipartOptions,
): Promise<MultipartForm> {
  const form: MultipartForm = { fields: {}, lists: {}, files: [] };
  const save = options.save ?? (await attachmentSaver(request));
  let checked = false;
  let accepted: boolean | undefined;
  for await (const part of request.parts()) {
    if (!checked) {
      await verifyCsrfField(request, reply, part.type === 'field' && part.fieldname === '_csrf' ? String(part.value) : null);
      checked = true;
      continue;
    }
    if (part.type === 'field') {
      const value = withoutControls(String(part.value ?? ''));
      form.lists[part.fieldname] = [...(form.lists[part.fieldname] ?? []), value];
      form.fields[part.fieldname] = value;
      continue;
    }
    accepted ??= part.filename ? await (options.acceptFiles?.(form.fields) ?? true) : undefined;
    if (!part.filename || !accepted || (options.fileField && part.fieldname !== options.fileField)) {
      part.file.resume();
      continue;
    }
    if (form.files.length >= options.maxFiles) {
      part.file.resume();
      form.fileError ??= `Vous pouvez joindre ${options.maxFiles} fichier${options.maxFiles > 1 ? 's' : ''} au plus.`;
      continue;
    }
    try {
      form.files.push(await save(part.file, part.filename));
    } catch (error) {
      if (!(error instanceof UploadRejected)) throw error;
      form.fileError ??= error.message;
    }
  }
  if (!checked) await verifyCsrfField(request, reply, null);
  return form;
}

/** Saves attachments while the person's staged files stay within their allowance. */
async function attachmentSaver(request: FastifyRequest) {
  const { db, files: store, config } = request.server.deps;
  const allowance = stagedAllowance(config.upload);
  let left = allowance - (request.actor ? await stagedBytes(db, request.actor.id) : 0);
  const beyond = (name: string) =>
    new UploadRejected(
      `Le fichier « ${name} » n’a pas été joint : vos fichiers envoyés avec des formulaires non encore enregistrés atteignent ${formatBytes(allowance)}. Enregistrez ou abandonnez ces formulaires, puis joignez-le à nouveau.`,
    );
  return async (stream: NodeJS.ReadableStream & { truncated?: boolean }, name: string) => {
    const max = config.upload.maxFileBytes;
    if (left <= 0) {
      stream.resume();
      throw beyond(name);
    }
    try {
      const file = await store.save(stream, name, Math.min(max, left));
      left -= file.sizeBytes;
      return file;
    } catch (error) {
      throw error instanceof FileTooLarge && left < max ? beyond(name) : error;
    }
  };
}
