/**
 * Automatic closing of a « Traitée » request left without reaction: a reminder to the requester
 * first, then the closing, counted in working days from the answer (settings `autoCloseDays` and
 * `autoCloseReminderDays`). A request is never closed before its reminder went out, and the
 * closing is announced at least `autoCloseReminderDays` working days ahead, even when the reminder
 * is late (the portal was stopped).
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../../db/client.js';
import { requestEvents, requests } from '../../../db/schema.js';
import { type MailContext, notifyAutoCloseReminder } from '../../notifications/request-notifications.js';
import type { Settings } from '../../settings/settings.js';
import { addWorkingDays, DESK_TIME_ZONE, type WorkingCalendar, workdayMinutes } from '../../time/working-time.js';
import { appendEvent, lockForJob, type RequestRow, updateFacts } from '../repository.js';
import { decide, type WorkflowActor } from '../workflow.js';
import { writeTransition } from './apply-action.js';

type Request = RequestRow;

const SYSTEM: WorkflowActor = { id: null, role: 'system' };

export type AutoCloseRules = Pick<Settings, 'autoCloseDays' | 'autoCloseReminderDays'> & { calendar: WorkingCalendar };

export type AutoCloseStep = { kind: 'none' } | { kind: 'remind'; closesOn: Date } | { kind: 'close' };

/** When the closing falls, for a reminder sent (or about to be sent) at `remindedAt`. */
export function closingDate(resolvedAt: Date, remindedAt: Date, rules: AutoCloseRules): Date {
  const planned = addWorkingDays(resolvedAt, rules.autoCloseDays, rules.calendar);
  const notice = addWorkingDays(remindedAt, rules.autoCloseReminderDays, rules.calendar);
  return new Date(Math.max(planned.getTime(), notice.getTime()));
}

/** What is due at `at` for a request answered at `resolvedAt` and reminded at `remindedAt` (if ever). */
export function autoCloseStep(resolvedAt: Date, remindedAt: Date | null, at: Date, rules: AutoCloseRules): AutoCloseStep {
  // A reminder older than the answer belongs to a previous answer (refused since).
  if (remindedAt === null || remindedAt < resolvedAt) {
    const lead = Math.max(0, rules.autoCloseDays - rules.autoCloseReminderDays);
    if (at < addWorkingDays(resolvedAt, lead, rules.calendar)) return { kind: 'none' };
    return { kind: 'remind', closesOn: closingDate(resolvedAt, at, rules) };
  }
  return at >= closingDate(resolvedAt, remindedAt, rules) ? { kind: 'close' } : { kind: 'none' };
}

/**
 * Ids of resolved requests that may be due at `at`, after `afterId`, in id order. A working day is
 * at least one day's opening hours of elapsed time, which bounds the search without the calendar.
 */
export async function autoCloseCandidates(db: Executor, at: Date, rules: AutoCloseRules, afterId: number, limit: number) {
  const lead = Math.max(0, rules.autoCloseDays - rules.autoCloseReminderDays);
  const bound = new Date(at.getTime() - lead * workdayMinutes(rules.calendar) * 60_000);
  const rows = await db
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.status, 'resolved'), gt(requests.id, afterId), sql`${answeredAt(requests.id)} <= ${bound}`))
    .orderBy(asc(requests.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** resolved_at, or for requests answered before it was recorded, the date of their last answer. */
const answeredAt = (id: typeof requests.id) =>
  sql`coalesce(${requests.resolvedAt}, (select max(e.created_at) from request_events e where e.request_id = ${id} and e.kind = 'resolve'))`;

/**
 * Sends the reminder or closes one request, if due, in the caller's transaction. A request another
 * worker holds is skipped (it does the work); one already handled is left as it is.
 */
export async function autoCloseOne(
  tx: Tx,
  id: number,
  at: Date,
  rules: AutoCloseRules,
  context: MailContext,
): Promise<AutoCloseStep['kind']> {
  const request = await lockForJob(tx, id, 'resolved');
  if (!request) return 'none';
  const resolvedAt = request.resolvedAt ?? (await lastAnswer(tx, id));
  if (!resolvedAt || (await requesterReacted(tx, request, resolvedAt))) return 'none';
  const step = autoCloseStep(resolvedAt, request.autoCloseRemindedAt, at, rules);
  if (step.kind === 'remind') await remind(tx, request, step.closesOn, at, context);
  if (step.kind === 'close') await close(tx, request, at, context);
  return step.kind;
}

async function remind(tx: Tx, request: Request, closesOn: Date, at: Date, context: MailContext) {
  await updateFacts(tx, request.id, { autoCloseRemindedAt: at });
  const day = format(new TZDate(closesOn, DESK_TIME_ZONE), 'dd/MM/yyyy');
  const body = `Rappel : la demande sera clôturée automatiquement le ${day}.`;
  await appendEvent(tx, request.id, { kind: 'auto_close_reminder', actorId: null, body, at });
  await notifyAutoCloseReminder(tx, request, closesOn, context);
}

/** The same transition as a person's action, decided for the scheduler. */
async function close(tx: Tx, request: Request, at: Date, context: MailContext) {
  await writeTransition(tx, request, SYSTEM, decide(request, SYSTEM, 'auto_close'), {}, context, {}, at);
}

async function lastAnswer(tx: Tx, requestId: number): Promise<Date | null> {
  const [row] = await tx
    .select({ at: requestEvents.createdAt })
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, requestId), eq(requestEvents.kind, 'resolve')))
    .orderBy(desc(requestEvents.id))
    .limit(1);
  return row?.at ?? null;
}

/** Anything the requester added since the answer (an e-mail reply, say) is a reaction: a person reads it first. */
async function requesterReacted(tx: Tx, request: Request, since: Date): Promise<boolean> {
  const [row] = await tx
    .select({ id: requestEvents.id })
    .from(requestEvents)
    .where(
      and(
        eq(requestEvents.requestId, request.id),
        eq(requestEvents.actorId, request.requesterId),
        gt(requestEvents.createdAt, since),
      ),
    )
    .limit(1);
  return row !== undefined;
}
