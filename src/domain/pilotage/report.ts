/**
 * Everything « Pilotage » shows for a set of filters, computed at once: the pages, the exports
 * and the printable report read the same figures.
 */
import type { Executor } from '../../db/client.js';
import { canUse } from '../access.js';
import type { Actor } from '../actor.js';
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
};

export async function pilotageReport(db: Executor, actor: Actor, filters: Filters): Promise<PilotageReport> {
  const [current, previous, series, today, weeks, breakdowns, satisfaction, knowledge, desk] = await Promise.all([
    summaryOf(db, filters, filters.period),
    summaryOf(db, filters, filters.previous),
    seriesOf(db, filters),
    backlogToday(db, filters),
    backlogByWeek(db, filters),
    breakdownsOf(db, filters),
    satisfactionOf(db, filters),
    knowledgeOf(db, filters),
    canUse(actor, 'pilotageDesk') ? deskOf(db, filters) : Promise.resolve(null),
  ]);
  return { filters, current, previous, series, today, weeks, breakdowns, satisfaction, knowledge, desk };
}
