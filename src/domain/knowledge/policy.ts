/**
 * Who reads and who edits the knowledge base. Deny unless a rule below allows.
 */
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { isStaff } from '../access.js';
import type { Actor } from '../actor.js';
import type { Audience } from '../vocabulary.js';

export const AUDIENCES: readonly Audience[] = ['public', 'users', 'agents'];

export const AUDIENCE_LABELS: Record<Audience, string> = {
  public: 'Tout le monde (sans connexion)',
  users: 'Personnes connectées',
  agents: 'Agents de l’assistance uniquement',
};

/** The audiences a visitor may read: anyone the public ones, signed-in people theirs too, staff all. */
export function readableAudiences(actor: Actor | null): Audience[] {
  if (!actor) return ['public'];
  return isStaff(actor) ? ['public', 'users', 'agents'] : ['public', 'users'];
}

export const canRead = (actor: Actor | null, audience: Audience) => readableAudiences(actor).includes(audience);

/** The same rule as SQL, on an `audience` column. */
export function readableBy(actor: Actor | null, audience: SQLWrapper): SQL {
  return sql`${audience} in (${sql.join(
    readableAudiences(actor).map((a) => sql`${a}`),
    sql`, `,
  )})`;
}
