/**
 * « Prendre en charge la sélection » / « Assigner la sélection à … » / « Traiter » or « Demander
 * un complément » with one message for all: each selected request goes
 * through the same command as its own page, in its own transaction, with the version the agent
 * saw. A request changed in between is left as it is and reported; the others are recorded.
 */
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.js';
import { transaction } from '../../../db/client.js';
import { requests, users } from '../../../db/schema.js';
import { displayName } from '../../accounts/actors.js';
import type { Actor } from '../../actor.js';
import { cannedAnswersFor } from '../../canned-answers/canned-answers.js';
import { ConflictError, ForbiddenError, NotFoundError, TransitionError } from '../../errors.js';
import type { MailContext } from '../../notifications/request-notifications.js';
import { applyAction } from './apply-action.js';

/** One page of the queue at most. */
export const MAX_SELECTION = 100;

export type Selected = { number: number; version: number };
export type SelectionOutcome = { done: number[]; conflicts: number[]; refused: number[] };
/**
 * A message to every requester of the selection: typed once, or a canned answer filled for each
 * request (its number, subject and requester).
 */
export type Message = { text: string } | { cannedAnswerId: number };
export type Operation =
  | { action: 'take' }
  | { action: 'reassign'; assigneeId: number }
  | { action: 'resolve' | 'ask_info'; message: Message };

/** The checkboxes' values, « number:version »; anything else is ignored. */
export function parseSelection(raw: unknown): Selected[] {
  const values = [raw].flat().filter((v): v is string => typeof v === 'string');
  const seen = new Map<number, Selected>();
  for (const value of values.slice(0, MAX_SELECTION)) {
    const match = /^(\d{1,15}):(\d{1,9})$/.exec(value);
    if (match) seen.set(Number(match[1]), { number: Number(match[1]), version: Number(match[2]) });
  }
  return [...seen.values()];
}

export async function applyToSelection(
  db: Db,
  actor: Actor,
  selected: Selected[],
  operation: Operation,
  mail: MailContext,
): Promise<SelectionOutcome> {
  const outcome: SelectionOutcome = { done: [], conflicts: [], refused: [] };
  for (const { number, version } of selected) {
    try {
      await transaction(db, async (tx) =>
        applyAction(
          tx,
          actor,
          number,
          operation.action,
          {
            expectedVersion: version,
            assigneeId: operation.action === 'reassign' ? operation.assigneeId : undefined,
            message: 'message' in operation ? await messageFor(tx, number, operation.message) : undefined,
          },
          mail,
        ),
      );
      outcome.done.push(number);
    } catch (error) {
      if (error instanceof ConflictError) outcome.conflicts.push(number);
      else if (error instanceof TransitionError || error instanceof NotFoundError || error instanceof ForbiddenError)
        outcome.refused.push(number);
      else throw error;
    }
  }
  return outcome;
}

/** The message for one request; a canned answer that does not apply to its application refuses it. */
async function messageFor(tx: Tx, number: number, message: Message): Promise<string> {
  if ('text' in message) return message.text;
  const [request] = await tx
    .select({
      subject: requests.subject,
      applicationId: requests.applicationId,
      firstName: users.firstName,
      lastName: users.lastName,
    })
    .from(requests)
    .innerJoin(users, eq(users.id, requests.requesterId))
    .where(eq(requests.number, number));
  if (!request) throw new NotFoundError();
  const answers = await cannedAnswersFor(tx, { ...request, number, requesterName: displayName(request) });
  const chosen = answers.find((a) => a.id === message.cannedAnswerId);
  if (!chosen) throw new TransitionError('Cette réponse type ne s’applique pas à l’application de la demande.');
  return chosen.body;
}
