/**
 * The only code that writes requests and their history events. Commands decide (through the
 * policy and the state machine); this module writes what they decided, in their transaction.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { attachments, requestEvents, requestFactsPending, requests } from '../../db/schema.js';
import type { Actor } from '../actor.js';
import { NotFoundError } from '../errors.js';
import { getSettings } from '../settings/settings.js';
import type { EventKind, RequestStatus } from '../vocabulary.js';
import { canSee } from './policy.js';
import type { Transition } from './workflow.js';

export type RequestRow = typeof requests.$inferSelect;
export type NewRequest = typeof requests.$inferInsert;
export type EventRow = { id: number; createdAt: Date };

/** Facts of a request that change outside the state machine (service levels, duplicate, survey, reminder). */
export type RequestFacts = Partial<
  Pick<
    RequestRow,
    | 'firstResponseDueAt'
    | 'resolutionDueAt'
    | 'firstResponseAt'
    | 'slaPausedAt'
    | 'resolvedAt'
    | 'autoCloseRemindedAt'
    | 'duplicateOfId'
    | 'satisfaction'
    | 'satisfactionComment'
    | 'satisfactionAt'
    | 'requesterActivityAt'
    | 'reopenableUntil'
  >
>;

/**
 * The request `number`, locked until the transaction ends, if `actor` may see it; otherwise a
 * NotFoundError, the same as for a request that does not exist.
 */
export async function lockVisible(tx: Tx, actor: Actor, number: number): Promise<RequestRow> {
  const request = await lockRequest(tx, number);
  if (!request || !canSee(actor, request, await getSettings(tx))) throw new NotFoundError();
  return request;
}

/** The request `number`, locked until the transaction ends, whoever asks (the caller checks the policy). */
export async function lockRequest(tx: Tx, number: number): Promise<RequestRow | null> {
  const [request] = await tx.select().from(requests).where(eq(requests.number, number)).for('update');
  return request ?? null;
}

/** A request in `status`, locked for a job; null when it is not (or no longer) or another worker holds it. */
export async function lockForJob(tx: Tx, id: number, status: RequestStatus): Promise<RequestRow | null> {
  const [request] = await tx
    .select()
    .from(requests)
    .where(and(eq(requests.id, id), eq(requests.status, status)))
    .for('update', { skipLocked: true });
  return request ?? null;
}

/**
 * Inserts a new request; null when its form token was used already (two submissions of one form
 * at the same moment: the second waits for the first, then writes nothing).
 */
export async function insertRequest(tx: Tx, values: NewRequest): Promise<RequestRow | null> {
  const [request] = await tx
    .insert(requests)
    .values(values)
    .onConflictDoNothing({ target: requests.submissionToken })
    .returning();
  return request ?? null;
}

export type NewEvent = {
  kind: EventKind;
  actorId: number | null;
  body?: string | null;
  /** Internal events are for staff only. */
  internal?: boolean;
  fromStatus?: RequestStatus | null;
  toStatus?: RequestStatus | null;
  /** The form's one-time token: the same form sent again is recognised by it. */
  submissionToken?: string | null;
  at?: Date;
};

/** Appends an event to the request's history, and marks its Pilotage facts for recomputing; returns it. */
export async function appendEvent(tx: Tx, requestId: number, event: NewEvent): Promise<EventRow> {
  const [row] = await tx
    .insert(requestEvents)
    .values({
      requestId,
      actorId: event.actorId,
      kind: event.kind,
      body: event.body ?? null,
      internal: event.internal ?? false,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      submissionToken: event.submissionToken ?? null,
      ...(event.at ? { createdAt: event.at } : {}),
    })
    .returning({ id: requestEvents.id, createdAt: requestEvents.createdAt });
  if (!row) throw new Error('insert returned nothing');
  await tx.insert(requestFactsPending).values({ requestId }).onConflictDoNothing();
  return row;
}

/** Writes a transition the state machine decided, with the facts that change along (service levels). */
export async function applyTransition(tx: Tx, request: RequestRow, next: Transition, facts: RequestFacts, at: Date) {
  await tx
    .update(requests)
    .set({
      ...facts,
      status: next.status,
      level: next.level,
      assigneeId: next.assigneeId,
      version: sql`${requests.version} + 1`,
      updatedAt: at,
    })
    .where(eq(requests.id, request.id));
}

/**
 * Changes facts of a request outside a transition; `unless` names a fact that must still be
 * unset (the survey is answered once). False when nothing was written.
 */
export async function updateFacts(tx: Tx, id: number, facts: RequestFacts, unless?: 'satisfaction'): Promise<boolean> {
  if (Object.keys(facts).length === 0) return false;
  const rows = await tx
    .update(requests)
    .set(facts)
    .where(and(eq(requests.id, id), unless ? isNull(requests[unless]) : undefined))
    .returning({ id: requests.id });
  return rows.length > 0;
}

/** The files `uploadedBy` staged under `token` join the request, with the event they came with; returns their names. */
export async function attachStaged(tx: Tx, uploadedBy: number, requestId: number, eventId: number, token: string) {
  const rows = await tx
    .update(attachments)
    .set({ requestId, eventId, stagingToken: null })
    .where(and(eq(attachments.stagingToken, token), eq(attachments.uploadedBy, uploadedBy), isNull(attachments.requestId)))
    .returning({ name: attachments.originalName });
  return rows.map((r) => r.name);
}

/** True when an event of this request was written by the form with this one-time token. */
export async function submittedWith(tx: Tx, requestId: number, token: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: requestEvents.id })
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, requestId), eq(requestEvents.submissionToken, token)));
  return row !== undefined;
}
