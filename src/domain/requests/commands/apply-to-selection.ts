/**
 * « Prendre en charge la sélection » / « Assigner la sélection à … »: each selected request goes
 * through the same command as its own page, in its own transaction, with the version the agent
 * saw. A request changed in between is left as it is and reported; the others are recorded.
 */
import type { Db } from '../../../db/client.js';
import { transaction } from '../../../db/client.js';
import type { Actor } from '../../actor.js';
import { ConflictError, ForbiddenError, NotFoundError, TransitionError } from '../../errors.js';
import type { MailContext } from '../../notifications/request-notifications.js';
import { applyAction } from './apply-action.js';

/** One page of the queue at most. */
export const MAX_SELECTION = 100;

export type Selected = { number: number; version: number };
export type SelectionOutcome = { done: number[]; conflicts: number[]; refused: number[] };
export type Operation = { action: 'take' } | { action: 'reassign'; assigneeId: number };

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
      await transaction(db, (tx) =>
        applyAction(
          tx,
          actor,
          number,
          operation.action,
          { expectedVersion: version, assigneeId: operation.action === 'reassign' ? operation.assigneeId : undefined },
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
