import type { FastifyRequest } from 'fastify';
import { REMEMBER_MS } from '../session-store.js';

/** Opens a signed-in session under a new id (no fixation); « Se souvenir de moi » keeps it 30 days. */
export async function startSession(request: FastifyRequest, userId: number, remember: boolean) {
  await request.session.regenerate();
  request.session.userId = userId;
  request.session.remember = remember;
  request.session.startedAt = Date.now();
  request.session.seenAt = Date.now();
  if (remember) request.session.cookie.maxAge = REMEMBER_MS;
}
