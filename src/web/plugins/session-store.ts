import { eq, sql } from 'drizzle-orm';
import type { Session } from 'fastify';
import type { Db } from '../../db/client.js';
import { sessions } from '../../db/schema.js';
import { sessionDeadline } from '../../domain/accounts/sessions.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/** What the portal keeps in a session. */
export type SessionData = {
  userId?: number;
  remember?: boolean;
  startedAt?: number;
  seenAt?: number;
  flash?: string;
  /** The desk's filters, as last used, per list (their query string). */
  deskQueries?: { all?: string; mine?: string };
};

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
