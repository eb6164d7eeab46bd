/**
 * « Ressources associées »: FAQ entries and documents the desk attaches to a request. Requesters
 * see those they may read; each change is an internal event of the request's history.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { documents, faqEntries, requestDocumentLinks, requestFaqLinks } from '../../db/schema.js';
import { isStaff } from '../access.js';
import type { Actor } from '../actor.js';
import { NotFoundError } from '../errors.js';
import { appendEvent, lockVisible } from '../requests/repository.js';
import { isSerialId } from '../validation.js';
import { readableBy } from './policy.js';

export type ResourceType = 'faq' | 'document';
export type ResourceRef = { type: ResourceType; id: number };

export type RequestResources = {
  faq: { id: number; number: number; title: string; published: boolean }[];
  documents: { id: number; title: string; published: boolean }[];
  /** The FAQ entry drafted from this request (staff only). */
  faqDraft: { id: number; number: number; published: boolean } | null;
};

/** Staff who see a request attach resources to it; requesters never do. */

type Row = { type: 'faq' | 'document' | 'draft'; id: number; number: number | null; title: string; published: boolean };

/**
 * The resources of a request as `actor` may see them, in one query: requesters the published items
 * of their audiences, staff every attached item (an unpublished one is marked) and the FAQ draft.
 */
export async function resourcesOf(db: Executor, actor: Actor, requestId: number): Promise<RequestResources> {
  const staff = isStaff(actor);
  const visible = (alias: string): SQL =>
    staff ? sql`true` : sql`${sql.raw(alias)}.published and ${readableBy(actor, sql.raw(`${alias}.audience`))}`;
  const result = await db.execute(sql`
    select 'faq' as type, f.id, f.number, f.title, f.published
      from request_faq_links l join faq_entries f on f.id = l.faq_entry_id
      where l.request_id = ${requestId} and ${visible('f')}
    union all
    select 'document', d.id, null, d.title, d.published
      from request_document_links l join documents d on d.id = l.document_id
      where l.request_id = ${requestId} and ${visible('d')}
    union all
    select 'draft', f.id, f.number, f.title, f.published
      from faq_entries f where f.source_request_id = ${requestId} and ${staff ? sql`true` : sql`false`}
    order by 1, 3, 4`);
  const rows = (result.rows as Row[]).map((r) => ({
    ...r,
    id: Number(r.id),
    number: r.number === null ? null : Number(r.number),
  }));
  const draft = rows.find((r) => r.type === 'draft');
  return {
    faq: rows
      .filter((r) => r.type === 'faq')
      .map((r) => ({ id: r.id, number: r.number ?? 0, title: r.title, published: r.published })),
    documents: rows.filter((r) => r.type === 'document').map((r) => ({ id: r.id, title: r.title, published: r.published })),
    faqDraft: draft ? { id: draft.id, number: draft.number ?? 0, published: draft.published } : null,
  };
}

/** Parses a resource named by a form (`type`, `id`), or null. */
export function parseResourceRef(type: unknown, id: unknown): ResourceRef | null {
  const n = Number(id);
  if ((type !== 'faq' && type !== 'document') || !isSerialId(n)) return null;
  return { type, id: n };
}

/** The request `number` as staff `actor` may see it, locked for the change, or a 404. */
async function visibleRequest(tx: Tx, actor: Actor, number: number) {
  if (!isStaff(actor)) throw new NotFoundError();
  return lockVisible(tx, actor, number);
}

/** A published item (or, `anyState`, any item) `actor` may read, with the words of the history, or a 404. */
async function describe(tx: Tx, actor: Actor, ref: ResourceRef, anyState = false): Promise<string> {
  const published = (column: typeof faqEntries.published | typeof documents.published) =>
    anyState ? undefined : eq(column, true);
  if (ref.type === 'faq') {
    const [f] = await tx
      .select({ number: faqEntries.number, title: faqEntries.title })
      .from(faqEntries)
      .where(and(eq(faqEntries.id, ref.id), published(faqEntries.published), readableBy(actor, faqEntries.audience)));
    if (!f) throw new NotFoundError();
    return `la F.A.Q. n° ${f.number} « ${f.title} »`;
  }
  const [d] = await tx
    .select({ title: documents.title })
    .from(documents)
    .where(and(eq(documents.id, ref.id), published(documents.published), readableBy(actor, documents.audience)));
  if (!d) throw new NotFoundError();
  return `le document « ${d.title} »`;
}

async function event(tx: Tx, requestId: number, actorId: number, kind: 'resource_link' | 'resource_unlink', body: string) {
  await appendEvent(tx, requestId, { kind, actorId, body, internal: true });
}

/** « Associer »: attaches a published FAQ entry or document; attaching it again changes nothing. */
export async function attachResource(tx: Tx, actor: Actor, number: number, ref: ResourceRef): Promise<void> {
  const request = await visibleRequest(tx, actor, number);
  const words = await describe(tx, actor, ref);
  const values = { requestId: request.id, createdBy: actor.id };
  const inserted =
    ref.type === 'faq'
      ? await tx
          .insert(requestFaqLinks)
          .values({ ...values, faqEntryId: ref.id })
          .onConflictDoNothing()
          .returning({ id: requestFaqLinks.requestId })
      : await tx
          .insert(requestDocumentLinks)
          .values({ ...values, documentId: ref.id })
          .onConflictDoNothing()
          .returning({ id: requestDocumentLinks.requestId });
  if (inserted.length) await event(tx, request.id, actor.id, 'resource_link', `Ressource associée : ${words}.`);
}

/** « Retirer »: detaches a resource; one that is not attached is a 404. */
export async function detachResource(tx: Tx, actor: Actor, number: number, ref: ResourceRef): Promise<void> {
  const request = await visibleRequest(tx, actor, number);
  const removed =
    ref.type === 'faq'
      ? await tx
          .delete(requestFaqLinks)
          .where(and(eq(requestFaqLinks.requestId, request.id), eq(requestFaqLinks.faqEntryId, ref.id)))
          .returning({ id: requestFaqLinks.requestId })
      : await tx
          .delete(requestDocumentLinks)
          .where(and(eq(requestDocumentLinks.requestId, request.id), eq(requestDocumentLinks.documentId, ref.id)))
          .returning({ id: requestDocumentLinks.requestId });
  if (removed.length === 0) throw new NotFoundError();
  const words = await describe(tx, actor, ref, true);
  await event(tx, request.id, actor.id, 'resource_unlink', `Ressource retirée : ${words}.`);
}
