/**
 * Search of the audit trail (« Journal d’audit »): by person, action, object and period, newest
 * first, keyset-paginated on (at, id), the order of every index of the table, so a filter and a
 * period are one index range. The same query feeds the CSV export, in batches. Nothing counts the
 * whole table: counts stop at COUNT_CAP.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditLog, users } from '../../db/schema.js';
import { isBigId } from '../validation.js';

export type AuditQuery = {
  /** Words of an identifiant, a name or an e-mail address of the person who acted. */
  person?: string;
  action?: string;
  /** A type of object, as targets are stored before their colon (« user », « request »…). */
  targetKind?: string;
  /** One object of that type (« 5 », « request_resolved »). */
  targetId?: string;
  /** From this day, Paris time (YYYY-MM-DD)… */
  from?: string;
  /** …to this day included. */
  to?: string;
};

export type AuditRow = {
  id: number;
  at: Date;
  action: string;
  target: string | null;
  ip: string | null;
  details: unknown;
  login: string | null;
  firstName: string | null;
  lastName: string | null;
};

/** Counts stop here: the page shows « plus de 10 000 » beyond. */
export const COUNT_CAP = 10_000;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FRENCH_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const CODE = /^[a-z_]+(?:\.[a-z_]+)*$/;
const KIND = /^[a-z_]+$/;

/** A day typed as « 03/02/2026 » or sent by a date field as « 2026-02-03 », as YYYY-MM-DD; null if it is none. */
export function parseDay(value: string): string | null {
  const iso = ISO_DAY.exec(value);
  const french = FRENCH_DAY.exec(value);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : french ? [french[3], french[2], french[1]] : [];
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  if (!year) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1990 || year > 2200 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type Raw = Record<string, string | string[] | undefined>;
// Control characters (a NUL byte would make PostgreSQL refuse the query) are only separators here.
const one = (raw: Raw, key: string) =>
  ((Array.isArray(raw[key]) ? raw[key][0] : raw[key]) ?? '')
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, 200);

/**
 * The filter form's parameters, with a French message per refused field; a refused field filters
 * nothing. An action or a type that is no code is ignored (no form sends one).
 */
export function parseAuditQuery(raw: Raw): { query: AuditQuery; errors: Record<string, string> } {
  const query: AuditQuery = {};
  const errors: Record<string, string> = {};
  const person = one(raw, 'personne');
  if (person) query.person = person;
  const action = one(raw, 'action');
  if (CODE.test(action)) query.action = action;
  const kind = one(raw, 'objet');
  if (KIND.test(kind)) query.targetKind = kind;
  const id = one(raw, 'identifiant');
  if (id && query.targetKind) query.targetId = id;
  else if (id) errors.objet = 'Choisissez le type d’objet de cet identifiant.';
  for (const [field, key] of [
    ['du', 'from'],
    ['au', 'to'],
  ] as const) {
    const value = one(raw, field);
    if (!value) continue;
    const day = parseDay(value);
    if (day) query[key] = day;
    else errors[field] = 'Saisissez une date valide, au format jj/mm/aaaa.';
  }
  if (query.from && query.to && query.to < query.from) {
    errors.au = 'La date de fin doit être le même jour que la date de début ou après.';
    delete query.to;
  }
  return { query, errors };
}

/** The query as GET parameters, in a stable order (the pager's and the export's links). */
export function auditQueryParams(query: AuditQuery, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (query.person) params.set('personne', query.person);
  if (query.action) params.set('action', query.action);
  if (query.targetKind) params.set('objet', query.targetKind);
  if (query.targetId) params.set('identifiant', query.targetId);
  if (query.from) params.set('du', query.from);
  if (query.to) params.set('au', query.to);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params;
}

// Timestamps keep PostgreSQL's microseconds (a JavaScript Date would cut them, and skip rows).
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,16})$/;
const cursorValue = sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const encodeCursor = (at: string, id: number) => Buffer.from(`${at}|${id}`).toString('base64url');

