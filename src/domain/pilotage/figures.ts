/**
 * The figures of « Pilotage », from the facts table (one row per request, kept by the worker) and
 * the status spans; every query is bounded by an indexed range of dates within the person's
 * applications and answered from the index alone (it carries what the query reads), never a scan
 * of `requests` or `request_events`.
 *
 * Volumes count each request at its own date (filed, treated, closed in the period); durations
 * and shares are those of the requests filed in the period. Durations are working minutes.
 */
import { type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { type FactChannel, requestFacts } from '../../db/schema.js';
import { now } from '../clock.js';
import { type DueColumns, dueCondition } from '../requests/service-level.js';
import { getSettings } from '../settings/settings.js';
import { DESK_TIME_ZONE } from '../time/working-time.js';
import type { RequestStatus } from '../vocabulary.js';
import type { Filters, Period } from './filters.js';

/** Median, 90th percentile and mean of a duration, and the share within its target. */
export type Durations = { count: number; median: number | null; p90: number | null; mean: number | null; onTime: number | null };

export type Summary = {
  filed: number;
  treated: number;
  closed: number;
  blocking: number;
  escalated: number;
  sentBack: number;
  complement: number;
  refusals: number;
  autoClosed: number;
  reopened: number;
  firstResponse: Durations;
  resolution: Durations;
};

/** The dimensions the figures are broken down by. */
export type Dimension = 'application' | 'theme' | 'problemType' | 'region' | 'nature' | 'channel';
export const DIMENSIONS: Dimension[] = ['application', 'theme', 'problemType', 'region', 'nature', 'channel'];
const COLUMNS: Record<Dimension, string> = {
  application: 'application_id',
  theme: 'theme_id',
  problemType: 'problem_type_id',
  region: 'region_id',
  nature: 'nature_id',
  channel: 'channel',
};

export type BreakdownRow = {
  key: string | null;
  filed: number;
  blocking: number;
  firstResponse: Durations;
  resolution: Durations;
};

/** The conditions of the filters on the facts (or status spans, which repeat them) `f`, the period aside. */
export function dimensionConditions(filters: Filters): SQL {
  const parts: SQL[] = [sql`f.application_id in ${idList(filters.applicationIds)}`];
  if (filters.themeId) parts.push(sql`f.theme_id = ${filters.themeId}`);
  if (filters.problemTypeIds) parts.push(sql`f.problem_type_id in ${idList(filters.problemTypeIds)}`);
  if (filters.blocking !== undefined) parts.push(sql`f.blocking = ${filters.blocking}`);
  if (filters.regionId) parts.push(sql`f.region_id = ${filters.regionId}`);
  if (filters.natureId) parts.push(sql`f.nature_id = ${filters.natureId}`);
  if (filters.level) parts.push(sql`f.level = ${filters.level}`);
  if (filters.channel) parts.push(sql`f.channel = ${filters.channel}`);
  return sql.join(parts, sql` and `);
}

/** Literal ids (integers from the referentials): the planner sees the list and uses the index per application. */
const idList = (ids: number[]) => sql.raw(`(${ids.length ? ids.map((n) => Math.trunc(n)).join(', ') : 'null'})`);

const within = (column: string, period: Period) =>
  sql`${sql.raw(`f.${column}`)} >= ${period.from.toISOString()}::timestamptz and ${sql.raw(`f.${column}`)} < ${period.to.toISOString()}::timestamptz`;

const durations = (column: 'first_response' | 'resolution') => {
  const minutes = sql.raw(`f.${column}_minutes`);
  const onTime = sql.raw(`f.${column}_on_time`);
  const as = (what: string) => sql.raw(`as ${column}_${what}`);
  return sql`count(${minutes})::int ${as('count')}, percentile_cont(0.5) within group (order by ${minutes}) ${as('median')},
    percentile_cont(0.9) within group (order by ${minutes}) ${as('p90')}, avg(${minutes})::float8 ${as('mean')},
    (count(*) filter (where ${onTime}))::float8 / nullif(count(${onTime}), 0) ${as('on_time')}`;
};

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown) => Number(v ?? 0);

type Row = Record<string, unknown>;

function durationsOf(row: Row, column: 'first_response' | 'resolution'): Durations {
  const get = (what: string) => row[`${column}_${what}`];
  return {
    count: int(get('count')),
    median: num(get('median')),
    p90: num(get('p90')),
    mean: num(get('mean')),
    onTime: num(get('on_time')),
  };
}

async function rowsOf(db: Executor, query: SQL): Promise<Row[]> {
  return (await db.execute(query)).rows as Row[];
}

