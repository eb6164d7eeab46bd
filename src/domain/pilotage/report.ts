/**
 * Everything « Pilotage » shows for a set of filters, computed at once: the pages, the exports
 * and the printable report read the same figures.
 *
 * A report is kept for a minute and shared by everyone who asks for the same figures (the same
 * filters, the same view of the desk): over a million requests, one costs from a quarter of a
 * second (30 days) to over two seconds with a cold cache (since the opening, a backlog at 60 month
 * ends), and a meeting, a weekly link or a page and its exports ask for the same one again and
 * again. Those who arrive while it is being computed wait for that computation instead of starting
 * their own. The page says when its figures were computed.
 */
import { LRUCache } from 'lru-cache';
import type { Executor } from '../../db/client.js';
import { canUse } from '../access.js';
import type { Actor } from '../actor.js';
import { now } from '../clock.js';
import {
  type Backlog,
  type BreakdownRow,
  backlogByWeek,
  backlogToday,
  breakdownsOf,
  type DeskRow,
  type Dimension,
  deskOf,
  type Knowledge,
  knowledgeOf,
  type Satisfaction,
  type SeriesPoint,
  type Summary,
  satisfactionOf,
  seriesOf,
  summaryOf,
} from './figures.js';
import type { Filters } from './filters.js';

export type PilotageReport = {
  filters: Filters;
  current: Summary;
  previous: Summary;
  series: SeriesPoint[];
  today: { backlog: Backlog; late: number; soon: number };
  weeks: { end: string; backlog: Backlog }[];
  breakdowns: Record<Dimension, BreakdownRow[]>;
  satisfaction: Satisfaction;
  knowledge: Knowledge;
  /** Only for administrators and the desk's lead. */
  desk: DeskRow[] | null;
  computedAt: Date;
};

/** How long a computed report is served as it is. */
export const REPORT_KEPT_MS = 60_000;

type Kept = { at: number; report: Promise<PilotageReport> };
// One cache per database (tests open several); the reports are a few kilobytes each.
const caches = new WeakMap<Executor, LRUCache<string, Kept>>();

export async function pilotageReport(db: Executor, actor: Actor, filters: Filters): Promise<PilotageReport> {
  const withDesk = canUse(actor, 'pilotageDesk');
  const cache = caches.get(db) ?? new LRUCache<string, Kept>({ max: 200 });
  if (!caches.has(db)) caches.set(db, cache);
  const key = JSON.stringify({ filters, withDesk });
  const at = now().getTime();
  const kept = cache.get(key);
  // A clock set back (tests) makes an entry from the future: computed again.
  if (kept && at >= kept.at && at - kept.at < REPORT_KEPT_MS) return kept.report;
  const report = computeReport(db, filters, withDesk, new Date(at));
  cache.set(key, { at, report });
  // A failed computation is not kept (unless a newer one has replaced it already).
  report.catch(() => cache.peek(key)?.report === report && cache.delete(key));
  return report;
}

async function computeReport(db: Executor, filters: Filters, withDesk: boolean, computedAt: Date): Promise<PilotageReport> {
  const [current, previous, series, today, weeks, breakdowns, satisfaction, knowledge, desk] = await Promise.all([
    summaryOf(db, filters, filters.period),
    summaryOf(db, filters, filters.previous),
    seriesOf(db, filters),
    backlogToday(db, filters),
    backlogByWeek(db, filters),
    breakdownsOf(db, filters),
    satisfactionOf(db, filters),
    knowledgeOf(db, filters),
    withDesk ? deskOf(db, filters) : Promise.resolve(null),
  ]);
  return { filters, current, previous, series, today, weeks, breakdowns, satisfaction, knowledge, desk, computedAt };
}
