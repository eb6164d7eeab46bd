/**
 * Staff search of requests: by number (exact), by subject and description, and by the comments of
 * the history (internal notes included: only staff use this search). Limited to the requests the
 * agent may see (`visibleTo`, the SQL twin of `canSee`); a requester gets nothing from it.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { isStaff } from '../access.js';
import type { Actor } from '../actor.js';
import { visibleTo } from '../requests/policy.js';
import { isBigId, isSerialId } from '../validation.js';
import type { RequestStatus } from '../vocabulary.js';
import { cleanQueryText, headline, isEmptyQuery, parseQuery, tsQuery } from './text-query.js';

export type RequestHit = {
  number: number;
  subject: string;
  status: RequestStatus;
  applicationName: string;
  updatedAt: Date;
  /** HTML-safe, with `<mark>`: from the description, or from the best matching comment. */
  excerpt: string;
  /** Where the words were found: the request itself, a comment, or its number. */
  matchedIn: 'request' | 'comment' | 'number';
  /** The excerpt comes from an internal note (shown to staff with a label). */
  internalNote: boolean;
  url: string;
  rank: number;
};

export type RequestSearchPage = { hits: RequestHit[]; hasMore: boolean; offset: number };

export const MAX_REQUEST_RESULTS = 50;
/** Deep pages are useless in a ranked search and costly: refine the words instead. */
export const MAX_REQUEST_OFFSET = 450;
/** A comment matching counts a little less than the request's own subject or description. */
const COMMENT_WEIGHT = 0.8;
/** The request whose number was typed comes first. */
const NUMBER_RANK = 1000;

/**
 * Each branch ranks only its newest matches: a common word matches a tenth of a million requests,
 * and ranking all of them would take seconds for results nobody pages through.
 */
export const RANKED_CANDIDATES = 1000;
/**
 * The newest rows are searched first (a few weeks of a busy desk); the whole history when they hold
 * fewer than RECENT_ENOUGH matches. The choice depends on the words, not on the page, so that paging
 * never switches between the two.
 * Candidates are gathered, then ordered (`id + 0`): walking the primary key backwards looking for a
 * rare word would read the whole table.
 */
const RECENT_REQUESTS = 10_000;
const RECENT_ENOUGH = 200;
const RECENT_EVENTS = 40_000;

/** The first ids of the recent windows, as values the planner can weigh (a subquery it cannot). */
async function recentFloors(db: Executor): Promise<{ requests: number; events: number }> {
  const result = await db.execute(sql`select (select max(id) from requests) as r, (select max(id) from request_events) as e`);
  const row = result.rows[0] as { r: string | null; e: string | null };
  return { requests: Number(row.r ?? 0) - RECENT_REQUESTS, events: Number(row.e ?? 0) - RECENT_EVENTS };
}

