import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { userApplications, users } from '../../db/schema.js';
import { displayName } from '../accounts/actors.js';

/** Staff who may handle a request at its level: agents (level 1) or experts (level 2) of its application, and administrators. */
export async function assigneesFor(db: Executor, request: { applicationId: number; level: 1 | 2 }) {
  const role = request.level === 2 ? 'expert' : 'agent';
  const rows = await db
    .selectDistinct({ id: users.id, firstName: users.firstName, lastName: users.lastName, role: users.role })
    .from(users)
    .leftJoin(userApplications, eq(userApplications.userId, users.id))
    .where(
      and(
        eq(users.active, true),
        ne(users.role, 'requester'),
        inArray(users.role, [role, 'admin']),
        eq(userApplications.applicationId, request.applicationId),
      ),
    )
    .orderBy(asc(users.lastName));
  return rows.map((u) => ({ id: u.id, name: displayName(u) }));
}
