import { eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { users } from '../../../db/schema.js';
import { isStaff } from '../../access.js';
import { displayName, loadActor } from '../../accounts/actors.js';
import type { Actor } from '../../actor.js';
import { now } from '../../clock.js';
import { ConflictError, TransitionError } from '../../errors.js';
import { type MailContext, notifyAction } from '../../notifications/request-notifications.js';
import type { Action } from '../../vocabulary.js';
import { findOriginal, linkDuplicate } from '../links.js';
import { canSee } from '../policy.js';
import {
  appendEvent,
  applyTransition,
  attachStaged,
  lockVisible,
  type RequestFacts,
  type RequestRow,
  submittedWith,
} from '../repository.js';
import { serviceLevelChanges } from '../service-level.js';
import { atMyLevel, decide, type Transition, type WorkflowActor } from '../workflow.js';

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

/** The request's number, whether the form had been sent already, and the event written (none for a replay). */
export type ActionOutcome = { number: number; duplicate: boolean; eventId: number | null };

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
  // A colleague of the same structure may see the request (setting): then refusing the action says why.
  const request = await lockVisible(tx, actor, number);
  if (input.submissionToken && (await submittedWith(tx, request.id, input.submissionToken))) {
    return { number, duplicate: true, eventId: null };
  }
  if (isStaff(actor) && input.expectedVersion !== undefined && input.expectedVersion !== request.version) {
    throw new ConflictError(
      'Cette demande a été modifiée par une autre personne pendant que vous la consultiez. Relisez-la avant d’agir ; votre texte est conservé ci-dessous.',
    );
  }
  const message = input.message?.trim() || undefined;
  if (action === 'reassign') await checkAssignee(tx, request, input.assigneeId ?? null);
  const next = decide(request, actor, action, { message, assigneeId: input.assigneeId });
  const original = action === 'mark_duplicate' ? await findOriginal(tx, actor, request, input.duplicateOfNumber) : null;
  const body = action === 'reassign' ? await assigneeLabel(tx, next.assigneeId) : message;
  const facts = original ? { duplicateOfId: original.id } : {};
  const eventId = await writeTransition(tx, request, actor, next, { ...input, message, body }, options, facts);
  if (original) await linkDuplicate(tx, actor.id, request, original);
  return { number, duplicate: false, eventId };
}

/**
 * Writes a transition the state machine decided, for a person or the scheduler: the request
 * (with its service levels), its history event — the message of a routing action going to an
 * internal note, with its files — the staged files and the e-mails. Returns the event's id.
 */
export async function writeTransition(
  tx: Tx,
  request: RequestRow,
  actor: WorkflowActor,
  next: Transition,
  input: { message?: string; body?: string; submissionToken?: string; stagingToken?: string },
  mail: MailContext,
  facts: RequestFacts = {},
  at = now(),
) {
  // What the requester writes is what the desk has to read (« informations ajoutées »).
  const wrote = actor.id === request.requesterId && (next.event === 'add_info' || next.event === 'refuse');
  const activity = wrote ? { requesterActivityAt: at } : {};
  await applyTransition(tx, request, next, { ...(await serviceLevelChanges(tx, request, next, at)), ...activity, ...facts }, at);
  const event = await appendEvent(tx, request.id, {
    kind: next.event,
    actorId: actor.id,
    fromStatus: request.status,
    toStatus: next.status,
    body: next.privateMessage ? null : input.body,
    internal: next.internal,
    submissionToken: input.submissionToken,
    at,
  });
  // The message of a routing action (escalate, send back) is an internal note: its files go with it.
  const note =
    next.privateMessage && input.message
      ? await appendEvent(tx, request.id, { kind: 'internal_note', actorId: actor.id, body: input.message, internal: true, at })
      : null;
  const files =
    input.stagingToken && actor.id !== null
      ? await attachStaged(tx, actor.id, request.id, (note ?? event).id, input.stagingToken)
      : [];
  const message = input.message ?? '';
  await notifyAction(tx, { action: next.event, request, actorId: actor.id, eventId: event.id, message, files }, mail);
  return event.id;
}

/** The new assignee must be an active staff member who can see the request and handles its level. */
async function checkAssignee(tx: Tx, request: RequestRow, assigneeId: number | null) {
  if (assigneeId === null) return;
  const assignee = await loadActor(tx, assigneeId);
  if (!assignee || !isStaff(assignee) || !canSee(assignee, request) || !atMyLevel(request, assignee)) {
    throw new TransitionError('La personne choisie ne peut pas prendre en charge cette demande.');
  }
}

async function assigneeLabel(tx: Tx, assigneeId: number | null): Promise<string> {
  if (assigneeId === null) return 'Demande remise dans la file (sans gestionnaire).';
  const [user] = await tx.select().from(users).where(eq(users.id, assigneeId));
  return user ? `Réassignée à ${displayName(user)}.` : '';
}
