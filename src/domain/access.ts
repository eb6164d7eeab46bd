/**
 * Who may use which surface of the portal. Deny unless a rule below allows; what a person may
 * do on one request is the request policy's (requests/policy.ts).
 */
import type { Actor } from './actor.js';
import type { Role } from './vocabulary.js';

const STAFF_ROLES: readonly Role[] = ['agent', 'expert', 'admin'];

/** The support's staff: level 1 and 2 agents, and administrators (a role not listed is nobody's). */
export const isStaffRole = (role: Role) => STAFF_ROLES.includes(role);

/** A staff member: sees internal notes, links requests and resources, works in the desk. */
export const isStaff = (actor: Pick<Actor, 'role'> | null): boolean => actor !== null && isStaffRole(actor.role);

/** Administrators and the editors they appoint write the knowledge base. */
export const canEdit = (actor: Actor | null): boolean =>
  actor !== null && (actor.role === 'admin' || (isStaff(actor) && actor.knowledgeEditor === true));

/** Surfaces of the portal and who may use them. */
const AREAS = {
  portal: (actor: Actor) => actor.role === 'requester' || isStaff(actor),
  // « Mon compte »: everyone with a known role.
  account: (actor: Actor) => actor.role === 'requester' || isStaff(actor) || actor.role === 'pilot',
  fileRequest: (actor: Actor) => actor.role === 'requester',
  desk: (actor: Actor) => isStaff(actor),
  editing: (actor: Actor) => canEdit(actor),
  admin: (actor: Actor) => actor.role === 'admin',
  // Figures only: a pilote never reaches a request, its content or its people.
  pilotage: (actor: Actor) => actor.role === 'pilot' || actor.role === 'admin',
  // The desk's activity per agent: administrators and the pilote who leads the desk.
  pilotageDesk: (actor: Actor) => actor.role === 'admin' || (actor.role === 'pilot' && actor.deskLead === true),
} satisfies Record<string, (actor: Actor) => boolean>;

export type Area = keyof typeof AREAS;

/** True when `actor` (signed in) may use `area`. */
export function canUse(actor: Actor | null, area: Area): boolean {
  return actor !== null && AREAS[area](actor);
}
