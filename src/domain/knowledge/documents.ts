/**
 * Documents of the « Base documentaire »: written by editors, each change one transaction with its
 * audit line. A new file is a new version; the old versions stay readable.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Tx, transaction } from '../../db/client.js';
import { applications, documents, documentVersions, themes } from '../../db/schema.js';
import { canEdit } from '../access.js';
import type { Actor } from '../actor.js';
import type { StoredFile } from '../attachments/store.js';
import { audit } from '../audit/audit.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { fieldErrors, isSerialId } from '../validation.js';
import type { Audience } from '../vocabulary.js';
import { AUDIENCES } from './policy.js';

export type Who = { actor: Actor; ip?: string };

const documentSchema = z.object({
  title: z
    .string()
    .trim()
    .min(3, 'Indiquez le titre du document (3 caractères au moins).')
    .max(200, 'Le titre ne doit pas dépasser 200 caractères.'),
  summary: z.string().trim().max(2000, 'Le résumé ne doit pas dépasser 2 000 caractères.'),
  applicationId: z.coerce
    .number({ error: 'Choisissez l’application du document.' })
    .int()
    .positive('Choisissez l’application du document.'),
  themeId: z.union([z.literal(''), z.coerce.number().int().positive()]).transform((v) => (v === '' ? null : v)),
  audience: z.enum(AUDIENCES as [Audience, ...Audience[]], { error: 'Choisissez qui peut lire ce document.' }),
});

export type DocumentInput = z.infer<typeof documentSchema>;

/** The form's fields as typed, for showing them again. */
export const DOCUMENT_FIELDS = ['title', 'summary', 'applicationId', 'themeId', 'audience'] as const;

/** Checks the fields (theme of the chosen application); errors keyed by field. */
export async function parseDocumentInput(tx: Tx, raw: Record<string, unknown>): Promise<DocumentInput> {
  const parsed = documentSchema.safeParse(Object.fromEntries(DOCUMENT_FIELDS.map((f) => [f, String(raw[f] ?? '')])));
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const input = parsed.data;
  const [app] = await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, input.applicationId));
  if (!app) throw new ValidationError({ applicationId: 'Choisissez une application de la liste.' });
  if (input.themeId !== null) {
    const [theme] = await tx
      .select({ id: themes.id })
      .from(themes)
      .where(and(eq(themes.id, input.themeId), eq(themes.applicationId, input.applicationId)));
    if (!theme) throw new ValidationError({ themeId: 'Choisissez une thématique de l’application choisie.' });
  }
  return input;
}

function requireEditor(actor: Actor) {
  if (!canEdit(actor)) throw new ForbiddenError();
}

/** Text is extracted from PDF files only; other formats have none to index. */
const textStatusFor = (mediaType: string) => (mediaType === 'application/pdf' ? 'pending' : 'none');

async function insertVersion(tx: Tx, documentId: number, version: number, file: StoredFile, actor: Actor) {
  await tx.insert(documentVersions).values({
    documentId,
    version,
    storageKey: file.storageKey,
    originalName: file.originalName,
    mediaType: file.mediaType,
    sizeBytes: file.sizeBytes,
    sha256: file.sha256,
    textStatus: textStatusFor(file.mediaType),
    uploadedBy: actor.id,
  });
}

/** A new document, unpublished, with its first file as version 1. A refused form leaves nothing. */
export async function createDocument(db: Db, who: Who, raw: Record<string, unknown>, file: StoredFile | null) {
  requireEditor(who.actor);
  return transaction(db, async (tx) => {
    const fileError: Record<string, string> = file ? {} : { file: 'Choisissez le fichier du document.' };
    const input = await parseDocumentInput(tx, raw).catch((error: unknown) => {
      // Every field's error at once, the file's too.
      throw error instanceof ValidationError ? new ValidationError({ ...error.fields, ...fileError }) : error;
    });
    if (!file) throw new ValidationError(fileError);
    const [row] = await tx
      .insert(documents)
      .values({ ...input, published: false, updatedBy: who.actor.id, updatedAt: new Date() })
      .returning({ id: documents.id });
    if (!row) throw new Error('insert returned nothing');
    const { id } = row;
    await insertVersion(tx, id, 1, file, who.actor);
    await audit(tx, {
      action: 'document.create',
      actorId: who.actor.id,
      ip: who.ip,
      target: `document:${id}`,
      details: { title: input.title, audience: input.audience, file: file.originalName },
    });
    return id;
  });
}

/** Title, summary, application, theme and audience; the file changes only through a new version. */
export async function updateDocument(db: Db, who: Who, id: number, raw: Record<string, unknown>) {
  requireEditor(who.actor);
  if (!isSerialId(id)) throw new NotFoundError();
  await transaction(db, async (tx) => {
    const input = await parseDocumentInput(tx, raw);
    const rows = await tx
      .update(documents)
      .set({ ...input, updatedBy: who.actor.id, updatedAt: new Date() })
      .where(eq(documents.id, id))
      .returning({ id: documents.id });
    if (rows.length === 0) throw new NotFoundError();
    await audit(tx, {
      action: 'document.update',
      actorId: who.actor.id,
      ip: who.ip,
      target: `document:${id}`,
      details: { title: input.title, audience: input.audience, applicationId: input.applicationId, themeId: input.themeId },
    });
  });
}

/** « Nouvelle version du fichier »: version n+1 becomes the current file; its text is extracted anew. */
export async function addDocumentVersion(db: Db, who: Who, id: number, file: StoredFile | null): Promise<number> {
  requireEditor(who.actor);
  if (!isSerialId(id)) throw new NotFoundError();
  if (!file) throw new ValidationError({ file: 'Choisissez le nouveau fichier.' });
  return transaction(db, async (tx) => {
    // The row lock orders two editors adding a version at the same time.
    const [doc] = await tx.select({ id: documents.id }).from(documents).where(eq(documents.id, id)).for('update');
    if (!doc) throw new NotFoundError();
    const [last] = await tx
      .select({ version: sql<number>`coalesce(max(${documentVersions.version}), 0)::int` })
      .from(documentVersions)
      .where(eq(documentVersions.documentId, id));
    const version = (last?.version ?? 0) + 1;
    await insertVersion(tx, id, version, file, who.actor);
    // The previous file's text no longer describes the document.
    await tx.update(documents).set({ fileText: '', updatedBy: who.actor.id, updatedAt: new Date() }).where(eq(documents.id, id));
    await audit(tx, {
      action: 'document.version',
      actorId: who.actor.id,
      ip: who.ip,
      target: `document:${id}`,
      details: { version, file: file.originalName, sizeBytes: file.sizeBytes },
    });
    return version;
  });
}

/** « Publier » / « Dépublier »; the publication date is the first one and stays. */
export async function setDocumentPublished(db: Db, who: Who, id: number, published: boolean) {
  requireEditor(who.actor);
  if (!isSerialId(id)) throw new NotFoundError();
  await transaction(db, async (tx) => {
    const rows = await tx
      .update(documents)
      .set({
        published,
        publishedAt: published ? sql`coalesce(${documents.publishedAt}, now())` : undefined,
        updatedBy: who.actor.id,
        updatedAt: new Date(),
      })
      .where(eq(documents.id, id))
      .returning({ id: documents.id });
    if (rows.length === 0) throw new NotFoundError();
    await audit(tx, {
      action: published ? 'document.publish' : 'document.unpublish',
      actorId: who.actor.id,
      ip: who.ip,
      target: `document:${id}`,
    });
  });
}