/** The summary of a period. */
export async function summaryOf(db: Executor, filters: Filters, period: Period): Promise<Summary> {
  const where = dimensionConditions(filters);
  const [row = {}] = await rowsOf(
    db,
    sql`select
      (select count(*)::int from request_facts f where ${where} and ${within('filed_at', period)}) as filed,
      (select count(*)::int from request_facts f where ${where} and ${within('resolved_at', period)}) as treated,
      (select count(*)::int from request_facts f where ${where} and ${within('closed_at', period)}) as closed,
      count(*) filter (where f.blocking)::int as blocking, count(*) filter (where f.escalated)::int as escalated,
      count(*) filter (where f.sent_back)::int as sent_back, count(*) filter (where f.complement)::int as complement,
      coalesce(sum(f.refusals), 0)::int as refusals, count(*) filter (where f.auto_closed)::int as auto_closed,
      count(*) filter (where f.reopened)::int as reopened,
      ${durations('first_response')}, ${durations('resolution')}
    from request_facts f where ${where} and ${within('filed_at', period)}`,
  );
  return {
    filed: int(row.filed),
    treated: int(row.treated),
    closed: int(row.closed),
    blocking: int(row.blocking),
    escalated: int(row.escalated),
    sentBack: int(row.sent_back),
    complement: int(row.complement),
    refusals: int(row.refusals),
    autoClosed: int(row.auto_closed),
    reopened: int(row.reopened),
    firstResponse: durationsOf(row, 'first_response'),
    resolution: durationsOf(row, 'resolution'),
  };
}

/** The requests filed in the period by each dimension, ranked by volume (one statement for all). */
export async function breakdownsOf(db: Executor, filters: Filters): Promise<Record<Dimension, BreakdownRow[]>> {
  const sets = sql.raw(DIMENSIONS.map((d) => `(f.${COLUMNS[d]})`).join(', '));
  const groupingOf = sql.raw(`grouping(${DIMENSIONS.map((d) => `f.${COLUMNS[d]}`).join(', ')})`);
  const keys = sql.raw(DIMENSIONS.map((d) => `f.${COLUMNS[d]}::text`).join(', '));
  const rows = await rowsOf(
    db,
    sql`select ${groupingOf} as mask, coalesce(${keys}) as key, count(*)::int as filed,
      count(*) filter (where f.blocking)::int as blocking, ${durations('first_response')}, ${durations('resolution')}
    from request_facts f where ${dimensionConditions(filters)} and ${within('filed_at', filters.period)}
    group by grouping sets (${sets})
    order by 3 desc, 2`,
  );
  const result = Object.fromEntries(DIMENSIONS.map((d) => [d, [] as BreakdownRow[]])) as Record<Dimension, BreakdownRow[]>;
  for (const row of rows) {
    // grouping() has a bit set for each column not grouped: the one clear bit names the dimension.
    const mask = Number(row.mask);
    const index = DIMENSIONS.findIndex((_, i) => (mask & (1 << (DIMENSIONS.length - 1 - i))) === 0);
    const dimension = DIMENSIONS[index];
    if (!dimension) continue;
    result[dimension].push({
      key: row.key === null ? null : String(row.key),
      filed: int(row.filed),
      blocking: int(row.blocking),
      firstResponse: durationsOf(row, 'first_response'),
      resolution: durationsOf(row, 'resolution'),
    });
  }
  return result;
}

export type Bucket = 'day' | 'week' | 'month';
/** Days up to a month, weeks up to half a year, months beyond. */
export const bucketOf = (period: Period): Bucket => (period.days <= 31 ? 'day' : period.days <= 190 ? 'week' : 'month');

export type SeriesPoint = { start: string; filed: number; treated: number; closed: number };

/** Filed, treated and closed per day, week or month of the period (weeks start on Monday, desk's zone). */
export async function seriesOf(db: Executor, filters: Filters): Promise<SeriesPoint[]> {
  const bucket = bucketOf(filters.period);
  const where = dimensionConditions(filters);
  const part = (column: string, label: string) =>
    sql`select ${label}::text as what, date_trunc(${bucket}, ${sql.raw(`f.${column}`)} at time zone ${DESK_TIME_ZONE})::date::text as start, count(*)::int as n
      from request_facts f where ${where} and ${within(column, filters.period)} group by 2`;
  const rows = await rowsOf(
    db,
    sql`${part('filed_at', 'filed')} union all ${part('resolved_at', 'treated')} union all ${part('closed_at', 'closed')}`,
  );
  const points = new Map(
    bucketStarts(filters.period, bucket).map((start) => [start, { start, filed: 0, treated: 0, closed: 0 }]),
  );
  for (const { what, start, n } of rows) {
    const point = points.get(String(start));
    if (point) point[what as 'filed' | 'treated' | 'closed'] = int(n);
  }
  return [...points.values()];
}

