/**
 * Who is told of a request's changes: its requester, its assignee, or the staff of its application
 * at its level (agents at level 1, experts at level 2). Administrators are not mailed by default.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { userApplications, users } from '../../db/schema.js';
import { displayName } from '../accounts/actors.js';
import type { NotifyMode, Role } from '../vocabulary.js';

export type Person = { id: number; email: string; name: string };

const toPerson = (u: typeof users.$inferSelect): Person => ({ id: u.id, email: u.email, name: displayName(u) });

/** An active user, or null. */
export async function personOf(db: Executor, userId: number | null): Promise<Person | null> {
  if (userId === null) return null;
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.active, true)));
  return user ? toPerson(user) : null;
}

/** Active users of `role` who cover the application; `modes` narrows to their new-request preference. */
export async function staffOf(db: Executor, applicationId: number, role: Role, modes?: NotifyMode[]): Promise<Person[]> {
  const rows = await db
    .select({ u: users })
    .from(users)
    .innerJoin(userApplications, eq(userApplications.userId, users.id))
    .where(
      and(
        eq(userApplications.applicationId, applicationId),
        eq(users.role, role),
        eq(users.active, true),
        modes ? inArray(users.notifyNewRequests, modes) : undefined,
      ),
    )
    .orderBy(users.id);
  return rows.map((r) => toPerson(r.u));
}

/** The staff of the request's current level. */
export function levelStaff(db: Executor, request: { applicationId: number; level: number }): Promise<Person[]> {
  return staffOf(db, request.applicationId, request.level === 2 ? 'expert' : 'agent');
}

/** The assignee when there is one, else the staff of the request's level; never `exceptId`. */
export async function handlers(
  db: Executor,
  request: { applicationId: number; level: number; assigneeId: number | null },
  exceptId: number | null,
): Promise<Person[]> {
  const assignee = await personOf(db, request.assigneeId);
  const people = assignee ? [assignee] : await levelStaff(db, request);
  return people.filter((p) => p.id !== exceptId);
}
