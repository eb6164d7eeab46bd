import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { userApplications, users } from '../../db/schema.js';
import type { Actor } from '../actor.js';

export const displayName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName.toUpperCase()}`;

/** The active user behind a session, or null (disabled or removed users act no more). */
export async function loadActor(db: Executor, userId: number): Promise<Actor | null> {
  // One round trip: this runs on every signed-in request.
  const [user] = await db
    .select({
      id: users.id,
      role: users.role,
      login: users.login,
      firstName: users.firstName,
      lastName: users.lastName,
      active: users.active,
      structureId: users.structureId,
      knowledgeEditor: users.knowledgeEditor,
      deskLead: users.deskLead,
      applicationIds: sql<number[]>`array(select ${userApplications.applicationId} from ${userApplications}
        where ${userApplications.userId} = ${users.id} order by 1)`,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.active) return null;
  return {
    id: user.id,
    role: user.role,
    login: user.login,
    displayName: displayName(user),
    applicationIds: user.applicationIds.map(Number),
    structureId: user.structureId,
    knowledgeEditor: user.knowledgeEditor,
    deskLead: user.deskLead,
  };
}
