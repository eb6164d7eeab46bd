/**
 * Who may see a request and act on it. Deny unless a rule below allows.
 */
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { requests } from '../../db/schema.js';
import { canUse } from '../access.js';
import type { Actor } from '../actor.js';
import { NotFoundError } from '../errors.js';
import type { Action, Channel, Role } from '../vocabulary.js';
import { allowedActions, allows, notPossible, type RequestState } from './workflow.js';

export type RequestAccess = RequestState & { applicationId: number; createdById: number; structureId?: number | null };

/** Settings that widen what requesters see: read by the caller and passed in, so the policy stays a pure function. */
export type Sharing = { shareWithinStructure?: boolean };

/**
 * Visibility: requesters see theirs (and, when the setting is on, those of their structure, read-only:
 * the workflow lets only the requester act); level 1 the applications they cover; level 2 what was escalated to them.
 */
export function canSee(actor: Actor, request: RequestAccess, sharing: Sharing = {}): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'agent':
      return actor.applicationIds.includes(request.applicationId);
    case 'expert':
      return request.level === 2 && actor.applicationIds.includes(request.applicationId);
    case 'requester':
      return request.requesterId === actor.id || request.createdById === actor.id || sameStructure(actor, request, sharing);
    default:
      return false;
  }
}

/** A request of the requester's own structure, visible to them when sharing within structures is on. */
export const sameStructure = (actor: Actor, request: Pick<RequestAccess, 'structureId'>, sharing: Sharing) =>
  sharing.shareWithinStructure === true && actor.structureId !== null && request.structureId === actor.structureId;

/**
 * The same rule as canSee, as SQL for the lists and searches (tested against it).
 * `mine`: only what the person filed or was filed for, whatever else they may see.
 */
export function visibleTo(actor: Actor, mine: boolean, sharing: Sharing = {}): SQL | undefined {
  const own = sql`(${requests.requesterId} = ${actor.id} or ${requests.createdById} = ${actor.id})`;
  if (mine) return own;
  if (actor.role === 'requester') {
    const structure = sharing.shareWithinStructure && actor.structureId !== null ? actor.structureId : null;
    return structure === null ? own : sql`(${own} or ${requests.structureId} = ${structure})`;
  }
  const apps = actor.applicationIds.length ? inArray(requests.applicationId, actor.applicationIds) : sql`false`;
  switch (actor.role) {
    case 'admin':
      return undefined;
    case 'agent':
      return apps;
    case 'expert':
      return and(eq(requests.level, 2), apps);
    default:
      return sql`false`;
  }
}

export function can(actor: Actor, action: Action, request: RequestAccess, sharing: Sharing = {}): boolean {
  return canSee(actor, request, sharing) && allows(request, actor, action);
}

/**
 * Refuses `action` as the commands do: a request `actor` may not see is absent (NotFoundError);
 * one they see but may not act on so now is a TransitionError with its reason.
 */
export function authorize(actor: Actor, action: Action, request: RequestAccess, sharing: Sharing = {}): void {
  if (!canSee(actor, request, sharing)) throw new NotFoundError();
  if (!allows(request, actor, action)) throw notPossible(action);
}

/** The actions to offer in views and API, from the same rules as the commands. */
export function actionsFor(actor: Actor, request: RequestAccess, sharing: Sharing = {}): Action[] {
  return canSee(actor, request, sharing) ? allowedActions(request, actor) : [];
}

/** A request about to be filed: for whom, through which channel, and whether « pour le compte de » someone. */
export type Filing = {
  requester: { id: number; role: Role; active: boolean; requesterKind: 'centre' | 'direccte' | null };
  channel: Channel;
  onBehalf: boolean;
};

/**
 * Who may file for whom. A requester files for themselves (portal, API, e-mail); a regional
 * (DIRECCTE) requester may do so « pour le compte de » a local-unit agent. The desk files for an
 * active requester's account a call or an e-mail it received. Nothing else.
 */
export function canFile(actor: Actor, { requester, channel, onBehalf }: Filing): boolean {
  if (requester.role !== 'requester' || !requester.active) return false;
  if (onBehalf && requester.requesterKind !== 'direccte') return false;
  if (actor.role === 'requester') return requester.id === actor.id && channel !== 'telephone';
  return canUse(actor, 'desk') && (channel === 'telephone' || channel === 'courriel');
}
