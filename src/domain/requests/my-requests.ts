/**
 * « Mes demandes »: a requester's own requests (or, when the setting allows, their structure's), filtered,
 * searched, sorted and keyset-paginated; the same query feeds the CSV export, in batches.
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { applications, requests, users } from '../../db/schema.js';
import { displayName } from '../accounts/actors.js';
import type { Actor } from '../actor.js';
import { getSettings } from '../settings/settings.js';
import { isBigId, isSerialId } from '../validation.js';
import type { RequestStatus } from '../vocabulary.js';
import { STATUSES } from '../vocabulary.js';
import { afterCursor, cursorTimestamp, encodeCursor, type Keyset, TIMESTAMP_VALUE } from './keyset.js';
import type { ListRow, Page } from './list-queries.js';
import type { Sharing } from './policy.js';
import { visibleTo } from './policy.js';

export const SORT_KEYS = ['maj', 'depot', 'numero'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

/** « Mes demandes » or « Toutes les demandes de ma structure ». */
export type Scope = 'mine' | 'structure';

export type MyRequestsQuery = {
  scope: Scope;
  statuses: RequestStatus[];
  applicationId?: number;
  /** Filed from this day, Paris time (YYYY-MM-DD)… */
  from?: string;
  /** …to this day included. */
  to?: string;
  /** A request number, or words of the subject. */
  search?: string;
  sort: SortKey;
  direction: SortDirection;
};

export type MyRow = ListRow & { createdAt: Date };

export const DEFAULT_QUERY: MyRequestsQuery = { scope: 'mine', statuses: [], sort: 'maj', direction: 'desc' };

/** Counts stop here: the list shows « 999+ » beyond, so a count never scans a whole history. */
export const COUNT_CAP = 999;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_SEARCH = /^(?:n°|no|#)?\s*(\d{1,15})$/i;

function validDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1990 && y <= 2200 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? '';

/**
 * The query of the filter form (GET parameters), with a French message per field it refuses.
 * Unknown values of closed lists (status, sort) are ignored; a refused field filters nothing.
 */
export function parseMyRequestsQuery(raw: Record<string, string | string[] | undefined>): {
  query: MyRequestsQuery;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const statuses = STATUSES.filter((s) => list(raw.statut).includes(s));
  const application = Number(one(raw.application));
  const [sortKey, sortDirection] = one(raw.tri).split('-');
  const query: MyRequestsQuery = {
    scope: one(raw.vue) === 'structure' ? 'structure' : 'mine',
    statuses,
    applicationId: isSerialId(application) ? application : undefined,
    sort: SORT_KEYS.includes(sortKey as SortKey) ? (sortKey as SortKey) : 'maj',
    direction: sortDirection === 'asc' ? 'asc' : 'desc',
  };
  // Control characters (a NUL byte would make PostgreSQL refuse the query) are only separators here.
  const search = one(raw.q)
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, 200);
  if (search) query.search = search;
  for (const [field, key] of [
    ['du', 'from'],
    ['au', 'to'],
  ] as const) {
    const value = one(raw[field]);
    if (!value) continue;
    if (validDay(value)) query[key] = value;
    else errors[field] = 'Saisissez une date valide, au format jj/mm/aaaa.';
  }
  if (query.from && query.to && query.to < query.from) {
    errors.au = 'La date de fin doit être le même jour que la date de début ou après.';
    delete query.to;
  }
  return { query, errors };
}

/** The query as GET parameters, in a stable order (links of the pager, the export and the tabs). */
export function queryParams(query: MyRequestsQuery, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (query.scope === 'structure') params.set('vue', 'structure');
  for (const s of query.statuses) params.append('statut', s);
  if (query.applicationId) params.set('application', String(query.applicationId));
  if (query.from) params.set('du', query.from);
  if (query.to) params.set('au', query.to);
  if (query.search) params.set('q', query.search);
  if (query.sort !== 'maj' || query.direction !== 'desc') params.set('tri', `${query.sort}-${query.direction}`);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params;
}