/** The first day of every bucket of the period, 'yyyy-MM-dd'. */
export function bucketStarts(period: Period, bucket: Bucket): string[] {
  const starts: string[] = [];
  const day = new Date(`${period.firstDay}T12:00:00Z`);
  if (bucket === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  if (bucket === 'month') day.setUTCDate(1);
  const last = new Date(`${period.lastDay}T12:00:00Z`);
  while (day <= last) {
    starts.push(day.toISOString().slice(0, 10));
    if (bucket === 'month') day.setUTCMonth(day.getUTCMonth() + 1);
    else day.setUTCDate(day.getUTCDate() + (bucket === 'week' ? 7 : 1));
  }
  return starts;
}

/** The facts' copy of the columns the due rule reads, under the alias `f` the figures use. */
const f = alias(requestFacts, 'f');
const DUE_COLUMNS: DueColumns = {
  status: f.status,
  blocking: f.blocking,
  firstResponseAt: f.firstResponseAt,
  firstResponseDueAt: f.firstResponseDueAt,
  resolutionDueAt: f.resolutionDueAt,
  slaPausedAt: f.slaPausedAt,
};

export type Backlog = Record<Exclude<RequestStatus, 'closed'>, number>;
export const BACKLOG_STATUSES: (keyof Backlog)[] = ['new', 'in_progress', 'awaiting_info', 'resolved'];
const emptyBacklog = (): Backlog => ({ new: 0, in_progress: 0, awaiting_info: 0, resolved: 0 });

/** The requests not closed today, by status, and late or soon late now. */
export async function backlogToday(db: Executor, filters: Filters): Promise<{ backlog: Backlog; late: number; soon: number }> {
  const settings = await getSettings(db);
  const where = dimensionConditions(filters);
  // The facts carry the request's due dates: the service levels' own rule counts the open ones.
  const due = (state: 'late' | 'soon') =>
    sql`(select count(*)::int from request_facts f where ${where} and f.status <> 'closed' and ${dueCondition(state, settings, now(), DUE_COLUMNS)})`;
  const rows = await rowsOf(
    db,
    sql`select f.status, count(*)::int as n from request_facts f where ${where} and f.status <> 'closed' group by f.status
      union all select 'late', ${due('late')} union all select 'soon', ${due('soon')}`,
  );
  const backlog = emptyBacklog();
  const counts = new Map(rows.map((r) => [String(r.status), int(r.n)]));
  for (const status of BACKLOG_STATUSES) backlog[status] = counts.get(status) ?? 0;
  return { backlog, late: counts.get('late') ?? 0, soon: counts.get('soon') ?? 0 };
}

/** Week ends up to half a year; month ends beyond (a backlog every week of years is unreadable, and costly). */
export const backlogStep = (period: Period): 'week' | 'month' => (period.days <= 190 ? 'week' : 'month');

/** The last day of each week (Sunday) or month of the period, the period's own last day for the last one. */
export function backlogEnds(period: Period): string[] {
  const ends = new Set<string>();
  const day = new Date(`${period.firstDay}T12:00:00Z`);
  const last = new Date(`${period.lastDay}T12:00:00Z`);
  const monthly = backlogStep(period) === 'month';
  for (; day <= last; day.setUTCDate(day.getUTCDate() + 1)) {
    const next = new Date(day.getTime() + 24 * HOUR_MS);
    if (monthly ? next.getUTCDate() === 1 : day.getUTCDay() === 0) ends.add(day.toISOString().slice(0, 10));
  }
  ends.add(period.lastDay);
  return [...ends];
}
const HOUR_MS = 3600_000;

/**
 * The backlog by status at the end of each week (or month) of the period: the status spans holding
 * that instant, one lookup of the (application, span) index per instant, whatever the filters.
 */
export async function backlogByWeek(db: Executor, filters: Filters): Promise<{ end: string; backlog: Backlog }[]> {
  const ends = backlogEnds(filters.period);
  const instants = ends.map((day) => sql`(${day}::date, (${day}::date + 1)::timestamp at time zone ${DESK_TIME_ZONE})`);
  const rows = await rowsOf(
    db,
    sql`select w.day::text as day, s.status, s.n
      from (values ${sql.join(instants, sql`, `)}) as w(day, at)
      cross join lateral (select f.status, count(*)::int as n from request_status_spans f
        where f.span @> w.at and ${dimensionConditions(filters)} group by f.status) s`,
  );
  const weeks = new Map(ends.map((end) => [end, emptyBacklog()]));
  for (const { day, status, n } of rows) {
    const backlog = weeks.get(String(day));
    if (backlog && status !== 'closed') backlog[status as keyof Backlog] = int(n);
  }
  return [...weeks.entries()].map(([end, backlog]) => ({ end, backlog }));
}

export type Satisfaction = {
  answers: number;
  mean: number | null;
  /** Answers per score, 1 to 5. */
  distribution: number[];
  /** The latest comments, newest first: the score, the day and the words, never who wrote them. */
  comments: { score: number; at: Date; comment: string }[];
};

export async function satisfactionOf(db: Executor, filters: Filters): Promise<Satisfaction> {
  const where = sql`${dimensionConditions(filters)} and ${within('satisfaction_at', filters.period)} and f.satisfaction is not null`;
  const rows = await rowsOf(
    db,
    sql`select f.satisfaction as score, count(*)::int as n from request_facts f where ${where} group by 1`,
  );
  const distribution = [0, 0, 0, 0, 0];
  for (const { score, n } of rows) distribution[Number(score) - 1] = int(n);
  const answers = distribution.reduce((a, b) => a + b, 0);
  const mean = answers ? distribution.reduce((sum, n, i) => sum + n * (i + 1), 0) / answers : null;
  // The ten latest commented answers from the facts' index; their words from those ten requests.
  const comments = await rowsOf(
    db,
    sql`select r.satisfaction as score, r.satisfaction_at as at, r.satisfaction_comment as comment
      from (select f.request_id from request_facts f where ${where} and f.commented order by f.satisfaction_at desc limit 10) latest
      join requests r on r.id = latest.request_id
      order by r.satisfaction_at desc`,
  );
  return {
    answers,
    mean,
    distribution,
    comments: comments.map((c) => ({ score: int(c.score), at: new Date(String(c.at)), comment: String(c.comment) })),
  };
}

export type Knowledge = {
  /** Forms that showed suggestions, suggestions shown, and opened. */
  forms: number;
  shown: number;
  opened: number;
  /** Forms where a suggestion was opened and no request was filed: requests avoided. */
  avoided: number;
  top: { type: 'faq' | 'document'; id: number; title: string; opened: number }[];
};

/** The suggestions shown while filing: the application filter applies, the other dimensions do not. */
export async function knowledgeOf(db: Executor, filters: Filters): Promise<Knowledge> {
  const where = sql`k.application_id in ${idList(filters.applicationIds)}
    and k.created_at >= ${filters.period.from.toISOString()}::timestamptz and k.created_at < ${filters.period.to.toISOString()}::timestamptz`;
  const [row = {}] = await rowsOf(
    db,
    sql`select count(distinct k.form_token) filter (where k.kind = 'shown')::int as forms,
      count(*) filter (where k.kind = 'shown')::int as shown, count(*) filter (where k.kind = 'opened')::int as opened,
      count(distinct k.form_token) filter (where k.kind = 'opened' and not exists (
        select 1 from knowledge_suggestions filed where filed.form_token = k.form_token and filed.kind = 'filed'))::int as avoided
    from knowledge_suggestions k where ${where}`,
  );
  const top = await rowsOf(
    db,
    sql`select k.item_type as type, k.item_id as id, coalesce(faq.title, doc.title, '') as title, count(*)::int as opened
      from knowledge_suggestions k
      left join faq_entries faq on k.item_type = 'faq' and faq.id = k.item_id
      left join documents doc on k.item_type = 'document' and doc.id = k.item_id
      where ${where} and k.kind = 'opened' group by 1, 2, 3 order by 4 desc, 3 limit 10`,
  );
  return {
    forms: int(row.forms),
    shown: int(row.shown),
    opened: int(row.opened),
    avoided: int(row.avoided),
    top: top.map((t) => ({ type: t.type as 'faq' | 'document', id: int(t.id), title: String(t.title), opened: int(t.opened) })),
  };
}

export type DeskRow = {
  assigneeId: number | null;
  name: string | null;
  level: 1 | 2;
  filed: number;
  treated: number;
  resolution: Durations;
};

/** The requests filed in the period per assignee and level (administrators and the desk's lead only). */
export async function deskOf(db: Executor, filters: Filters): Promise<DeskRow[]> {
  const rows = await rowsOf(
    db,
    sql`select f.assignee_id as assignee, u.first_name || ' ' || u.last_name as name, f.level, count(*)::int as filed,
      count(f.resolved_at)::int as treated, ${durations('resolution')}
    from request_facts f left join users u on u.id = f.assignee_id
    where ${dimensionConditions(filters)} and ${within('filed_at', filters.period)}
    group by 1, 2, 3 order by 4 desc, 2`,
  );
  return rows.map((row) => ({
    assigneeId: num(row.assignee),
    name: row.name === null ? null : String(row.name),
    level: int(row.level) as 1 | 2,
    filed: int(row.filed),
    treated: int(row.treated),
    resolution: durationsOf(row, 'resolution'),
  }));
}

export type { FactChannel };
