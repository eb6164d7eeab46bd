/**
 * « Vues enregistrées »: each staff member names sets of the queue's filters and order, and finds
 * them again in the desk's menu. A view is the person's own: no one else lists or deletes it.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { deskViews } from '../../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { compareFrench } from '../french.js';

export type DeskView = { id: number; name: string; path: string; query: string };

/** Enough for a whole menu; more would not be read. */
export const MAX_VIEWS = 20;
const NAME_LIMIT = 60;

export async function listDeskViews(db: Executor, userId: number): Promise<DeskView[]> {
  const rows = await db
    .select({ id: deskViews.id, name: deskViews.name, path: deskViews.path, query: deskViews.query })
    .from(deskViews)
    .where(eq(deskViews.userId, userId))
    .orderBy(asc(deskViews.id));
  return rows.sort((a, b) => compareFrench(a.name, b.name));
}

/** Saves the view under `name` (the same name again replaces its filters); `path` and `query` are checked by the caller. */
export async function saveDeskView(tx: Tx, userId: number, view: Omit<DeskView, 'id'>): Promise<number> {
  const name = view.name.trim().replace(/\s+/g, ' ');
  if (!name) throw new ValidationError({ name: 'Donnez un nom à cette vue, par exemple « Bloquantes CERES ».' });
  if (name.length > NAME_LIMIT) throw new ValidationError({ name: `Le nom tient en ${NAME_LIMIT} caractères au plus.` });
  const [same] = await tx
    .select({ id: deskViews.id })
    .from(deskViews)
    .where(and(eq(deskViews.userId, userId), sql`lower(${deskViews.name}) = lower(${name})`))
    .for('update');
  if (same) {
    await tx.update(deskViews).set({ path: view.path, query: view.query }).where(eq(deskViews.id, same.id));
    return same.id;
  }
  const [{ count }] = (await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(deskViews)
    .where(eq(deskViews.userId, userId))) as [{ count: number }];
  if (count >= MAX_VIEWS)
    throw new ValidationError({ name: `Vous avez déjà ${MAX_VIEWS} vues enregistrées : supprimez-en une d’abord.` });
  const [row] = await tx
    .insert(deskViews)
    .values({ userId, name, path: view.path, query: view.query })
    .returning({ id: deskViews.id });
  return (row as { id: number }).id;
}

export async function deleteDeskView(tx: Tx, userId: number, id: number): Promise<void> {
  const rows = await tx
    .delete(deskViews)
    .where(and(eq(deskViews.id, id), eq(deskViews.userId, userId)))
    .returning({ id: deskViews.id });
  if (rows.length === 0) throw new NotFoundError();
}
