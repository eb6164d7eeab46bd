/**
 * Reading the FAQ: an entry by its number, the list by application, the latest answers. Only
 * published entries the visitor may read (`readableBy`, in SQL) are ever returned.
 */
import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { applications, documents, documentVersions, faqDocuments, faqEntries, themes } from '../../db/schema.js';
import type { Actor } from '../actor.js';
import { isSerialId } from '../validation.js';
import { readableBy } from './policy.js';

export const FAQ_PAGE_SIZE = 20;

/** A related document as readers see it: its current file's format and size. */
export type RelatedDocument = { id: number; title: string; mediaType: string | null; sizeBytes: number | null };

export type FaqArticle = {
  id: number;
  number: number;
  title: string;
  body: string;
  applicationId: number | null;
  applicationName: string | null;
  themeName: string | null;
  publishedAt: Date | null;
  documents: RelatedDocument[];
};

const visible = (actor: Actor | null) => and(eq(faqEntries.published, true), readableBy(actor, faqEntries.audience));

/** « 55 - Circulaire DGEFP … », as the guide writes an entry. */
export const faqLabel = (entry: { number: number; title: string }) => `${entry.number} - ${entry.title}`;

/** A published entry the visitor may read, with its related documents (those they may read too). */
export async function readFaq(db: Executor, actor: Actor | null, number: number): Promise<FaqArticle | null> {
  if (!isSerialId(number)) return null;
  const [row] = await db
    .select({
      id: faqEntries.id,
      number: faqEntries.number,
      title: faqEntries.title,
      body: faqEntries.body,
      applicationId: faqEntries.applicationId,
      applicationName: applications.name,
      themeName: themes.name,
      publishedAt: faqEntries.publishedAt,
    })
    .from(faqEntries)
    .leftJoin(applications, eq(applications.id, faqEntries.applicationId))
    .leftJoin(themes, eq(themes.id, faqEntries.themeId))
    .where(and(eq(faqEntries.number, number), visible(actor)));
  if (!row) return null;
  return { ...row, documents: await relatedDocuments(db, actor, [row.id]).then((m) => m.get(row.id) ?? []) };
}

/** The published documents of entries `ids` the visitor may read, by entry. */
export async function relatedDocuments(db: Executor, actor: Actor | null, ids: number[]) {
  const byEntry = new Map<number, RelatedDocument[]>();
  if (ids.length === 0) return byEntry;
  const current = db
    .select({
      documentId: documentVersions.documentId,
      mediaType: documentVersions.mediaType,
      sizeBytes: documentVersions.sizeBytes,
    })
    .from(documentVersions)
    .where(
      sql`${documentVersions.version} = (select max(v.version) from document_versions v where v.document_id = ${documentVersions.documentId})`,
    )
    .as('current_version');
  const rows = await db
    .select({
      faqEntryId: faqDocuments.faqEntryId,
      id: documents.id,
      title: documents.title,
      mediaType: current.mediaType,
      sizeBytes: current.sizeBytes,
    })
    .from(faqDocuments)
    .innerJoin(documents, eq(documents.id, faqDocuments.documentId))
    .leftJoin(current, eq(current.documentId, documents.id))
    .where(and(inArray(faqDocuments.faqEntryId, ids), eq(documents.published, true), readableBy(actor, documents.audience)))
    .orderBy(asc(documents.title));
  for (const { faqEntryId, ...doc } of rows) byEntry.set(faqEntryId, [...(byEntry.get(faqEntryId) ?? []), doc]);
  return byEntry;
}

/** The latest published answers the visitor may read, shown in number order as in the guide. */
export async function latestFaq(db: Executor, actor: Actor | null, limit = 5) {
  const rows = await db
    .select({ number: faqEntries.number, title: faqEntries.title })
    .from(faqEntries)
    .where(visible(actor))
    .orderBy(sql`${faqEntries.publishedAt} desc nulls last`, desc(faqEntries.number))
    .limit(limit);
  return rows.sort((a, b) => a.number - b.number);
}

export type FaqListItem = {
  id: number;
  number: number;
  title: string;
  applicationName: string | null;
  themeName: string | null;
  publishedAt: Date;
};

/** Where a page of the list starts: after this publication date and id (keyset pagination). */
export type FaqCursor = { publishedAt: Date; id: number };

export const encodeFaqCursor = (c: FaqCursor) => `${c.publishedAt.getTime()}_${c.id}`;

export function decodeFaqCursor(value: string | undefined): FaqCursor | null {
  const match = /^(\d{1,15})_(\d{1,10})$/.exec(value ?? '');
  if (!match) return null;
  const id = Number(match[2]);
  return isSerialId(id) ? { publishedAt: new Date(Number(match[1])), id } : null;
}

/** A page of the published FAQ, newest first, optionally of one application. */
export async function listFaq(
  db: Executor,
  actor: Actor | null,
  options: { applicationId?: number; after?: FaqCursor | null } = {},
): Promise<{ items: FaqListItem[]; next: FaqCursor | null }> {
  // Published entries always carry a date (an old row without one sorts as the oldest); the cursor keeps milliseconds.
  const publishedAt = sql<Date>`date_trunc('milliseconds', coalesce(${faqEntries.publishedAt}, 'epoch'::timestamptz))`.mapWith(
    faqEntries.publishedAt,
  );
  const after = options.after;
  const rows = await db
    .select({
      id: faqEntries.id,
      number: faqEntries.number,
      title: faqEntries.title,
      applicationName: applications.name,
      themeName: themes.name,
      publishedAt,
    })
    .from(faqEntries)
    .leftJoin(applications, eq(applications.id, faqEntries.applicationId))
    .leftJoin(themes, eq(themes.id, faqEntries.themeId))
    .where(
      and(
        visible(actor),
        options.applicationId ? eq(faqEntries.applicationId, options.applicationId) : undefined,
        after
          ? or(lt(publishedAt, after.publishedAt), and(eq(publishedAt, after.publishedAt), lt(faqEntries.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(publishedAt), desc(faqEntries.id))
    .limit(FAQ_PAGE_SIZE + 1);
  const items = rows.slice(0, FAQ_PAGE_SIZE);
  const last = items.at(-1);
  return { items, next: rows.length > FAQ_PAGE_SIZE && last ? { publishedAt: last.publishedAt, id: last.id } : null };
}
