/**
 * The desk's day: what waits for an agent (the home page's counters) and which requests hold
 * information they have not read yet.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { requestReads, requests } from '../../db/schema.js';
import type { Actor } from '../actor.js';
import { now } from '../clock.js';
import { getSettings } from '../settings/settings.js';
import { visibleTo } from './policy.js';
import { dueCondition } from './service-level.js';

/** The requester wrote (a complement, a refused answer) since `readerId` last opened the request. */
export const unreadBy = (readerId: number): SQL =>
  sql`${requests.requesterActivityAt} > coalesce((select ${requestReads.readAt} from ${requestReads} where ${requestReads.userId} = ${readerId} and ${requestReads.requestId} = ${requests.id}), '-infinity'::timestamptz)`;

/** Records that a staff member opened the request now (one statement, whatever was there). */
export async function markRead(tx: Tx, readerId: number, requestId: number, at: Date = now()): Promise<void> {
  await tx
    .insert(requestReads)
    .values({ userId: readerId, requestId, readAt: at })
    .onConflictDoUpdate({ target: [requestReads.userId, requestReads.requestId], set: { readAt: at } });
}

export type DeskCounters = {
  /** Nouvelles: filed, nobody has taken them yet. */
  fresh: number;
  late: number;
  mine: number;
  awaitingRequester: number;
  /** Among mine: the requester wrote since I last opened it. */
  unread: number;
};

/** The counters of the agent's home, over the open requests of their desk, in one statement. */
export async function deskCounters(db: Executor, actor: Actor): Promise<DeskCounters> {
  const settings = await getSettings(db);
  const mine = eq(requests.assigneeId, actor.id);
  const [row] = await db
    .select({
      fresh: sql<number>`(count(*) filter (where ${requests.status} = 'new'))::int`,
      late: sql<number>`(count(*) filter (where ${dueCondition('late', settings)}))::int`,
      mine: sql<number>`(count(*) filter (where ${mine}))::int`,
      awaitingRequester: sql<number>`(count(*) filter (where ${requests.status} = 'awaiting_info'))::int`,
      unread: sql<number>`(count(*) filter (where ${and(mine, unreadBy(actor.id))}))::int`,
    })
    .from(requests)
    .where(and(visibleTo(actor, false, settings), sql`${requests.status} in ('new', 'in_progress', 'awaiting_info')`));
  return row ?? { fresh: 0, late: 0, mine: 0, awaitingRequester: 0, unread: 0 };
}
