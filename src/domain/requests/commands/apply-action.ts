import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { attachments, requestEvents, requests, users } from '../../../db/schema.js';
import { displayName, loadActor } from '../../accounts/actors.js';
import type { Actor } from '../../actor.js';
import { ConflictError, NotFoundError, TransitionError } from '../../errors.js';
import { type MailContext, notifyAction } from '../../notifications/request-notifications.js';
import { getSettings } from '../../settings/settings.js';
import { findOriginal, recordDuplicate } from '../links.js';
import { canSee } from '../policy.js';
import { trackServiceLevel } from '../service-level.js';
import { type Action, atMyLevel, decide } from '../workflow.js';

export type ActionInput = {
  message?: string;
  assigneeId?: number | null;
  /** The version the person saw; a staff action on a request changed since is a conflict. */
  expectedVersion?: number;
  /** One-time token of the form: replaying it changes nothing. */
  submissionToken?: string;
  /** Files sent with the form, staged under this token. */
  stagingToken?: string;
  /** « Marquer comme doublon »: the number of the original request, as typed. */
  duplicateOfNumber?: number | string;
};

export type ActionOutcome = { number: number; duplicate: boolean };

/**
 * Applies one workflow action to a request: status, history event, files and e-mail in the
 * caller's transaction. Not visible → 404; not allowed → TransitionError, nothing written.
 */
export async function applyAction(
  tx: Tx,
  actor: Actor,
  number: number,
  action: Action,
  input: ActionInput,
  options: MailContext,
): Promise<ActionOutcome> {
  const [request] = await tx.select().from(requests).where(eq(requests.number, number)).for('update');
  // A colleague of the same structure may see the request (setting): then refusing the action says why.
  if (!request || !canSee(actor, request, await getSettings(tx))) throw new NotFoundError();
  if (input.submissionToken && (await alreadyApplied(tx, request.id, input.submissionToken))) {
    return { number, duplicate: true };
  }
  if (actor.role !== 'requester' && input.expectedVersion !== undefined && input.expectedVersion !== request.version) {
    throw new ConflictError(
      'Cette demande a été modifiée par une autre personne pendant que vous la consultiez. Relisez-la avant d’agir ; votre texte est conservé ci-dessous.',
    );
  }
  const message = input.message?.trim() || undefined;
  if (action === 'reassign') await checkAssignee(tx, request, input.assigneeId ?? null);
  const next = decide(request, actor, action, { message, assigneeId: input.assigneeId });
  const original = action === 'mark_duplicate' ? await findOriginal(tx, actor, request, input.duplicateOfNumber) : null;

  await tx
    .update(requests)
    .set({
      status: next.status,
      level: next.level,
      assigneeId: next.assigneeId,
      version: sql`${requests.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(requests.id, request.id));
  if (original) await recordDuplicate(tx, actor.id, request, original);
  const body = action === 'reassign' ? await assigneeLabel(tx, next.assigneeId) : next.privateMessage ? null : message;
  const [event] = await tx
    .insert(requestEvents)
    .values({
      requestId: request.id,
      actorId: actor.id,
      kind: next.event,
      fromStatus: request.status,
      toStatus: next.status,
      body: body ?? null,
      internal: next.internal,
      submissionToken: input.submissionToken ?? null,
    })
    .returning({ id: requestEvents.id });
  if (!event) throw new Error('insert returned nothing');
  // The message of a routing action (escalate, send back) is an internal note: its files go with it.
  let filesEventId = event.id;
  if (next.privateMessage && message) {
    const [note] = await tx
      .insert(requestEvents)
      .values({ requestId: request.id, actorId: actor.id, kind: 'internal_note', body: message, internal: true })
      .returning({ id: requestEvents.id });
    if (!note) throw new Error('insert returned nothing');
    filesEventId = note.id;
  }
  const files = input.stagingToken ? await attachStaged(tx, actor, request.id, filesEventId, input.stagingToken) : [];
  await trackServiceLevel(tx, request, next);
  await notifyAction(tx, { action, request, actorId: actor.id, eventId: event.id, message: message ?? '', files }, options);
  return { number, duplicate: false };
}

async function alreadyApplied(tx: Tx, requestId: number, token: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: requestEvents.id })
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, requestId), eq(requestEvents.submissionToken, token)));
  return row !== undefined;
}

/** The new assignee must be an active staff member who can see the request and handles its level. */
async function checkAssignee(tx: Tx, request: typeof requests.$inferSelect, assigneeId: number | null) {
  if (assigneeId === null) return;
  const assignee = await loadActor(tx, assigneeId);
  if (!assignee || assignee.role === 'requester' || !canSee(assignee, request) || !atMyLevel(request, assignee)) {
    throw new TransitionError('La personne choisie ne peut pas prendre en charge cette demande.');
  }
}

async function assigneeLabel(tx: Tx, assigneeId: number | null): Promise<string> {
  if (assigneeId === null) return 'Demande remise dans la file (sans gestionnaire).';
  const [user] = await tx.select().from(users).where(eq(users.id, assigneeId));
  return user ? `Réassignée à ${displayName(user)}.` : '';
}

async function attachStaged(tx: Tx, actor: Actor, requestId: number, eventId: number, token: string): Promise<string[]> {
  const rows = await tx
    .update(attachments)
    .set({ requestId, eventId, stagingToken: null })
    .where(and(eq(attachments.stagingToken, token), eq(attachments.uploadedBy, actor.id), isNull(attachments.requestId)))
    .returning({ name: attachments.originalName });
  return rows.map((r) => r.name);
}
