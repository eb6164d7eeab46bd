/**
 * Finding the account of a person who calls or writes to the desk, so a request can be filed for
 * them: active requesters only, by name, identifiant, e-mail or structure, accents and case folded.
 */
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { structures, users } from '../../db/schema.js';
import { displayName } from '../accounts/actors.js';
import { isSerialId } from '../validation.js';

export type RequesterHit = {
  id: number;
  name: string;
  login: string;
  email: string;
  structureName: string | null;
  kind: 'centre' | 'direccte' | null;
};

export const SEARCH_LIMIT = 20;

/** What the index of the migration 20261129023000 covers: the same expression, or it is not used. */
const userText = sql`guichet_fold(${users.firstName} || ' ' || ${users.lastName} || ' ' || ${users.login} || ' ' || ${users.email})`;
const structureText = sql`guichet_fold(${structures.name})`;

/** `%word%` with LIKE's own characters taken literally. */
const containing = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The words of a search (at most five, each cut to 80 characters). */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .map((w) => w.slice(0, 80));
}

/**
 * Active requester accounts where every word of `text` appears in the name, identifiant, e-mail
 * or structure; at most SEARCH_LIMIT, and whether there were more.
 */
export async function searchRequesters(db: Executor, text: string): Promise<{ rows: RequesterHit[]; more: boolean }> {
  const words = searchWords(text);
  if (words.length === 0) return { rows: [], more: false };
  const matches: SQL[] = words.map(
    (w) => sql`(${userText} like guichet_fold(${containing(w)}) or ${structureText} like guichet_fold(${containing(w)}))`,
  );
  const rows = await selectRequesters(db)
    .where(and(activeRequester, ...matches))
    .orderBy(asc(users.lastName), asc(users.firstName), asc(users.id))
    .limit(SEARCH_LIMIT + 1);
  return { rows: rows.slice(0, SEARCH_LIMIT).map(toHit), more: rows.length > SEARCH_LIMIT };
}

/** The account a request may be filed for: an active requester, or null. */
export async function findCallableRequester(db: Executor, id: number): Promise<RequesterHit | null> {
  if (!isSerialId(id)) return null;
  const [row] = await selectRequesters(db).where(and(activeRequester, eq(users.id, id)));
  return row ? toHit(row) : null;
}

const activeRequester = and(eq(users.role, 'requester'), eq(users.active, true));

function selectRequesters(db: Executor) {
  return db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      login: users.login,
      email: users.email,
      kind: users.requesterKind,
      structureName: structures.name,
    })
    .from(users)
    .leftJoin(structures, eq(structures.id, users.structureId));
}

const toHit = (r: {
  id: number;
  firstName: string;
  lastName: string;
  login: string;
  email: string;
  kind: 'centre' | 'direccte' | null;
  structureName: string | null;
}): RequesterHit => ({
  id: r.id,
  name: displayName(r),
  login: r.login,
  email: r.email,
  structureName: r.structureName,
  kind: r.kind,
});
