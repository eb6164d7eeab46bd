/**
 * Who may see a request and act on it. Deny unless a rule below allows.
 */
import type { Channel, Role } from '../../db/schema.js';
import type { Actor } from '../actor.js';
import { type Action, allowedActions, allows, type RequestState } from './workflow.js';

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

export function can(actor: Actor, action: Action, request: RequestAccess, sharing: Sharing = {}): boolean {
  return canSee(actor, request, sharing) && allows(request, actor, action);
}

/** The actions to offer in views and API, from the same rules as the commands. */
export function actionsFor(actor: Actor, request: RequestAccess, sharing: Sharing = {}): Action[] {
  return canSee(actor, request, sharing) ? allowedActions(request, actor) : [];
}

/** Internal events and their files are for staff only. */
export const canSeeInternal = (actor: Actor) => actor.role !== 'requester';

/** Surfaces of the portal and the roles that may use them. */
const AREAS = {
  portal: ['requester', 'agent', 'expert', 'admin'],
  fileRequest: ['requester'],
  desk: ['agent', 'expert', 'admin'],
  admin: ['admin'],
} as const;

export type Area = keyof typeof AREAS;

export function canUse(actor: Actor | null, area: Area): boolean {
  return actor !== null && (AREAS[area] as readonly string[]).includes(actor.role);
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
