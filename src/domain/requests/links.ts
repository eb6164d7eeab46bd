/**
 * Linked requests (« Demandes liées ») and duplicates. A pair is stored once, smallest id first;
 * linking and unlinking leave an internal event in both requests' histories.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { requestLinks, requests } from '../../db/schema.js';
import { isStaff } from '../access.js';
import type { Actor } from '../actor.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { getSettings } from '../settings/settings.js';
import { isBigId } from '../validation.js';
import { canSee } from './policy.js';
import { appendEvent, lockVisible } from './repository.js';

type Request = typeof requests.$inferSelect;

/** The form field a link's errors are shown next to. */
export const LINK_FIELD = 'linkNumber';
/** The field of the original request in « Marquer comme doublon ». */
export const DUPLICATE_FIELD = 'duplicateOfNumber';

const MESSAGES = {
  number: 'Indiquez le numéro d’une demande, en chiffres.',
  unknown: 'Aucune demande ne porte ce numéro parmi celles que vous pouvez consulter.',
  self: 'Indiquez le numéro d’une autre demande que celle-ci.',
  linked: 'Ces deux demandes sont déjà liées.',
  loop: 'Cette demande est déjà, directement ou non, clôturée comme doublon de celle-ci.',
};

/** Staff who see a request may link it; requesters never do. */

/** Parses a request number typed in a form (« 12 345 », « n° 12345 »), or null. */
export function parseRequestNumber(value: unknown): number | null {
  if (typeof value === 'number') return isBigId(value) ? value : null;
  if (typeof value !== 'string') return null;
  const digits = value.replace(/^\s*n\s*°\s*/i, '').replace(/[\s\u00a0\u202f]/g, '');
  if (!/^\d{1,15}$/.test(digits)) return null;
  const number = Number(digits);
  return isBigId(number) ? number : null;
}

/**
 * The other request of a link or of a duplicate, typed by the agent: it must exist, be visible to
 * them and not be `request` itself. Errors are shown next to `field`.
 */
export async function otherRequest(tx: Tx, actor: Actor, request: Request, typed: unknown, field: string): Promise<Request> {
  const number = parseRequestNumber(typed);
  if (number === null) throw new ValidationError({ [field]: MESSAGES.number });
  if (number === request.number) throw new ValidationError({ [field]: MESSAGES.self });
  const [other] = await tx.select().from(requests).where(eq(requests.number, number));
  if (!other || !canSee(actor, other, await getSettings(tx))) throw new ValidationError({ [field]: MESSAGES.unknown });
  return other;
}

const pair = (a: number, b: number) => (a < b ? { requestId: a, linkedRequestId: b } : { requestId: b, linkedRequestId: a });

/** Stores the link of two requests; false when they were already linked. */
export async function insertLink(tx: Tx, a: number, b: number, actorId: number | null): Promise<boolean> {
  const inserted = await tx
    .insert(requestLinks)
    .values({ ...pair(a, b), createdBy: actorId })
    .onConflictDoNothing()
    .returning({ id: requestLinks.requestId });
  return inserted.length > 0;
}

/** An internal event in one request's history (links are the desk's business). */
export async function linkEvent(tx: Tx, requestId: number, actorId: number | null, kind: 'link' | 'unlink', body: string) {
  await appendEvent(tx, requestId, { kind, actorId, body, internal: true });
}

/** « Lier à la demande n° … »: links request `number` to the one typed by the agent. */
export async function linkRequests(tx: Tx, actor: Actor, number: number, typed: unknown): Promise<{ linked: number }> {
  if (!isStaff(actor)) throw new NotFoundError();
  const request = await lockVisible(tx, actor, number);
  const other = await otherRequest(tx, actor, request, typed, LINK_FIELD);
  if (!(await insertLink(tx, request.id, other.id, actor.id))) throw new ValidationError({ [LINK_FIELD]: MESSAGES.linked });
  await linkEvent(tx, request.id, actor.id, 'link', `Demande liée à la n° ${other.number}.`);
  await linkEvent(tx, other.id, actor.id, 'link', `Demande liée à la n° ${request.number}.`);
  return { linked: other.number };
}