/** « 12345 », « n° 12345 » or « #12345 »: a request number. */
export function requestNumberOf(text: string): number | null {
  const match = /^(?:n\s*°|no\.?|#)?\s*(\d{1,15})$/i.exec(cleanQueryText(text));
  const n = match ? Number(match[1]) : Number.NaN;
  return isBigId(n) ? n : null;
}

type Row = {
  number: number | string;
  subject: string;
  status: RequestStatus;
  application_name: string;
  updated_at: string | Date;
  rank: number | string;
  by_number: boolean;
  in_request: boolean;
  request_excerpt: string;
  comment_excerpt: string | null;
  comment_internal: boolean | null;
  candidates: number | string;
};

type SearchQuery = { text: string; applicationId?: number; themeId?: number };

/** What every run of one search shares: the words, the agent's scope, the typed number, the recent windows. */
type Prepared = { q: SQL; scope: SQL; number: number | null; floors: { requests: number; events: number } };

/** A slice of the ranking; `excerpts` off spares the headlines (an export shows none). */
type Slice = { limit: number; offset: number; recentOnly: boolean; excerpts: boolean };

async function prepare(db: Executor, actor: Actor | null, query: SearchQuery): Promise<Prepared | null> {
  const parsed = parseQuery(query.text);
  if (!actor || !isStaff(actor) || isEmptyQuery(parsed)) return null;
  // Each branch keeps only what the agent may see, on the request row it already reads: no join of
  // every visible request to the matches.
  const scope = [visibleTo(actor, false)];
  if (query.applicationId !== undefined)
    scope.push(isSerialId(query.applicationId) ? sql`requests.application_id = ${query.applicationId}` : sql`false`);
  if (query.themeId !== undefined) scope.push(isSerialId(query.themeId) ? sql`requests.theme_id = ${query.themeId}` : sql`false`);
  return { q: tsQuery(parsed), scope: and(scope), number: requestNumberOf(query.text), floors: await recentFloors(db) };
}

async function runSlice(db: Executor, { q, scope, number, floors }: Prepared, slice: Slice): Promise<Row[]> {
  const { limit, offset, recentOnly, excerpts } = slice;
  const result = await db.execute(sql`
    with rm as (
      select requests.id, requests.search from requests
      where requests.search @@ ${q} and ${scope} and requests.id > ${recentOnly ? floors.requests : 0}
      order by requests.id + 0 desc limit ${RANKED_CANDIDATES}
    ),
    em as (
      select e.id, e.request_id, e.search from request_events e
      join requests on requests.id = e.request_id and ${scope}
      where e.body is not null and e.search @@ ${q} and e.id > ${recentOnly ? floors.events : 0}
      order by e.id + 0 desc limit ${RANKED_CANDIDATES}
    ),
    m as (
      select rm.id, ts_rank_cd(rm.search, ${q}) as rank from rm
      union all
      select em.request_id, ${COMMENT_WEIGHT} * ts_rank_cd(em.search, ${q}) from em
      ${number === null ? sql`` : sql`union all select requests.id, ${NUMBER_RANK} from requests where requests.number = ${number} and ${scope}`}
    ),
    hits as (
      select m.id, max(m.rank) as rank, bool_or(m.rank >= ${NUMBER_RANK}) as by_number
      from m
      group by m.id
      order by rank desc, m.id desc
      limit ${limit} offset ${offset}
    )
    select r.number, r.subject, r.status, a.name as application_name, r.updated_at, h.rank, h.by_number,
      r.search @@ ${q} as in_request,
      ${excerpts ? headline(sql`r.subject || ' — ' || r.description`, q) : sql`''`} as request_excerpt,
      c.excerpt as comment_excerpt, c.internal as comment_internal, (select count(*) from m) as candidates
    from hits h
    join requests r on r.id = h.id
    join applications a on a.id = r.application_id
    left join lateral (
      select ${excerpts ? headline(sql`e.body`, q) : sql`''`} as excerpt, e.internal from request_events e
      where e.request_id = r.id and e.body is not null and e.search @@ ${q}
      order by ts_rank_cd(e.search, ${q}) desc, e.id desc limit 1
    ) c on not (r.search @@ ${q})
    order by h.rank desc, h.id desc`);
  return result.rows as Row[];
}

/**
 * The recent rows first; all the years when they hold too few matches. Says which it kept, so that
 * the next slices of the same search read the same rows.
 */
async function firstSlice(db: Executor, prepared: Prepared, slice: Omit<Slice, 'recentOnly'>) {
  const recent = await runSlice(db, prepared, { ...slice, recentOnly: true });
  const enough = Number(recent[0]?.candidates ?? 0) >= RECENT_ENOUGH;
  const { floors } = prepared;
  if (enough || (floors.requests <= 0 && floors.events <= 0)) return { rows: recent, recentOnly: true };
  return { rows: await runSlice(db, prepared, { ...slice, recentOnly: false }), recentOnly: false };
}

export async function searchRequests(
  db: Executor,
  actor: Actor | null,
  query: SearchQuery & { limit?: number; offset?: number },
): Promise<RequestSearchPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 20), 1), MAX_REQUEST_RESULTS);
  const offset = Math.min(Math.max(Math.trunc(query.offset ?? 0), 0), MAX_REQUEST_OFFSET);
  const prepared = await prepare(db, actor, query);
  if (!prepared) return { hits: [], hasMore: false, offset };
  const { rows } = await firstSlice(db, prepared, { limit: limit + 1, offset, excerpts: true });
  return { hits: rows.slice(0, limit).map(toHit), hasMore: rows.length > limit, offset };
}

/** The most requests one search ranks: each branch's candidates, and the request of a typed number. */
export const MAX_RANKED_REQUESTS = 2 * RANKED_CANDIDATES + 1;

/**
 * Every request the search ranks, best first, without excerpts, read in slices of `batch`: the
 * export of a staff search. The ranking is bounded (MAX_RANKED_REQUESTS) and recomputed whole for
 * each slice, so an offset costs no more than a cursor would; the recent-or-all choice of the first
 * slice holds for the others, or they would rank other rows.
 */
export async function* streamRequestSearch(
  db: Executor,
  actor: Actor | null,
  query: SearchQuery,
  { batch = 500 }: { batch?: number } = {},
): AsyncGenerator<RequestHit> {
  const prepared = await prepare(db, actor, query);
  if (!prepared) return;
  let recentOnly: boolean | undefined;
  for (let offset = 0; offset < MAX_RANKED_REQUESTS; ) {
    const slice = { limit: Math.min(batch, MAX_RANKED_REQUESTS - offset), offset, excerpts: false };
    let rows: Row[];
    if (recentOnly === undefined) ({ rows, recentOnly } = await firstSlice(db, prepared, slice));
    else rows = await runSlice(db, prepared, { ...slice, recentOnly });
    for (const row of rows) yield toHit(row);
    if (rows.length < slice.limit) return;
    offset += rows.length;
  }
}

function and(parts: (SQL | undefined)[]): SQL {
  const kept = parts.filter((p): p is SQL => p !== undefined);
  // An administrator's scope has no condition.
  return kept.length ? sql.join(kept, sql` and `) : sql`true`;
}

function toHit(r: Row): RequestHit {
  const fromComment = !r.in_request && r.comment_excerpt !== null;
  const number = Number(r.number);
  return {
    number,
    subject: r.subject,
    status: r.status,
    applicationName: r.application_name,
    updatedAt: new Date(r.updated_at),
    excerpt: fromComment ? (r.comment_excerpt ?? '') : r.request_excerpt,
    matchedIn: r.by_number ? 'number' : fromComment ? 'comment' : 'request',
    internalNote: fromComment && r.comment_internal === true,
    url: `/demandes/${number}`,
    rank: Number(r.rank),
  };
}