/** « Older than the cursor's entry »; none for a missing or malformed cursor (the list starts again). */
function beforeCursor(cursor: string | undefined): SQL | undefined {
  const m = cursor ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  const id = Number(m?.[2]);
  if (!m || !isBigId(id)) return undefined;
  return sql`(${auditLog.at}, ${auditLog.id}) < (${m[1]}::timestamptz, ${id})`;
}

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An account's words, folded as the trigram index of the migration folds them (the same expression). */
const personText = sql`guichet_fold(u.first_name || ' ' || u.last_name || ' ' || u.login || ' ' || u.email)`;

/**
 * The people whose identifiant, e-mail or name holds every word typed, accents and case aside.
 * `in (select …)` rather than `= any(array(…))`: the planner then estimates how many people match,
 * and one person's entries are read from their own index instead of the whole trail's.
 */
function personCondition(person: string): SQL {
  const words = person.split(/\s+/).filter(Boolean).slice(0, 8);
  const each = words.map((w) => sql`${personText} like guichet_fold(${`%${likeEscaped(w)}%`})`);
  return sql`${auditLog.actorId} in (select u.id from users u where ${sql.join(each, sql` and `)})`;
}

/** Every condition of the query but the cursor. */
function conditions(query: AuditQuery): SQL | undefined {
  const where: (SQL | undefined)[] = [];
  if (query.person) where.push(personCondition(query.person));
  if (query.action) where.push(eq(auditLog.action, query.action));
  if (query.targetKind && query.targetId) where.push(eq(auditLog.target, `${query.targetKind}:${query.targetId}`));
  // A prefix written with LIKE, so that the text_pattern_ops index serves it.
  else if (query.targetKind) where.push(sql`${auditLog.target} like ${`${likeEscaped(query.targetKind)}:%`}`);
  // Days are Paris days: « du 03/02 » starts at midnight in Paris, « au 05/02 » includes the whole day.
  if (query.from) where.push(sql`${auditLog.at} >= (${query.from}::date)::timestamp at time zone 'Europe/Paris'`);
  if (query.to) where.push(sql`${auditLog.at} < (${query.to}::date + 1)::timestamp at time zone 'Europe/Paris'`);
  return and(...where);
}

/** One page of the trail, newest first, after `cursor` (none: the newest), and the next page's cursor. */
export async function searchAudit(
  db: Executor,
  query: AuditQuery,
  options: { cursor?: string; limit: number },
): Promise<{ rows: AuditRow[]; next?: string }> {
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      target: auditLog.target,
      ip: auditLog.ip,
      details: auditLog.details,
      login: users.login,
      firstName: users.firstName,
      lastName: users.lastName,
      cursor: cursorValue,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(conditions(query), beforeCursor(options.cursor)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page.map(({ cursor: _, ...row }) => row),
    next: rows.length > options.limit && last ? encodeCursor(last.cursor, last.id) : undefined,
  };
}

/** How many entries match, up to COUNT_CAP + 1 (shown « plus de 10 000 »). */
export async function countAudit(db: Executor, query: AuditQuery): Promise<number> {
  const capped = db
    .select({ one: sql`1` })
    .from(auditLog)
    .where(conditions(query))
    // In the pages' order, so that the count walks the same index as the page and stops at the cap.
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(COUNT_CAP + 1)
    .as('capped');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  return Number(row?.n ?? 0);
}

/** Every matching entry, newest first, read in keyset batches (one short query each), `max` at most. */
export async function* streamAudit(
  db: Executor,
  query: AuditQuery,
  options: { max: number; batch?: number },
): AsyncGenerator<AuditRow> {
  const { max, batch = 500 } = options;
  let cursor: string | undefined;
  let sent = 0;
  while (sent < max) {
    const page = await searchAudit(db, query, { cursor, limit: Math.min(batch, max - sent) });
    for (const row of page.rows) yield row;
    sent += page.rows.length;
    if (!page.next) return;
    cursor = page.next;
  }
}
