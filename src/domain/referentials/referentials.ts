/**
 * Referentials (applications, themes, problem types, regions, structures' natures and types):
 * read on nearly every page, changed rarely; kept in memory and reloaded after a change.
 */
import { asc } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { applications, problemTypes, regions, structureNatures, structureTypes, themes } from '../../db/schema.js';
import { byFrenchName } from '../french.js';

export type Referentials = {
  applications: { id: number; code: string; name: string; openedOn?: string | null }[];
  themes: { id: number; applicationId: number; name: string }[];
  problemTypes: { id: number; parentId: number | null; name: string }[];
  regions: { id: number; name: string }[];
  natures: { id: number; name: string }[];
  types: { id: number; name: string }[];
};

const TTL_MS = 60_000;
// Keyed by database handle, so several portals in one process (tests) never share a cache.
const caches = new WeakMap<Executor, { value: Referentials; at: number }>();

export async function getReferentials(db: Executor): Promise<Referentials> {
  const cached = caches.get(db);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const [apps, themeRows, problems, regionRows, natures, types] = await Promise.all([
    db.select().from(applications).orderBy(asc(applications.position), asc(applications.name)),
    db.select().from(themes).orderBy(asc(themes.position), asc(themes.name)),
    db.select().from(problemTypes).orderBy(asc(problemTypes.position)),
    db.select().from(regions).orderBy(asc(regions.name)),
    db.select().from(structureNatures).orderBy(asc(structureNatures.position)),
    db.select().from(structureTypes).orderBy(asc(structureTypes.position)),
  ]);
  const value: Referentials = {
    applications: apps.filter((a) => a.active).map(({ id, code, name, openedOn }) => ({ id, code, name, openedOn })),
    themes: themeRows.filter((t) => t.active).map(({ id, applicationId, name }) => ({ id, applicationId, name })),
    problemTypes: problems.filter((p) => p.active).map(({ id, parentId, name }) => ({ id, parentId, name })),
    regions: regionRows.map(({ id, name }) => ({ id, name })).sort(byFrenchName),
    natures: natures.map(({ id, name }) => ({ id, name })),
    types: types.map(({ id, name }) => ({ id, name })),
  };
  caches.set(db, { value, at: Date.now() });
  return value;
}

/** Called after any change to a referential. */
export function invalidateReferentials(db: Executor) {
  caches.delete(db);
}

export function applicationName(refs: Referentials, id: number): string {
  return refs.applications.find((a) => a.id === id)?.name ?? '';
}
