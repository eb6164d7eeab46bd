/**
 * How long a signed-in session lasts (idle and absolute limits, « Se souvenir de moi »), and the
 * housekeeping of the sessions table. The web layer stores sessions (web/plugins/session-store.ts).
 */
import { lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sessions } from '../../db/schema.js';

export const IDLE_MS = 30 * 60 * 1000;
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const REMEMBER_MS = 30 * 24 * 60 * 60 * 1000;

export type SessionTimes = { startedAt?: number; seenAt?: number; remember?: boolean };

/** When a session stops being valid: idle and absolute limits, or 30 days when remembered. */
export function sessionDeadline(data: SessionTimes): number {
  const started = data.startedAt ?? Date.now();
  const seen = data.seenAt ?? started;
  return data.remember ? started + REMEMBER_MS : Math.min(started + ABSOLUTE_MS, seen + IDLE_MS);
}

export async function purgeExpiredSessions(db: Db) {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
