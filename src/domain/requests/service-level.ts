/**
 * Service levels: due dates of the first response and of the resolution, in working time.
 * Called by the request commands inside their transaction; the desk reads the due state here too.
 *
 * The first response is the first staff action the requester sees: a complement asked, the
 * answer, or a closing as duplicate. Routing (take, escalate, send back, reassign) and internal
 * notes are not responses. The clock stops while the request awaits a complement: on leaving
 * that state, the open due dates move forward by the working time spent waiting.
 */
import { and, eq, gte, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/client.js';
import { requests } from '../../db/schema.js';
import { now } from '../clock.js';
import { getSettings, type Settings } from '../settings/settings.js';
import { addWorkingDays, addWorkingMinutes, calendarOf, workdayMinutes, workingMinutesBetween } from '../time/working-time.js';
import type { Action } from '../vocabulary.js';
import type { RequestFacts } from './repository.js';
import { OPEN_STATUSES, type Transition } from './workflow.js';

type Request = typeof requests.$inferSelect;

/** Staff actions the requester sees as an answer to their request. */
const RESPONSES: readonly Action[] = ['ask_info', 'resolve', 'mark_duplicate'];

export type Target = 'firstResponse' | 'resolution';

/** The targets of a request, in working minutes, from the settings of its blocking flag. */
export function targetsOf(settings: Settings, blocking: boolean): Record<Target, number> {
  const day = workdayMinutes(calendarOf(settings));
  return blocking
    ? { firstResponse: settings.blockingFirstResponseHours * 60, resolution: settings.blockingResolutionDays * day }
    : { firstResponse: settings.normalFirstResponseDays * day, resolution: settings.normalResolutionDays * day };
}

/** The due dates of a request filed at `at`. */
export async function dueDatesAtFiling(tx: Tx, blocking: boolean, at: Date): Promise<RequestFacts> {
  const settings = await getSettings(tx);
  const cal = calendarOf(settings);
  const targets = targetsOf(settings, blocking);
  return {
    firstResponseDueAt: addWorkingMinutes(at, targets.firstResponse, cal),
    resolutionDueAt: addWorkingMinutes(at, targets.resolution, cal),
  };
}

/** What a transition changes in the service levels: a first response, the clock stopped or restarted. */
export async function serviceLevelChanges(tx: Tx, before: Request, next: Transition, at: Date): Promise<RequestFacts> {
  const set: RequestFacts = {};
  if (RESPONSES.includes(next.event) && before.firstResponseAt === null) set.firstResponseAt = at;
  if (next.status === 'awaiting_info' && before.status !== 'awaiting_info') set.slaPausedAt = at;
  if (before.status === 'awaiting_info' && next.status !== 'awaiting_info') {
    Object.assign(set, await resumed(tx, before, at), { slaPausedAt: null });
  }
  if (next.status === 'resolved' && before.status !== 'resolved')
    Object.assign(set, { resolvedAt: at, autoCloseRemindedAt: null });
  if (next.event === 'refuse') set.resolvedAt = null;
  if (next.status === 'closed' && before.status !== 'closed') Object.assign(set, await reopenDelay(tx, at));
  if (before.status === 'closed' && next.status !== 'closed') Object.assign(set, await reopened(tx, before, at));
  return set;
}

/** A closing: until when its requester may reopen it, in working days (« Paramètres »). */
async function reopenDelay(tx: Tx, at: Date): Promise<RequestFacts> {
  const settings = await getSettings(tx);
  return { reopenableUntil: addWorkingDays(at, settings.reopenDays, calendarOf(settings)) };
}

/** A reopened request is due again from now, as a new one would be (its first response was given). */
async function reopened(tx: Tx, before: Request, at: Date): Promise<RequestFacts> {
  const settings = await getSettings(tx);
  const targets = targetsOf(settings, before.blocking);
  return {
    resolutionDueAt: addWorkingMinutes(at, targets.resolution, calendarOf(settings)),
    resolvedAt: null,
    autoCloseRemindedAt: null,
    slaPausedAt: null,
    reopenableUntil: null,
  };
}

/** The open due dates moved forward by the working time the clock was stopped. */
async function resumed(tx: Tx, before: Request, at: Date): Promise<RequestFacts> {
  if (!before.slaPausedAt) return {};
  const cal = calendarOf(await getSettings(tx));
  const paused = Math.max(0, workingMinutesBetween(before.slaPausedAt, at, cal));
  const push = (due: Date | null) => (due ? addWorkingMinutes(due, paused, cal) : due);
  return {
    resolutionDueAt: push(before.resolutionDueAt),
    firstResponseDueAt: before.firstResponseAt === null ? push(before.firstResponseDueAt) : before.firstResponseDueAt,
  };
}

/** The service-level facts of a request, as read by lists and pages. */
export type ServiceLevelFacts = Pick<
  Request,
  'status' | 'blocking' | 'firstResponseDueAt' | 'resolutionDueAt' | 'firstResponseAt' | 'slaPausedAt'
>;

/** The columns dueOf reads, for a list's select. */
export const SERVICE_LEVEL_COLUMNS = {
  status: requests.status,
  blocking: requests.blocking,
  firstResponseDueAt: requests.firstResponseDueAt,
  resolutionDueAt: requests.resolutionDueAt,
  firstResponseAt: requests.firstResponseAt,
  slaPausedAt: requests.slaPausedAt,
};

export type DueState = 'late' | 'soon' | 'paused' | 'on_time';

/** What is due next (first response while there is none, then resolution), when, and how it stands. */
export type Due = { target: Target; at: Date; state: DueState };

/**
 * The due state, in one rule: nothing once resolved or closed; « Suspendu » while awaiting a
 * complement; « En retard » past the due date; « Bientôt en retard » when less than a quarter of
 * the target (and at least less than one working hour) is left.
 */
export function dueOf(request: ServiceLevelFacts, settings: Settings, at: Date = now()): Due | null {
  if (request.status === 'resolved' || request.status === 'closed') return null;
  const target: Target = request.firstResponseAt === null ? 'firstResponse' : 'resolution';
  const due = target === 'firstResponse' ? request.firstResponseDueAt : request.resolutionDueAt;
  if (!due) return null;
  if (request.slaPausedAt) return { target, at: due, state: 'paused' };
  if (at.getTime() > due.getTime()) return { target, at: due, state: 'late' };
  const left = workingMinutesBetween(at, due, calendarOf(settings));
  return { target, at: due, state: left < soonThreshold(settings, request.blocking, target) ? 'soon' : 'on_time' };
}

function soonThreshold(settings: Settings, blocking: boolean, target: Target): number {
  return Math.max(targetsOf(settings, blocking)[target] / 4, 60);
}

/** The columns the due rule reads: the requests' own, or a copy of them (Pilotage's facts). */
export type DueColumns = Record<
  'status' | 'blocking' | 'firstResponseAt' | 'firstResponseDueAt' | 'resolutionDueAt' | 'slaPausedAt',
  AnyPgColumn
>;

/**
 * The same rule as SQL, for the queue's filters. Working time only moves forward, so « less than
 * N working minutes left » is « due before now + N working minutes », one instant per target and
 * flag; each branch matches a partial index on its due column.
 */
export function dueCondition(
  state: 'late' | 'soon',
  settings: Settings,
  at: Date = now(),
  columns: DueColumns = SERVICE_LEVEL_COLUMNS,
): SQL {
  const cal = calendarOf(settings);
  // Literal values, as in the partial indexes' predicates (a parameter would not let the planner use them).
  const open = sql`${columns.status} in (${sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '))})`;
  const branch = (target: Target, blocking: boolean | null) => {
    const column = target === 'firstResponse' ? columns.firstResponseDueAt : columns.resolutionDueAt;
    const responded = target === 'firstResponse' ? isNull(columns.firstResponseAt) : isNotNull(columns.firstResponseAt);
    const window =
      state === 'late' || blocking === null
        ? lt(column, at)
        : and(gte(column, at), lt(column, addWorkingMinutes(at, soonThreshold(settings, blocking, target), cal)));
    return and(
      open,
      responded,
      isNull(columns.slaPausedAt),
      window,
      blocking === null ? undefined : eq(columns.blocking, blocking),
    );
  };
  const branches =
    state === 'late'
      ? [branch('firstResponse', null), branch('resolution', null)]
      : [true, false].flatMap((b) => [branch('firstResponse', b), branch('resolution', b)]);
  return or(...branches) as SQL;
}

/** A request's service level as its page shows it to staff. */
export type ServiceLevelView = {
  firstResponseDueAt: Date | null;
  firstResponseAt: Date | null;
  resolutionDueAt: Date | null;
  resolvedAt: Date | null;
  pausedSince: Date | null;
  due: Due | null;
};

export function serviceLevelView(request: ServiceLevelFacts & Pick<Request, 'resolvedAt'>, settings: Settings): ServiceLevelView {
  return {
    firstResponseDueAt: request.firstResponseDueAt,
    firstResponseAt: request.firstResponseAt,
    resolutionDueAt: request.resolutionDueAt,
    resolvedAt: request.resolvedAt,
    pausedSince: request.slaPausedAt,
    due: dueOf(request, settings),
  };
}
