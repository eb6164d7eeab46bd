/**
 * Lists of requests, filtered in SQL by what the actor may see, keyset-paginated.
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { applications, requests, users } from '../../db/schema.js';
import { displayName } from '../accounts/actors.js';
import type { Actor } from '../actor.js';
import { getSettings } from '../settings/settings.js';
import { isSerialId } from '../validation.js';
import type { RequestStatus } from '../vocabulary.js';
import { unreadBy } from './desk.js';
import { afterCursor, cursorTimestamp, encodeCursor, type Keyset, TIMESTAMP_VALUE } from './keyset.js';
import { visibleTo } from './policy.js';
import { type Due, dueCondition, dueOf, SERVICE_LEVEL_COLUMNS } from './service-level.js';
import { OPEN_STATUSES } from './workflow.js';

const assignee = alias(users, 'assignee');
const requester = alias(users, 'requester');

export type ListRow = {
  number: number;
  subject: string;
  status: RequestStatus;
  applicationName: string;
  updatedAt: Date;
  createdAt: Date;
  blocking: boolean;
  level: 1 | 2;
  assigneeName: string | null;
  requesterName: string;
  /** The version shown, for actions from the list (the desk's selection). */
  version?: number;
  /** What is due next and how it stands (desk). */
  due?: Due | null;
  /** The requester wrote since the reader last opened the request (desk). */
  unread?: boolean;
};

export type ListFilters = {
  /** One status, or every status still being handled. */
  status?: RequestStatus | 'open';
  applicationId?: number;
  level?: 1 | 2;
  /** 'me', 'none' or a user id. */
  assignee?: 'me' | 'none' | number;
  blocking?: boolean;
  /** Service level: past the due date, or close to it. */
  due?: 'late' | 'soon';
  /** Only requests where the requester wrote since the actor last opened them. */
  unread?: boolean;
};

export type Page<T> = { rows: T[]; next: string | null };

/** The orders of the desk's queue; each comes in both directions. */
export const QUEUE_SORTS = ['echeance', 'bloquant', 'creation', 'maj'] as const;
export type QueueSort = { key: (typeof QUEUE_SORTS)[number]; direction: 'asc' | 'desc' };
/** The home page's and the desk's historical order: the newest update first. */
export const BY_UPDATE_DESC: QueueSort = { key: 'maj', direction: 'desc' };

const FAR_FUTURE = sql.raw(`'9999-12-31 00:00:00+00'::timestamptz`);
/** What is due next, as dueOf reads it; requests with nothing due come after every other. */
const dueAt = sql`coalesce(case when ${requests.status} in (${sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '))}) then case when ${requests.firstResponseAt} is null then ${requests.firstResponseDueAt} else ${requests.resolutionDueAt} end end, ${FAR_FUTURE})`;
const micros = (at: SQL) => sql`(extract(epoch from ${at}) * 1000000)::bigint`;
/** Blocking requests first, then by what is due: one number, so one keyset (a flag, then microseconds). */
const blockingThenDue = sql`((case when ${requests.blocking} then 0 else 1 end)::bigint * 1000000000000000000 + ${micros(dueAt)})`;

const BIG_VALUE = /^\d{1,19}$/;

function keysetOf(sort: QueueSort): { keyset: Keyset; cursorValue: SQL<string> } {
  const order = `${sort.key}-${sort.direction}`;
  const direction = sort.direction;
  if (sort.key === 'maj' || sort.key === 'creation') {
    const column = sort.key === 'maj' ? requests.updatedAt : requests.createdAt;
    return {
      keyset: { order, column, value: TIMESTAMP_VALUE, cast: 'timestamptz', direction },
      cursorValue: cursorTimestamp(column),
    };
  }
  const expression = sort.key === 'echeance' ? micros(dueAt) : blockingThenDue;
  return {
    keyset: { order, column: expression, value: BIG_VALUE, cast: 'bigint', direction },
    cursorValue: sql<string>`${expression}::text`,
  };
}

