/**
 * « Prendre en charge la sélection » / « Assigner la sélection à … »: each selected request goes
 * through the same command as its own page, in its own transaction, with the version the agent
 * saw. A request changed in between is left as it is and reported; the others are recorded.
 */
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { transaction } from '../../db/client.js';
import { userApplications, users } from '../../db/schema.js';
import { displayName } from '../../domain/accounts/actors.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, TransitionError } from '../../domain/errors.js';
import type { MailContext } from '../../domain/notifications/request-notifications.js';
import { applyAction } from '../../domain/requests/commands/apply-action.js';

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

export type Colleague = { id: number; name: string; role: 'agent' | 'expert' | 'admin' };

/**
 * Staff a selection may be assigned to: people of the actor's level who cover one of the
 * actor's applications (an administrator sees every agent and expert). Each request still
 * checks its own assignee.
 */
export async function colleaguesOf(db: Db, actor: Actor): Promise<Colleague[]> {
  const roles: Colleague['role'][] =
    actor.role === 'admin' ? ['agent', 'expert'] : actor.role === 'expert' ? ['expert'] : ['agent'];
  if (actor.role !== 'admin' && actor.applicationIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ id: users.id, firstName: users.firstName, lastName: users.lastName, role: users.role })
    .from(users)
    .innerJoin(userApplications, eq(userApplications.userId, users.id))
    .where(
      and(
        eq(users.active, true),
        ne(users.role, 'requester'),
        inArray(users.role, roles),
        actor.role === 'admin' ? undefined : inArray(userApplications.applicationId, actor.applicationIds),
      ),
    )
    .orderBy(asc(users.lastName), asc(users.firstName));
  return rows.map((u) => ({ id: u.id, name: displayName(u), role: u.role as Colleague['role'] }));
}
