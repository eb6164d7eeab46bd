/**
 * A request's Pilotage facts, computed from the request and its whole history: what happened
 * (escalated, complement asked, refused, closed automatically, reopened), when (first response,
 * resolution, closing) and how long it took in working time, the clock paused while the request
 * waited for a complement, as the service levels count it.
 *
 * « Traitée » counts once per request: at the start of its last run of « Traitée » / « Clôturée »
 * (a refused answer, then a new one, counts at the new one). A request closed without an answer
 * (a duplicate) is treated when it is closed.
 */
import type { FactChannel, requestFacts } from '../../db/schema.js';
import type { RequestRow } from '../requests/repository.js';
import { type WorkingCalendar, workingMinutesBetween } from '../time/working-time.js';
import type { EventKind, RequestStatus } from '../vocabulary.js';

export type FactRow = typeof requestFacts.$inferInsert;

export type HistoryEvent = {
  kind: EventKind;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  createdAt: Date;
};

export type FactSource = {
  request: Pick<
    RequestRow,
    | 'id'
    | 'applicationId'
    | 'themeId'
    | 'problemTypeId'
    | 'blocking'
    | 'level'
    | 'channel'
    | 'status'
    | 'createdAt'
    | 'requesterId'
    | 'createdById'
    | 'firstResponseAt'
    | 'firstResponseDueAt'
    | 'resolutionDueAt'
    | 'slaPausedAt'
    | 'satisfaction'
    | 'satisfactionAt'
    | 'satisfactionComment'
    | 'assigneeId'
  >;
  regionId: number | null;
  natureId: number | null;
  /** In the order they were written. */
  events: HistoryEvent[];
};

/** A span of time spent in a status before closing; `to` null while it lasts. */
export type StatusSpan = { status: RequestStatus; from: Date; to: Date | null };

const DONE: readonly RequestStatus[] = ['resolved', 'closed'];

/** « Pour le compte de »: filed on the portal by someone else than the requester (a DIRECCTE for a centre). */
export function channelOf(request: FactSource['request']): FactChannel {
  return request.channel === 'portail' && request.createdById !== request.requesterId ? 'on_behalf' : request.channel;
}

/** The statuses the request went through, with the instant each began. */
function statusRuns(source: FactSource): { status: RequestStatus; from: Date }[] {
  const runs = [{ status: 'new' as RequestStatus, from: source.request.createdAt }];
  for (const e of source.events) {
    const last = runs[runs.length - 1];
    if (e.toStatus && last && e.toStatus !== last.status) runs.push({ status: e.toStatus, from: e.createdAt });
  }
  return runs;
}

export function spansOf(source: FactSource): StatusSpan[] {
  const runs = statusRuns(source);
  return runs
    .map((run, i) => ({ status: run.status, from: run.from, to: runs[i + 1]?.from ?? null }))
    .filter((span) => span.status !== 'closed');
}

/** Working minutes from filing to `until`, less the working time spent awaiting a complement. */
function activeMinutes(source: FactSource, spans: StatusSpan[], until: Date, cal: WorkingCalendar): number {
  const filed = source.request.createdAt;
  let paused = 0;
  for (const span of spans) {
    if (span.status !== 'awaiting_info') continue;
    const end = Math.min((span.to ?? until).getTime(), until.getTime());
    if (end > span.from.getTime()) paused += workingMinutesBetween(span.from, new Date(end), cal);
  }
  return Math.max(0, Math.round(workingMinutesBetween(filed, until, cal) - paused));
}

/** When the request's last run of « Traitée » / « Clôturée » began, if it is in one. */
function treatedAt(runs: { status: RequestStatus; from: Date }[]): Date | null {
  let at: Date | null = null;
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i];
    if (!run || !DONE.includes(run.status)) break;
    at = run.from;
  }
  return at;
}

export function factsOf(source: FactSource, cal: WorkingCalendar): { facts: FactRow; spans: StatusSpan[] } {
  const { request, events } = source;
  const runs = statusRuns(source);
  const spans = spansOf(source);
  const resolvedAt = treatedAt(runs);
  const last = runs[runs.length - 1];
  const closedAt = last?.status === 'closed' ? last.from : null;
  const has = (kind: EventKind) => events.some((e) => e.kind === kind);
  const firstResponseAt = request.firstResponseAt;
  const onTime = (at: Date | null, due: Date | null) => (at && due ? at.getTime() <= due.getTime() : null);
  const facts: FactRow = {
    requestId: request.id,
    applicationId: request.applicationId,
    themeId: request.themeId,
    problemTypeId: request.problemTypeId,
    blocking: request.blocking,
    regionId: source.regionId,
    natureId: source.natureId,
    level: request.level,
    channel: channelOf(request),
    status: request.status,
    filedAt: request.createdAt,
    firstResponseAt,
    firstResponseMinutes: firstResponseAt ? activeMinutes(source, spans, firstResponseAt, cal) : null,
    firstResponseOnTime: onTime(firstResponseAt, request.firstResponseDueAt),
    firstResponseDueAt: request.firstResponseDueAt,
    resolutionDueAt: request.resolutionDueAt,
    slaPausedAt: request.slaPausedAt,
    resolvedAt,
    resolutionMinutes: resolvedAt ? activeMinutes(source, spans, resolvedAt, cal) : null,
    resolutionOnTime: onTime(resolvedAt, request.resolutionDueAt),
    closedAt,
    escalated: has('escalate'),
    sentBack: has('send_back'),
    complement: has('ask_info'),
    refusals: events.filter((e) => e.kind === 'refuse').length,
    autoClosed: has('auto_close'),
    reopened: events.some((e) => e.fromStatus && DONE.includes(e.fromStatus) && e.toStatus && !DONE.includes(e.toStatus)),
    satisfaction: request.satisfaction,
    satisfactionAt: request.satisfactionAt,
    commented: request.satisfactionAt !== null && Boolean(request.satisfactionComment),
    assigneeId: request.assigneeId,
    computedAt: new Date(),
  };
  return { facts, spans };
}