/** The list's conditions: what the actor may see, then the filters. */
async function conditionsOf(db: Executor, actor: Actor, filters: ListFilters, mine: boolean) {
  const settings = await getSettings(db);
  const where: (SQL | undefined)[] = [visibleTo(actor, mine, settings)];
  if (filters.due) where.push(dueCondition(filters.due, settings));
  if (filters.status === 'open') where.push(inArray(requests.status, [...OPEN_STATUSES]));
  else if (filters.status) where.push(eq(requests.status, filters.status));
  if (filters.applicationId)
    where.push(isSerialId(filters.applicationId) ? eq(requests.applicationId, filters.applicationId) : sql`false`);
  if (filters.level) where.push(eq(requests.level, filters.level));
  if (filters.blocking !== undefined) where.push(eq(requests.blocking, filters.blocking));
  if (filters.assignee === 'me') where.push(eq(requests.assigneeId, actor.id));
  else if (filters.assignee === 'none') where.push(sql`${requests.assigneeId} is null`);
  else if (typeof filters.assignee === 'number') where.push(eq(requests.assigneeId, filters.assignee));
  if (filters.unread) where.push(unreadBy(actor.id));
  return { settings, where };
}

/**
 * Requests visible to `actor` (requester: theirs; staff: their desk), in `sort`'s order (newest
 * update first by default), keyset-paginated. Staff rows say whether the requester wrote since
 * the actor last opened the request.
 */
export async function listRequests(
  db: Executor,
  actor: Actor,
  filters: ListFilters,
  options: { cursor?: string; limit: number; mine?: boolean; sort?: QueueSort },
): Promise<Page<ListRow>> {
  const { settings, where } = await conditionsOf(db, actor, filters, options.mine ?? false);
  const { keyset, cursorValue } = keysetOf(options.sort ?? BY_UPDATE_DESC);
  where.push(afterCursor(keyset, options.cursor));
  const by = keyset.direction === 'desc' ? desc : asc;
  const staff = actor.role !== 'requester';
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
      createdAt: requests.createdAt,
      updatedAt: requests.updatedAt,
      unread: (staff ? unreadBy(actor.id) : sql`false`).as('unread'),
      cursorValue: cursorValue.as('cursor_value'),
      sortValue: sql`${keyset.column}`.as('sort_value'),
      level: requests.level,
      version: requests.version,
      ...SERVICE_LEVEL_COLUMNS,
    })
    .from(requests)
    .where(and(...where))
    .orderBy(by(keyset.column), by(requests.id))
    .limit(options.limit + 1)
    .as('chosen');
  const rows = await db
    .select({
      id: chosen.id,
      number: chosen.number,
      subject: chosen.subject,
      status: chosen.status,
      applicationName: applications.name,
      createdAt: chosen.createdAt,
      updatedAt: chosen.updatedAt,
      cursorValue: chosen.cursorValue,
      blocking: chosen.blocking,
      level: chosen.level,
      assignee: { firstName: assignee.firstName, lastName: assignee.lastName },
      requester: { firstName: requester.firstName, lastName: requester.lastName },
      version: chosen.version,
      unread: chosen.unread,
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
    .orderBy(by(chosen.sortValue), by(chosen.id));
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      number: r.number,
      subject: r.subject,
      status: r.status,
      applicationName: r.applicationName,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      blocking: r.blocking,
      level: r.level,
      assigneeName: r.assignee ? displayName(r.assignee) : null,
      requesterName: displayName(r.requester),
      version: r.version,
      due: staff ? dueOf(r.sla, settings) : undefined,
      unread: staff ? r.unread === true : undefined,
    })),
    next: rows.length > options.limit && last ? encodeCursor(keyset, last.cursorValue, last.id) : null,
  };
}

/** How many requests the list holds, counted up to `cap` (a count past it says « more than »). */
export async function countRequests(
  db: Executor,
  actor: Actor,
  filters: ListFilters,
  options: { mine?: boolean; cap: number },
): Promise<{ count: number; capped: boolean }> {
  const { where } = await conditionsOf(db, actor, filters, options.mine ?? false);
  const limited = db
    .select({ one: sql`1`.as('one') })
    .from(requests)
    .where(and(...where))
    .limit(options.cap + 1)
    .as('limited');
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(limited);
  const count = row?.count ?? 0;
  return { count: Math.min(count, options.cap), capped: count > options.cap };
}

/**
 * Every request of a list, in its order, read in keyset batches (one short query each, no
 * transaction held open), at most `max` rows: an export never holds the whole list in memory.
 */
export async function* streamRequests(
  db: Executor,
  actor: Actor,
  filters: ListFilters,
  options: { batch?: number; max?: number; mine?: boolean; sort?: QueueSort } = {},
): AsyncGenerator<ListRow> {
  const { batch = 500, max = 50_000, mine, sort } = options;
  let cursor: string | undefined;
  let sent = 0;
  while (sent < max) {
    const page = await listRequests(db, actor, filters, { cursor, limit: Math.min(batch, max - sent), mine, sort });
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
