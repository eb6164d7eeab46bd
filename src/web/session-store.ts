import { eq, lt, sql } from 'drizzle-orm';
import type { Session } from 'fastify';
import type { Db } from '../db/client.js';
import { sessions } from '../db/schema.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/** What the portal keeps in a session. */
export type SessionData = {
  userId?: number;
  remember?: boolean;
  startedAt?: number;
  seenAt?: number;
  flash?: string;
};

export const IDLE_MS = 30 * 60 * 1000;
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const REMEMBER_MS = 30 * 24 * 60 * 60 * 1000;

/** When a session stops being valid: idle and absolute limits, or 30 days when remembered. */
export function sessionDeadline(data: SessionData): number {
  const started = data.startedAt ?? Date.now();
  const seen = data.seenAt ?? started;
  return data.remember ? started + REMEMBER_MS : Math.min(started + ABSOLUTE_MS, seen + IDLE_MS);
}

/** Session store in PostgreSQL (both drivers); the user id column lets us end a person's sessions at once. */
export class PgSessionStore {
  constructor(private readonly db: Db) {}

  get(sid: string, callback: Callback<Session | null>) {
    this.db
      .select({ data: sessions.data })
      .from(sessions)
      .where(sql`${sessions.sid} = ${sid} and ${sessions.expiresAt} > now()`)
      .then(([row]) => callback(undefined, (row?.data as Session | undefined) ?? null), callback);
  }

  set(sid: string, session: Session, callback: Callback) {
    const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
    const expiresAt = new Date(sessionDeadline(session));
    const userId = session.userId ?? null;
    this.db
      .insert(sessions)
      .values({ sid, data, userId, expiresAt })
      .onConflictDoUpdate({ target: sessions.sid, set: { data, userId, expiresAt } })
      .then(() => callback(), callback);
  }

  destroy(sid: string, callback: Callback) {
    this.db
      .delete(sessions)
      .where(eq(sessions.sid, sid))
      .then(() => callback(), callback);
  }
}

/** Ends every session of a user (disabled account, password reset). */
export async function endSessionsOf(db: Db, userId: number) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function purgeExpiredSessions(db: Db) {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
