/**
 * Who may see a request and act on it. Deny unless a rule below allows.
 */
import type { Actor } from '../actor.js';
import { type Action, allowedActions, allows, type RequestState } from './workflow.js';

export type RequestAccess = RequestState & { applicationId: number; createdById: number };

/** Visibility: requesters see theirs; level 1 the applications they cover; level 2 what was escalated to them. */
export function canSee(actor: Actor, request: RequestAccess): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'agent':
      return actor.applicationIds.includes(request.applicationId);
    case 'expert':
      return request.level === 2 && actor.applicationIds.includes(request.applicationId);
    case 'requester':
      return request.requesterId === actor.id || request.createdById === actor.id;
    default:
      return false;
  }
}

export function can(actor: Actor, action: Action, request: RequestAccess): boolean {
  return canSee(actor, request) && allows(request, actor, action);
}

/** The actions to offer in views and API, from the same rules as the commands. */
export function actionsFor(actor: Actor, request: RequestAccess): Action[] {
  return canSee(actor, request) ? allowedActions(request, actor) : [];
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