/** « Retirer le lien »: removes the link of two requests; a pair that is not linked is a 404. */
export async function unlinkRequests(tx: Tx, actor: Actor, number: number, otherNumber: unknown): Promise<void> {
  if (!isStaff(actor)) throw new NotFoundError();
  const request = await lockVisible(tx, actor, number);
  const parsed = parseRequestNumber(otherNumber);
  const [other] = parsed === null ? [] : await tx.select().from(requests).where(eq(requests.number, parsed));
  if (!other || !canSee(actor, other, await getSettings(tx))) throw new NotFoundError();
  const { requestId, linkedRequestId } = pair(request.id, other.id);
  const removed = await tx
    .delete(requestLinks)
    .where(and(eq(requestLinks.requestId, requestId), eq(requestLinks.linkedRequestId, linkedRequestId)))
    .returning({ id: requestLinks.requestId });
  if (removed.length === 0) throw new NotFoundError();
  await linkEvent(tx, request.id, actor.id, 'unlink', `Lien retiré avec la n° ${other.number}.`);
  await linkEvent(tx, other.id, actor.id, 'unlink', `Lien retiré avec la n° ${request.number}.`);
}

/**
 * The original named in « Marquer comme doublon »: another request the agent sees, which is not
 * (through a chain of duplicates) a duplicate of this one.
 */
export async function findOriginal(tx: Tx, actor: Actor, request: Request, typed: unknown): Promise<Request> {
  const original = await otherRequest(tx, actor, request, typed, DUPLICATE_FIELD);
  if (await duplicateChainReaches(tx, original.id, request.id)) throw new ValidationError({ [DUPLICATE_FIELD]: MESSAGES.loop });
  return original;
}

/** True when following duplicate_of from `start` reaches `target` (bounded, in case of bad data). */
async function duplicateChainReaches(db: Executor, start: number, target: number): Promise<boolean> {
  const result = await db.execute(sql`
    with recursive chain(id, depth) as (
      select duplicate_of_id, 1 from requests where id = ${start} and duplicate_of_id is not null
      union all
      select r.duplicate_of_id, c.depth + 1 from chain c join requests r on r.id = c.id
      where r.duplicate_of_id is not null and c.depth < 100
    )
    select 1 as found from chain where id = ${target} limit 1`);
  return result.rows.length > 0;
}

/** After `request` was closed as a duplicate of `original`: the link, and a note in the original's history. */
export async function linkDuplicate(tx: Tx, actorId: number, request: Request, original: Request): Promise<void> {
  await insertLink(tx, request.id, original.id, actorId);
  await linkEvent(tx, original.id, actorId, 'link', `La demande n° ${request.number} a été clôturée comme doublon de celle-ci.`);
}

/**
 * A new request filed as the follow-up of its requester's closed one (« Déposer une nouvelle
 * demande » once the delay to reopen it has run out): the two are linked, each history says so.
 * Anything else typed in the address (another's request, one still open) is ignored.
 */
export async function linkFollowUp(tx: Tx, actor: Actor, filed: { id: number; number: number }, typed: unknown): Promise<void> {
  const number = parseRequestNumber(typed);
  if (number === null || number === filed.number) return;
  const [earlier] = await tx.select().from(requests).where(eq(requests.number, number));
  if (!earlier || earlier.requesterId !== actor.id || earlier.status !== 'closed') return;
  if (!(await insertLink(tx, earlier.id, filed.id, actor.id))) return;
  await linkEvent(tx, filed.id, actor.id, 'link', `Suite de la demande n° ${earlier.number}, clôturée.`);
  await linkEvent(tx, earlier.id, actor.id, 'link', `Suite donnée par la demande n° ${filed.number}.`);
}
