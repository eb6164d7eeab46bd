/**
 * « Créer une FAQ à partir de cette demande »: a treated request becomes an unpublished FAQ entry
 * for an editor to finish. Only what the requester could read goes in (the description and the
 * answer, never an internal note), without the names, e-mail addresses and telephone numbers of
 * the people involved.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { faqEntries, requestEvents, type requests, users } from '../../db/schema.js';
import { canEdit } from '../access.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit/audit.js';
import { ForbiddenError, TransitionError } from '../errors.js';
import { lockVisible } from '../requests/repository.js';
import { nextFaqNumber } from './faq-editing.js';

/** Requests whose answer is known: resolved, or closed. */
export const isTreated = (status: string) => status === 'resolved' || status === 'closed';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes e-mail addresses, telephone numbers and the given names (whole words, any case) from a
 * text meant for everyone.
 */
export function anonymize(text: string, names: string[]): string {
  let out = text
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, '[adresse électronique]')
    .replace(/(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}/g, '[téléphone]');
  const words = [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 3))].sort((a, b) => b.length - a.length);
  for (const name of words) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'giu'), '[nom]');
  }
  return out;
}

/** The names of everyone in the request: requester, agents who acted, the local agent filed for. */
async function namesIn(tx: Tx, request: typeof requests.$inferSelect): Promise<string[]> {
  const actorIds = await tx
    .selectDistinct({ id: requestEvents.actorId })
    .from(requestEvents)
    .where(eq(requestEvents.requestId, request.id));
  const ids = [request.requesterId, request.createdById, request.assigneeId, ...actorIds.map((a) => a.id)].filter(
    (id): id is number => id !== null,
  );
  const people = await tx
    .select({ firstName: users.firstName, lastName: users.lastName, login: users.login })
    .from(users)
    .where(inArray(users.id, ids));
  const names = people.flatMap((p) => [
    `${p.firstName} ${p.lastName}`,
    `${p.lastName} ${p.firstName}`,
    p.firstName,
    p.lastName,
    p.login,
  ]);
  if (request.onBehalfName) names.push(request.onBehalfName, ...request.onBehalfName.split(/\s+/));
  return names;
}

/** The draft's text: the description, then the latest answer the requester received. */
async function draftBody(tx: Tx, request: typeof requests.$inferSelect): Promise<string> {
  const [answer] = await tx
    .select({ body: requestEvents.body })
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, request.id), eq(requestEvents.kind, 'resolve'), eq(requestEvents.internal, false)))
    .orderBy(desc(requestEvents.id))
    .limit(1);
  const parts = [request.description.trim()];
  if (answer?.body?.trim()) parts.push('**Réponse de l’assistance**', answer.body.trim());
  return anonymize(parts.join('\n\n'), await namesIn(tx, request));
}

/**
 * Drafts an FAQ entry from treated request `number` (once: a second call returns the first draft),
 * audit-logged. Editors only.
 */
export async function createFaqFromRequest(
  tx: Tx,
  actor: Actor,
  number: number,
  ip?: string,
): Promise<{ id: number; number: number; created: boolean }> {
  const request = await lockVisible(tx, actor, number);
  if (!canEdit(actor)) throw new ForbiddenError();
  if (!isTreated(request.status)) {
    throw new TransitionError('Une F.A.Q. se rédige à partir d’une demande traitée ou clôturée.');
  }
  const [existing] = await tx
    .select({ id: faqEntries.id, number: faqEntries.number })
    .from(faqEntries)
    .where(eq(faqEntries.sourceRequestId, request.id));
  if (existing) return { ...existing, created: false };
  const body = await draftBody(tx, request);
  // The same lock as the FAQ editor's: two entries created at once do not get the same number.
  await tx.execute(sql`select pg_advisory_xact_lock(727002)`);
  const faqNumber = await nextFaqNumber(tx);
  const [row] = await tx
    .insert(faqEntries)
    .values({
      number: faqNumber,
      title: anonymize(request.subject, await namesIn(tx, request)).slice(0, 300),
      body,
      applicationId: request.applicationId,
      themeId: request.themeId,
      published: false,
      updatedBy: actor.id,
      sourceRequestId: request.id,
    })
    .returning({ id: faqEntries.id });
  if (!row) throw new Error('insert returned nothing');
  await audit(tx, {
    action: 'faq.create_from_request',
    actorId: actor.id,
    ip,
    target: `faq:${row.id}`,
    details: { number: faqNumber, requestNumber: request.number },
  });
  return { id: row.id, number: faqNumber, created: true };
}
