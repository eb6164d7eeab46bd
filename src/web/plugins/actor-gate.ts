import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Area, canUse } from '../../domain/access.js';
import { loadActor } from '../../domain/accounts/actors.js';
import { sessionDeadline } from '../../domain/accounts/sessions.js';
import type { Actor } from '../../domain/actor.js';
import { ForbiddenError } from '../../domain/errors.js';
import { getSettings } from '../../domain/settings/settings.js';
import type { ViewContext } from '../shared/view-context.js';

const TOUCH_EVERY_MS = 60_000;

/** « Mon compte › Double authentification ». */
export const ENROLMENT_PATH = '/mon-compte/double-authentification';

/** Finds who is behind the session; an expired session or a disabled account makes an anonymous visitor. */
export async function identify(request: FastifyRequest): Promise<void> {
  request.actor = null;
  const session = request.session;
  if (!session?.userId) return;
  if (Date.now() > sessionDeadline(session)) {
    await session.destroy();
    return;
  }
  const actor = await loadActor(request.server.deps.db, session.userId);
  if (!actor) {
    await session.destroy();
    return;
  }
  request.actor = actor;
  // The idle deadline moves on with activity; writing once a minute is enough.
  if (Date.now() - (session.seenAt ?? 0) > TOUCH_EVERY_MS) session.seenAt = Date.now();
}

/**
 * The person a gated route serves, typed non-null: the route's `requireArea` ran first, so a
 * missing one means a route without its gate, and it is refused rather than assumed.
 */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new ForbiddenError();
  return request.actor;
}

/** A route's gate: anonymous visitors go to the login (and come back); other roles get 403. */
export function requireArea(area: Area) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.actor) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/connexion${next}`, 303);
    }
    if (!canUse(request.actor, area)) throw new ForbiddenError();
  };
}

/**
 * Only a path of this portal is a valid return address. Browsers drop tabs and newlines from
 * URLs and read a backslash as a slash, so "/\t/evil.example" would lead to another site.
 * Characters outside ASCII are percent-encoded: a `Location` header carries nothing else.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || /[\\\s\p{Cc}]/u.test(next)) return '/';
  try {
    return next.replace(/[^\x21-\x7e]+/gu, (text) => encodeURIComponent(text));
  } catch {
    return '/'; // a lone surrogate cannot be encoded
  }
}

export async function viewContext(request: FastifyRequest, reply: FastifyReply): Promise<ViewContext> {
  return {
    actor: request.actor,
    settings: await getSettings(request.server.deps.db),
    csrfToken: reply.generateCsrf(),
    path: request.url.split('?')[0] ?? '/',
  };
}

/**
 * An administrator who must use the second factor and signed in before enrolling reaches only
 * the enrolment page (and the logout) until it is done.
 */
export async function confineUntilEnrolled(request: FastifyRequest, reply: FastifyReply) {
  if (!request.actor || !request.session?.totpEnrolmentRequired) return;
  const path = request.url.split('?')[0];
  if (path === ENROLMENT_PATH || path === '/deconnexion') return;
  return reply.redirect(ENROLMENT_PATH, 303);
}
