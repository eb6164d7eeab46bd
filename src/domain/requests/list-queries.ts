/**
 * Lists of requests, filtered in SQL by what the actor may see, keyset-paginated.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { applications, requests, users } from '../../db/schema.js';
import { displayName } from '../accounts/actors.js';
import type { Actor } from '../actor.js';
import { getSettings } from '../settings/settings.js';
import { isSerialId } from '../validation.js';
import type { RequestStatus } from '../vocabulary.js';
import { afterCursor, cursorTimestamp, encodeCursor, type Keyset, TIMESTAMP_VALUE } from './keyset.js';
import { visibleTo } from './policy.js';
import { type Due, dueCondition, dueOf, SERVICE_LEVEL_COLUMNS } from './service-level.js';

const assignee = alias(users, 'assignee');
const requester = alias(users, 'requester');

export type ListRow = {
  number: number;
  subject: string;
  status: RequestStatus;
  applicationName: string;
  updatedAt: Date;
  blocking: boolean;
  level: 1 | 2;
  assigneeName: string | null;
  requesterName: string;
  /** The version shown, for actions from the list (the desk's selection). */
  version?: number;
  /** What is due next and how it stands (desk). */
  due?: Due | null;
};

export type ListFilters = {
  status?: RequestStatus;
  applicationId?: number;
  level?: 1 | 2;
  /** 'me', 'none' or a user id. */
  assignee?: 'me' | 'none' | number;
  blocking?: boolean;
  /** Service level: past the due date, or close to it. */
  due?: 'late' | 'soon';
};

export type Page<T> = { rows: T[]; next: string | null };

/** The desk's and the home page's order: the newest update first. */
const BY_UPDATE: Keyset = {
  order: 'maj-desc',
  column: requests.updatedAt,
  value: TIMESTAMP_VALUE,
  cast: 'timestamptz',
  direction: 'desc',
};

/** Requests visible to `actor` (requester: theirs; staff: their desk), newest update first, keyset-paginated. */
export async function listRequests(
  db: Executor,
  actor: Actor,
  filters: ListFilters,
  options: { cursor?: string; limit: number; mine?: boolean },
): Promise<Page<ListRow>> {
  const settings = await getSettings(db);
  const where: (SQL | undefined)[] = [visibleTo(actor, options.mine ?? false, settings)];
  if (filters.due) where.push(dueCondition(filters.due, settings));
  if (filters.status) where.push(eq(requests.status, filters.status));
  if (filters.applicationId)
    where.push(isSerialId(filters.applicationId) ? eq(requests.applicationId, filters.applicationId) : sql`false`);
  if (filters.level) where.push(eq(requests.level, filters.level));
  if (filters.blocking !== undefined) where.push(eq(requests.blocking, filters.blocking));
  if (filters.assignee === 'me') where.push(eq(requests.assigneeId, actor.id));
  else if (filters.assignee === 'none') where.push(sql`${requests.assigneeId} is null`);
  else if (typeof filters.assignee === 'number') where.push(eq(requests.assigneeId, filters.assignee));
  where.push(afterCursor(BY_UPDATE, options.cursor));
  // The page is chosen from requests alone, then joined to names: a join before the limit would read
  // every user to name rows that are not shown.
  const chosen = db
    .select({
      id: requests.id,
      number: requests.number,
      subject: requests.subject,
      applicationId: requests.applicationId,
      requesterId: requests.requesterId,
      assigneeId: requests.assigneeId,
      updatedAt: requests.updatedAt,
      cursorAt: cursorTimestamp(requests.updatedAt).as('cursor_at'),
      level: requests.level,
      version: requests.version,
      ...SERVICE_LEVEL_COLUMNS,
    })
    .from(requests)
    .where(and(...where))
    .orderBy(desc(requests.updatedAt), desc(requests.id))
    .limit(options.limit + 1)
    .as('chosen');
  const rows = await db
    .select({
      id: chosen.id,
      number: chosen.number,
      subject: chosen.subject,
      status: chosen.status,
      applicationName: applications.name,
      updatedAt: chosen.updatedAt,
      cursorAt: chosen.cursorAt,
      blocking: chosen.blocking,
      level: chosen.level,
      assignee: { firstName: assignee.firstName, lastName: assignee.lastName },
      requester: { firstName: requester.firstName, lastName: requester.lastName },
      version: chosen.version,
      sla: {
        status: chosen.status,
        blocking: chosen.blocking,
        firstResponseDueAt: chosen.firstResponseDueAt,
        resolutionDueAt: chosen.resolutionDueAt,
        firstResponseAt: chosen.firstResponseAt,
        slaPausedAt: chosen.slaPausedAt,
      },
    })
    .from(chosen)
    .innerJoin(applications, eq(applications.id, chosen.applicationId))
    .innerJoin(requester, eq(requester.id, chosen.requesterId))
    .leftJoin(assignee, eq(assignee.id, chosen.assigneeId))
    .orderBy(desc(chosen.updatedAt), desc(chosen.id));
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      number: r.number,
      subject: r.subject,
      status: r.status,
      applicationName: r.applicationName,
      updatedAt: r.updatedAt,
      blocking: r.blocking,
      level: r.level,
      assigneeName: r.assignee ? displayName(r.assignee) : null,
      requesterName: displayName(r.requester),
      version: r.version,
      due: actor.role === 'requester' ? undefined : dueOf(r.sla, settings),
    })),
    next: rows.length > options.limit && last ? encodeCursor(BY_UPDATE, last.cursorAt, last.id) : null,
  };
}

/**
 * Every request of a list, in its order, read in keyset batches (one short query each, no
 * transaction held open), at most `max` rows: an export never holds the whole list in memory.
 */
export async function* streamRequests(
  db: Executor,
  actor: Actor,
  filters: ListFilters,
  options: { batch?: number; max?: number; mine?: boolean } = {},
): AsyncGenerator<ListRow> {
  const { batch = 500, max = 50_000, mine } = options;
  let cursor: string | undefined;
  let sent = 0;
  while (sent < max) {
    const page = await listRequests(db, actor, filters, { cursor, limit: Math.min(batch, max - sent), mine });
    for (const row of page.rows) yield row;
    sent += page.rows.length;
    if (!page.next) return;
    cursor = page.next;
  }
}

/** The requester's own requests waiting for their answer (« En attente de complément »), latest asked first. */
export async function awaitingAnswer(db: Executor, actor: Actor, limit: number): Promise<{ number: number; subject: string }[]> {
  return db
    .select({ number: requests.number, subject: requests.subject })
    .from(requests)
    .where(and(eq(requests.requesterId, actor.id), eq(requests.status, 'awaiting_info')))
    .orderBy(desc(requests.updatedAt), desc(requests.id))
    .limit(limit);
}
