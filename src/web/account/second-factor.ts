import type { FastifyInstance, FastifyRequest } from 'fastify';
import { secretKey } from '../../domain/accounts/secret-box.js';

/** A password accepted, the second factor still to come: no signed-in session yet. */
const PENDING_MS = 5 * 60 * 1000;

declare module 'fastify' {
  interface Session {
    pendingUserId?: number;
    pendingRemember?: boolean;
    pendingNext?: string;
    pendingStartedAt?: number;
    /** Signed in, but confined to the enrolment page until the second factor is on. */
    totpEnrolmentRequired?: boolean;
  }
}

export type PendingSecondFactor = { userId: number; remember: boolean; next: string };

/** Keeps who typed a right password, under a new session id, for five minutes. */
export async function beginSecondFactor(request: FastifyRequest, userId: number, remember: boolean, next: string) {
  await request.session.regenerate();
  request.session.pendingUserId = userId;
  request.session.pendingRemember = remember;
  request.session.pendingNext = next;
  request.session.pendingStartedAt = Date.now();
}

/** The second factor awaited in this session, or null (none, or more than five minutes old). */
export function pendingSecondFactor(request: FastifyRequest): PendingSecondFactor | null {
  const s = request.session;
  if (!s?.pendingUserId || s.userId) return null;
  if (Date.now() - (s.pendingStartedAt ?? 0) > PENDING_MS) return null;
  return { userId: s.pendingUserId, remember: s.pendingRemember === true, next: s.pendingNext ?? '/' };
}

export function clearSecondFactor(request: FastifyRequest) {
  request.session.pendingUserId = undefined;
  request.session.pendingRemember = undefined;
  request.session.pendingNext = undefined;
  request.session.pendingStartedAt = undefined;
}

/** The key that encrypts TOTP secrets, derived from SESSION_SECRET. */
export function totpKey(app: FastifyInstance): Buffer {
  return secretKey(app.deps.config.sessionSecret);
}
