import type { FastifyReply, FastifyRequest } from 'fastify';
import { REMEMBER_MS } from '../../domain/accounts/sessions.js';
import { renewCsrfSecret } from '../plugins/csrf.js';

/**
 * Opens a signed-in session under a new id and a new CSRF secret (no fixation of either);
 * « Se souvenir de moi » keeps it 30 days.
 */
export async function startSession(request: FastifyRequest, reply: FastifyReply, userId: number, remember: boolean) {
  await request.session.regenerate();
  renewCsrfSecret(request, reply);
  request.session.userId = userId;
  request.session.remember = remember;
  request.session.startedAt = Date.now();
  request.session.seenAt = Date.now();
  if (remember) request.session.cookie.maxAge = REMEMBER_MS;
}
