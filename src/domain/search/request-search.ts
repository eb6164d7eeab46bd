/**
 * Staff search of requests: by number (exact), by subject and description, and by the comments of
 * the history (internal notes included: only staff use this search). Limited to the requests the
 * agent may see (`visibleTo`, the SQL twin of `canSee`); a requester gets nothing from it.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { RequestStatus } from '../../db/schema.js';
import { type Actor, isStaff } from '../actor.js';
import { visibleTo } from '../requests/list-queries.js';
import { isBigId, isSerialId } from '../validation.js';
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

const EVENT_VECTOR = sql`to_tsvector('fr_unaccent', coalesce(e.body, ''))`;

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
};

export async function searchRequests(
  db: Executor,
  actor: Actor | null,
  query: { text: string; applicationId?: number; themeId?: number; limit?: number; offset?: number },
): Promise<RequestSearchPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 20), 1), MAX_REQUEST_RESULTS);
  const offset = Math.min(Math.max(Math.trunc(query.offset ?? 0), 0), MAX_REQUEST_OFFSET);
  const parsed = parseQuery(query.text);
  if (!actor || !isStaff(actor) || isEmptyQuery(parsed)) return { hits: [], hasMore: false, offset };
  const q = tsQuery(parsed);
  // Each branch keeps only what the agent may see, on the request row it already reads: no join of
  // every visible request to the matches.
  const scope = [visibleTo(actor, false)];
  if (query.applicationId !== undefined)
    scope.push(isSerialId(query.applicationId) ? sql`requests.application_id = ${query.applicationId}` : sql`false`);
  if (query.themeId !== undefined) scope.push(isSerialId(query.themeId) ? sql`requests.theme_id = ${query.themeId}` : sql`false`);
  const number = requestNumberOf(query.text);
  const result = await db.execute(sql`
    with m as (
      select requests.id, ts_rank_cd(requests.search, ${q}) as rank from requests
      where requests.search @@ ${q} and ${and(scope)}
      union all
      select e.request_id, ${COMMENT_WEIGHT} * ts_rank_cd(${EVENT_VECTOR}, ${q}) from request_events e
      join requests on requests.id = e.request_id and ${and(scope)}
      where e.body is not null and ${EVENT_VECTOR} @@ ${q}
      ${number === null ? sql`` : sql`union all select requests.id, ${NUMBER_RANK} from requests where requests.number = ${number} and ${and(scope)}`}
    ),
    hits as (
      select m.id, max(m.rank) as rank, bool_or(m.rank >= ${NUMBER_RANK}) as by_number
      from m
      group by m.id
      order by rank desc, m.id desc
      limit ${limit + 1} offset ${offset}
    )
    select r.number, r.subject, r.status, a.name as application_name, r.updated_at, h.rank, h.by_number,
      r.search @@ ${q} as in_request,
      ${headline(sql`r.subject || ' — ' || r.description`, q)} as request_excerpt,
      c.excerpt as comment_excerpt, c.internal as comment_internal
    from hits h
    join requests r on r.id = h.id
    join applications a on a.id = r.application_id
    left join lateral (
      select ${headline(sql`e.body`, q)} as excerpt, e.internal from request_events e
      where e.request_id = r.id and e.body is not null and ${EVENT_VECTOR} @@ ${q}
      order by ts_rank_cd(${EVENT_VECTOR}, ${q}) desc, e.id desc limit 1
    ) c on not (r.search @@ ${q})
    order by h.rank desc, h.id desc`);
  const rows = result.rows as Row[];
  return { hits: rows.slice(0, limit).map(toHit), hasMore: rows.length > limit, offset };
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