/** Quotes, a leading minus or « or » ask for the search syntax itself: no prefixes then. */
const SEARCH_SYNTAX = /["]|(^|\s)-|\sor\s/i;

/** Words of the subject, each also as a prefix (« agré » finds « Agréments »); nothing PostgreSQL could misread. */
function prefixQuery(search: string): string | null {
  if (SEARCH_SYNTAX.test(search)) return null;
  const words = search.match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length ? words.map((w) => `${w.slice(0, 40)}:*`).join(' & ') : null;
}

function searchCondition(search: string): SQL {
  const number = NUMBER_SEARCH.exec(search)?.[1];
  if (number) return isBigId(Number(number)) ? eq(requests.number, Number(number)) : sql`false`;
  // The same expression as the GIN index of the migration, so the index serves it.
  const vector = sql`to_tsvector('fr_unaccent', ${requests.subject})`;
  const words = sql`${vector} @@ websearch_to_tsquery('fr_unaccent', ${search})`;
  const prefixes = prefixQuery(search);
  return prefixes ? sql`(${words} or ${vector} @@ to_tsquery('fr_unaccent', ${prefixes}))` : words;
}

/** Every condition of the query but the cursor. */
function conditions(actor: Actor, query: MyRequestsQuery, sharing: Sharing): SQL | undefined {
  const where: (SQL | undefined)[] = [visibleTo(actor, query.scope === 'mine', sharing)];
  if (query.statuses.length) where.push(inArray(requests.status, query.statuses));
  if (query.applicationId) where.push(eq(requests.applicationId, query.applicationId));
  // Days are Paris days: « du 03/02 » starts at midnight in Paris, « au 05/02 » includes the whole day.
  if (query.from) where.push(sql`${requests.createdAt} >= (${query.from}::date)::timestamp at time zone 'Europe/Paris'`);
  if (query.to) where.push(sql`${requests.createdAt} < (${query.to}::date + 1)::timestamp at time zone 'Europe/Paris'`);
  if (query.search) where.push(searchCondition(query.search));
  return and(...where);
}

const SORT_COLUMNS = { maj: requests.updatedAt, depot: requests.createdAt, numero: requests.number } as const;

/** The keyset of the chosen sort. */
function keysetOf(query: MyRequestsQuery): Keyset {
  const numeric = query.sort === 'numero';
  return {
    order: `${query.sort}-${query.direction}`,
    column: SORT_COLUMNS[query.sort],
    value: numeric ? /^\d{1,15}$/ : TIMESTAMP_VALUE,
    cast: numeric ? 'bigint' : 'timestamptz',
    direction: query.direction,
  };
}

/** The sort value kept in a cursor. */
const cursorValue = (sort: SortKey) =>
  sort === 'numero' ? sql<string>`${requests.number}::text` : cursorTimestamp(SORT_COLUMNS[sort]);

const requester = alias(users, 'requester');

async function fetchRows(db: Executor, where: SQL | undefined, query: MyRequestsQuery, limit: number) {
  const column = SORT_COLUMNS[query.sort];
  const order = query.direction === 'desc' ? [desc(column), desc(requests.id)] : [asc(column), asc(requests.id)];
  // The page is chosen from requests alone, then joined to names (see listRequests).
  const chosen = db
    .select({
      id: requests.id,
      number: requests.number,
      subject: requests.subject,
      status: requests.status,
      applicationId: requests.applicationId,
      requesterId: requests.requesterId,
      createdAt: requests.createdAt,
      updatedAt: requests.updatedAt,
      blocking: requests.blocking,
      level: requests.level,
      cursorValue: cursorValue(query.sort).as('cursor_value'),
    })
    .from(requests)
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .as('chosen');
  const chosenColumn = { maj: chosen.updatedAt, depot: chosen.createdAt, numero: chosen.number }[query.sort];
  const rows = await db
    .select({
      id: chosen.id,
      number: chosen.number,
      subject: chosen.subject,
      status: chosen.status,
      applicationName: applications.name,
      createdAt: chosen.createdAt,
      updatedAt: chosen.updatedAt,
      blocking: chosen.blocking,
      level: chosen.level,
      cursorValue: chosen.cursorValue,
      requester: { firstName: requester.firstName, lastName: requester.lastName },
    })
    .from(chosen)
    .innerJoin(applications, eq(applications.id, chosen.applicationId))
    .innerJoin(requester, eq(requester.id, chosen.requesterId))
    .orderBy(...(query.direction === 'desc' ? [desc(chosenColumn), desc(chosen.id)] : [asc(chosenColumn), asc(chosen.id)]));
  return rows.map((r) => ({
    row: {
      number: r.number,
      subject: r.subject,
      status: r.status,
      applicationName: r.applicationName,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      blocking: r.blocking,
      level: r.level,
      // Who handles a request is shown on its page, not in the requester's list.
      assigneeName: null,
      requesterName: displayName(r.requester),
    } satisfies MyRow,
    cursor: encodeCursor(keysetOf(query), r.cursorValue, r.id),
  }));
}

/** One page of the list, and the cursor of the next one. */
export async function listMyRequests(
  db: Executor,
  actor: Actor,
  query: MyRequestsQuery,
  options: { cursor?: string; limit: number },
): Promise<Page<MyRow>> {
  const sharing = await getSettings(db);
  const where = and(conditions(actor, query, sharing), afterCursor(keysetOf(query), options.cursor));
  const rows = await fetchRows(db, where, query, options.limit + 1);
  const page = rows.slice(0, options.limit);
  return {
    rows: page.map((r) => r.row),
    next: rows.length > options.limit ? (page.at(-1)?.cursor ?? null) : null,
  };
}

/** How many requests match, up to COUNT_CAP + 1 (shown « 999+ »). */
export async function countMyRequests(db: Executor, actor: Actor, query: MyRequestsQuery): Promise<number> {
  const sharing = await getSettings(db);
  const capped = db
    .select({ one: sql`1` })
    .from(requests)
    .where(conditions(actor, query, sharing))
    .limit(COUNT_CAP + 1)
    .as('capped');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  return Number(row?.n ?? 0);
}

/**
 * Every matching request, in the list's order, read in keyset batches (one short query each, no
 * transaction held open), at most `max` rows: the export never holds the whole list in memory.
 */
export async function* streamMyRequests(
  db: Executor,
  actor: Actor,
  query: MyRequestsQuery,
  options: { batch?: number; max?: number } = {},
): AsyncGenerator<MyRow> {
  const { batch = 500, max = 50_000 } = options;
  const sharing = await getSettings(db);
  let cursor: string | undefined;
  let sent = 0;
  while (sent < max) {
    const want = Math.min(batch, max - sent);
    const where = and(conditions(actor, query, sharing), afterCursor(keysetOf(query), cursor));
    const rows = await fetchRows(db, where, query, want);
    for (const r of rows) yield r.row;
    sent += rows.length;
    if (rows.length < want) return;
    cursor = rows.at(-1)?.cursor;
  }
}
