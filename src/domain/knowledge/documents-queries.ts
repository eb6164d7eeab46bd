/**
 * Reading the « Base documentaire »: what a visitor may see is decided in SQL by the audience rule
 * (`readableBy`) and the publication; editors also see drafts.
 */
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { applications, documents, documentVersions, faqEntries, themes } from '../../db/schema.js';
import { canEdit } from '../access.js';
import type { Actor } from '../actor.js';
import { isSerialId } from '../validation.js';
import { readableBy } from './policy.js';

/** The document's latest version (its current file). */
const currentVersion = sql`(select max(v.version) from ${documentVersions} v where v.document_id = ${documents.id})`;

/** Published and readable, or any document for an editor. */
function visibleTo(actor: Actor | null): SQL | undefined {
  if (canEdit(actor)) return undefined;
  return and(eq(documents.published, true), readableBy(actor, documents.audience));
}

const cardColumns = {
  id: documents.id,
  title: documents.title,
  summary: documents.summary,
  audience: documents.audience,
  published: documents.published,
  publishedAt: documents.publishedAt,
  updatedAt: documents.updatedAt,
  applicationId: documents.applicationId,
  applicationName: applications.name,
  themeId: documents.themeId,
  themeName: themes.name,
  mediaType: documentVersions.mediaType,
  sizeBytes: documentVersions.sizeBytes,
  version: documentVersions.version,
};

export type DocumentCard = {
  id: number;
  title: string;
  summary: string;
  audience: 'public' | 'users' | 'agents';
  published: boolean;
  publishedAt: Date | null;
  updatedAt: Date;
  applicationId: number | null;
  applicationName: string | null;
  themeId: number | null;
  themeName: string | null;
  mediaType: string | null;
  sizeBytes: number | null;
  version: number | null;
};

function cards(db: Executor) {
  return db
    .select(cardColumns)
    .from(documents)
    .leftJoin(applications, eq(applications.id, documents.applicationId))
    .leftJoin(themes, eq(themes.id, documents.themeId))
    .leftJoin(documentVersions, and(eq(documentVersions.documentId, documents.id), eq(documentVersions.version, currentVersion)));
}

/** Published documents the visitor may read, of an application and possibly one of its themes. */
export async function browseDocuments(
  db: Executor,
  actor: Actor | null,
  where: { applicationId?: number; themeId?: number },
): Promise<DocumentCard[]> {
  return cards(db)
    .where(
      and(
        eq(documents.published, true),
        readableBy(actor, documents.audience),
        where.applicationId ? eq(documents.applicationId, where.applicationId) : undefined,
        where.themeId ? eq(documents.themeId, where.themeId) : undefined,
      ),
    )
    .orderBy(asc(documents.title), asc(documents.id));
}

/** How many readable documents each theme has (for the side menu). */
export async function countByTheme(db: Executor, actor: Actor | null, applicationId: number) {
  const rows = await db
    .select({ themeId: documents.themeId, count: sql<number>`count(*)::int` })
    .from(documents)
    .where(and(eq(documents.published, true), readableBy(actor, documents.audience), eq(documents.applicationId, applicationId)))
    .groupBy(documents.themeId);
  return new Map(rows.map((r) => [r.themeId, r.count]));
}

/** One document as this visitor may see it, or null (not found and not allowed look the same). */
export async function findDocument(db: Executor, actor: Actor | null, id: number): Promise<DocumentCard | null> {
  if (!isSerialId(id)) return null;
  const [row] = await cards(db).where(and(eq(documents.id, id), visibleTo(actor)));
  return row ?? null;
}

/** Every version of a document, newest first. Call only after `findDocument` allowed it. */
export async function documentVersionsOf(db: Executor, id: number) {
  return db
    .select({
      version: documentVersions.version,
      originalName: documentVersions.originalName,
      mediaType: documentVersions.mediaType,
      sizeBytes: documentVersions.sizeBytes,
      createdAt: documentVersions.createdAt,
      textStatus: documentVersions.textStatus,
      textError: documentVersions.textError,
    })
    .from(documentVersions)
    .where(eq(documentVersions.documentId, id))
    .orderBy(desc(documentVersions.version));
}

/** The file to send: the current version, or a given one; null unless the visitor may read the document. */
export async function findDocumentFile(db: Executor, actor: Actor | null, id: number, version?: number) {
  if (!isSerialId(id) || (version !== undefined && !isSerialId(version))) return null;
  const [row] = await db
    .select({
      storageKey: documentVersions.storageKey,
      originalName: documentVersions.originalName,
      mediaType: documentVersions.mediaType,
      sizeBytes: documentVersions.sizeBytes,
    })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(
      and(
        eq(documents.id, id),
        visibleTo(actor),
        version === undefined ? eq(documentVersions.version, currentVersion) : eq(documentVersions.version, version),
      ),
    );
  return row ?? null;
}

/** Every document for the editors' list, most recently changed first. */
export async function documentsForEditors(db: Executor, limit = 200): Promise<DocumentCard[]> {
  return cards(db).orderBy(desc(documents.updatedAt), desc(documents.id)).limit(limit);
}

/** The form's values of an existing document. */
export async function documentFormValues(db: Executor, id: number): Promise<Record<string, string> | null> {
  if (!isSerialId(id)) return null;
  const [row] = await db.select().from(documents).where(eq(documents.id, id));
  if (!row) return null;
  return {
    title: row.title,
    summary: row.summary,
    applicationId: row.applicationId ? String(row.applicationId) : '',
    themeId: row.themeId ? String(row.themeId) : '',
    audience: row.audience,
  };
}

/** Published FAQ entries of an application (and theme) the visitor may read, for the browsing page. */
export async function faqLinesFor(db: Executor, actor: Actor | null, applicationId: number, themeId?: number) {
  return db
    .select({ number: faqEntries.number, title: faqEntries.title })
    .from(faqEntries)
    .where(
      and(
        eq(faqEntries.published, true),
        readableBy(actor, faqEntries.audience),
        eq(faqEntries.applicationId, applicationId),
        themeId ? eq(faqEntries.themeId, themeId) : undefined,
      ),
    )
    .orderBy(asc(faqEntries.number));
}
