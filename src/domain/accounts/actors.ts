import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { userApplications, users } from '../../db/schema.js';
import type { Actor } from '../actor.js';

export const displayName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName.toUpperCase()}`;

/** The active user behind a session, or null (disabled or removed users act no more). */
export async function loadActor(db: Executor, userId: number): Promise<Actor | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user?.active) return null;
  const apps = await db
    .select({ id: userApplications.applicationId })
    .from(userApplications)
    .where(eq(userApplications.userId, userId));
  return {
    id: user.id,
    role: user.role,
    login: user.login,
    displayName: displayName(user),
    applicationIds: apps.map((a) => a.id),
    structureId: user.structureId,
    knowledgeEditor: user.knowledgeEditor,
  };
}
