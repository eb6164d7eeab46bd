import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadActor } from '../../domain/accounts/actors.js';
import { totpEnabled, totpRequired } from '../../domain/accounts/totp.js';
import { getSettings } from '../../domain/settings/settings.js';
import { ENROLMENT_PATH } from '../plugins/actor-gate.js';
import { beginSecondFactor } from './second-factor.js';
import { startSession } from './session.js';

/**
 * After a first factor (password or ProConnect): the second factor when it is on, otherwise a
 * signed-in session — confined to the enrolment page when the second factor is required but missing.
 */
export async function completeSignIn(
  request: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  remember: boolean,
  next: string,
  /** Keeps more in the new session (before the answer saves it). */
  keep: (session: FastifyRequest['session']) => void = () => {},
) {
  const { db } = request.server.deps;
  if (await totpEnabled(db, userId)) {
    await beginSecondFactor(request, userId, remember, next);
    keep(request.session);
    return reply.redirect('/connexion/verification', 303);
  }
  await startSession(request, reply, userId, remember);
  keep(request.session);
  const actor = await loadActor(db, userId);
  if (actor && totpRequired(await getSettings(db), actor.role)) {
    request.session.totpEnrolmentRequired = true;
    return reply.redirect(ENROLMENT_PATH, 303);
  }
  return reply.redirect(next, 303);
}
