import type { FastifyRequest } from 'fastify';
import { type StoredFile, UploadRejected } from '../domain/attachments/store.js';

export type MultipartForm = {
  fields: Record<string, string>;
  /** Repeated fields (checkboxes). */
  lists: Record<string, string[]>;
  files: StoredFile[];
  fileError?: string;
};

/**
 * Reads a multipart form, streaming each file to the store as it arrives (never whole in memory).
 * Refused files are reported, not kept; the caller decides what to do with the accepted ones.
 */
export async function readMultipart(request: FastifyRequest, maxFiles: number): Promise<MultipartForm> {
  const form: MultipartForm = { fields: {}, lists: {}, files: [] };
  const { files: store, config } = request.server.deps;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      const value = String(part.value ?? '');
      form.lists[part.fieldname] = [...(form.lists[part.fieldname] ?? []), value];
      form.fields[part.fieldname] = value;
      continue;
    }
    if (!part.filename) {
      part.file.resume();
      continue;
    }
    if (form.files.length >= maxFiles) {
      part.file.resume();
      form.fileError ??= `Vous pouvez joindre ${maxFiles} fichiers au plus.`;
      continue;
    }
    try {
      form.files.push(await store.save(part.file, part.filename, config.upload.maxFileBytes));
    } catch (error) {
      if (!(error instanceof UploadRejected)) throw error;
      form.fileError ??= error.message;
    }
  }
  return form;
}
