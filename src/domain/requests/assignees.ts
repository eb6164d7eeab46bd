/**
 * Staff a request, or a selection of requests, may be given to. Each assignment still goes
 * through the command, which checks the assignee against the request itself.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { userApplications, users } from '../../db/schema.js';
import { displayName } from '../accounts/actors.js';
import type { Actor } from '../actor.js';

type StaffRole = 'agent' | 'expert' | 'admin';
export type Colleague = { id: number; name: string; role: StaffRole };

/** Active staff of `roles` covering one of `applicationIds` (every application when undefined), by name. */
async function staffCovering(db: Executor, roles: StaffRole[], applicationIds?: number[]): Promise<Colleague[]> {
  const rows = await db
    .selectDistinct({ id: users.id, firstName: users.firstName, lastName: users.lastName, role: users.role })
    .from(users)
    .innerJoin(userApplications, eq(userApplications.userId, users.id))
    .where(
      and(
        eq(users.active, true),
        inArray(users.role, roles),
        applicationIds ? inArray(userApplications.applicationId, applicationIds) : undefined,
      ),
    )
    .orderBy(asc(users.lastName), asc(users.firstName));
  return rows.map((u) => ({ id: u.id, name: displayName(u), role: u.role as StaffRole }));
}

/** Staff who may handle a request at its level: agents (level 1) or experts (level 2) of its application, and administrators. */
export function assigneesFor(db: Executor, request: { applicationId: number; level: 1 | 2 }): Promise<Colleague[]> {
  return staffCovering(db, [request.level === 2 ? 'expert' : 'agent', 'admin'], [request.applicationId]);
}

/**
 * Staff a selection may be assigned to: people of the actor's level who cover one of the
 * actor's applications (an administrator sees every agent and expert).
 */
export async function colleaguesOf(db: Executor, actor: Actor): Promise<Colleague[]> {
  if (actor.role === 'admin') return staffCovering(db, ['agent', 'expert']);
  if (actor.applicationIds.length === 0) return [];
  return staffCovering(db, [actor.role === 'expert' ? 'expert' : 'agent'], actor.applicationIds);
}
