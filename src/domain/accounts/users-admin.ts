/**
 * Users administration: search, a user's details, role/applications/structure/status changes
 * and the activation link. Every change is one transaction with its audit row (before/after,
 * never a secret). Disabling ends the user's sessions at once; an administrator can neither
 * disable nor demote themself, nor the last active administrator.
 */
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Db, type Executor, type Tx, transaction } from '../../db/client.js';
import { applications, regions, sessions, structures, userApplications, users } from '../../db/schema.js';
import { isStaffRole } from '../access.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit/audit.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { compareFrench } from '../french.js';
import { isSerialId } from '../validation.js';
import type { Role } from '../vocabulary.js';
import { sendActivation } from './account-requests.js';
import { displayName } from './actors.js';

export const ROLES: Role[] = ['requester', 'agent', 'expert', 'admin', 'pilot'];
export const REQUESTER_KINDS = ['centre', 'direccte'] as const;
export const PAGE_SIZE = 25;

export type UserStatus = 'active' | 'disabled' | 'pending';

export type UserFilters = {
  q?: string;
  role?: Role;
  applicationId?: number;
  regionId?: number;
  structureId?: number;
  status?: UserStatus;
  page?: number;
};

/** Filters from a query string: anything unknown is dropped (names and values from allowlists). */
export function parseFilters(query: Record<string, unknown>): UserFilters {
  const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).trim() : '');
  const id = (k: string) => {
    const n = Number(str(k));
    return isSerialId(n) ? n : undefined;
  };
  const role = str('role');
  const status = str('statut');
  const page = Number(str('page'));
  return {
    q: str('q').slice(0, 100) || undefined,
    role: (ROLES as string[]).includes(role) ? (role as Role) : undefined,
    applicationId: id('application'),
    regionId: id('region'),
    structureId: id('structure'),
    status: status === 'actif' ? 'active' : status === 'desactive' ? 'disabled' : status === 'en-attente' ? 'pending' : undefined,
    page: Number.isInteger(page) && page > 1 && page < 100_000 ? page : 1,
  };
}

const statusOf = (u: { active: boolean; activatedAt: Date | null }): UserStatus =>
  u.active ? 'active' : u.activatedAt ? 'disabled' : 'pending';

/** A page of users matching the filters, by name; offset pagination with the total. */
export async function searchUsers(db: Executor, filters: UserFilters, pageSize = PAGE_SIZE) {
  const conditions: SQL[] = [];
  if (filters.q) {
    const pattern = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      sql`(unaccent(lower(${users.firstName} || ' ' || ${users.lastName})) like unaccent(${pattern})
        or unaccent(lower(${users.lastName} || ' ' || ${users.firstName})) like unaccent(${pattern})
        or lower(${users.login}) like ${pattern} or lower(${users.email}) like ${pattern})`,
    );
  }
  if (filters.role) conditions.push(eq(users.role, filters.role));
  if (filters.applicationId)
    conditions.push(
      sql`exists (select 1 from user_applications ua where ua.user_id = ${users.id} and ua.application_id = ${filters.applicationId})`,
    );
  if (filters.regionId) conditions.push(eq(structures.regionId, filters.regionId));
  if (filters.structureId) conditions.push(eq(users.structureId, filters.structureId));
  if (filters.status === 'active') conditions.push(eq(users.active, true));
  if (filters.status === 'disabled') conditions.push(sql`${users.active} = false and ${users.activatedAt} is not null`);
  if (filters.status === 'pending') conditions.push(sql`${users.active} = false and ${users.activatedAt} is null`);
  const where = conditions.length ? and(...conditions) : undefined;
  const [total] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .leftJoin(structures, eq(structures.id, users.structureId))
    .where(where);
  const count = Number(total?.n ?? 0);
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const page = Math.min(filters.page ?? 1, pages);
  const rows = await db
    .select({
      id: users.id,
      login: users.login,
      email: users.email,
      firstName: users.firstName,
      lastName: users.lastName,
      role: users.role,
      active: users.active,
      activatedAt: users.activatedAt,
      lastLoginAt: users.lastLoginAt,
      structureName: structures.name,
      regionName: regions.name,
    })
    .from(users)
    .leftJoin(structures, eq(structures.id, users.structureId))
    .leftJoin(regions, eq(regions.id, structures.regionId))
    .where(where)
    .orderBy(asc(sql`lower(${users.lastName})`), asc(sql`lower(${users.firstName})`), asc(users.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    rows: rows.map((r) => ({ ...r, displayName: displayName(r), status: statusOf(r) })),
    total: count,
    page,
    pages,
  };
}

export async function getUser(db: Executor, id: number) {
  if (!isSerialId(id)) return null;
  const [row] = await db
    .select({ u: users, structureName: structures.name, regionName: regions.name })
    .from(users)
    .leftJoin(structures, eq(structures.id, users.structureId))
    .leftJoin(regions, eq(regions.id, structures.regionId))
    .where(eq(users.id, id));
  if (!row) return null;
  const apps = await db
    .select({ id: userApplications.applicationId })
    .from(userApplications)
    .where(eq(userApplications.userId, id));
  const { u } = row;
  return {
    id: u.id,
    login: u.login,
    email: u.email,
    civility: u.civility,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: displayName(u),
    phone: u.phone,
    role: u.role,
    requesterKind: u.requesterKind ?? null,
    structureId: u.structureId,
    structureName: row.structureName,
    regionName: row.regionName,
    applicationIds: apps.map((a) => a.id).sort((a, b) => a - b),
    active: u.active,
    knowledgeEditor: u.knowledgeEditor,
    deskLead: u.deskLead,
    status: statusOf(u),
    activated: u.activatedAt !== null,
    /** Created by an administrator, its holder has not yet chosen a password. */
    invited: u.passwordHash === null && u.activatedAt === null,
    createdAt: u.createdAt,
    lastLoginAt: u.lastLoginAt,
  };
}

export type UserDetail = NonNullable<Awaited<ReturnType<typeof getUser>>>;

/** Structures grouped by region, for the structure select. */
export async function structuresByRegion(db: Executor) {
  const rows = await db
    .select({ id: structures.id, name: structures.name, regionId: regions.id, region: regions.name })
    .from(structures)
    .innerJoin(regions, eq(regions.id, structures.regionId));
  rows.sort((a, b) => compareFrench(a.region, b.region) || compareFrench(a.name, b.name));
  const groups: { regionId: number; region: string; structures: { id: number; name: string }[] }[] = [];
  for (const r of rows) {
    let group = groups.find((g) => g.regionId === r.regionId);
    if (!group) {
      group = { regionId: r.regionId, region: r.region, structures: [] };
      groups.push(group);
    }
    group.structures.push({ id: r.id, name: r.name });
  }
  return groups;
}

export type UserChange = {
  role: Role;
  requesterKind: 'centre' | 'direccte' | null;
  applicationIds: number[];
  structureId: number | null;
  active: boolean;
  /** Appointed editor of the knowledge base (staff only). */
  knowledgeEditor: boolean;
  /** A pilote who leads the desk (pilotes only). */
  deskLead: boolean;
};

const ids = (value: unknown): number[] =>
  [...new Set((Array.isArray(value) ? value : value === undefined ? [] : [value]).map(Number).filter(isSerialId))].sort(
    (a, b) => a - b,
  );

/** Reads and checks the administration form; every field is required to be one of the allowed values. */
async function checkChange(db: Executor, raw: Record<string, unknown>): Promise<UserChange> {
  const errors: Record<string, string> = {};
  const role = String(raw.role ?? '');
  if (!(ROLES as string[]).includes(role)) errors.role = 'Choisissez un rôle.';
  const kind = String(raw.requesterKind ?? '');
  let requesterKind: UserChange['requesterKind'] = null;
  if (role === 'requester') {
    if ((REQUESTER_KINDS as readonly string[]).includes(kind)) requesterKind = kind as 'centre' | 'direccte';
    else errors.requesterKind = 'Pour un demandeur, choisissez : centre ou DIRECCTE.';
  }
  const applicationIds = ids(raw.applicationIds);
  if (applicationIds.length) {
    const known = await db.select({ id: applications.id }).from(applications).where(inArray(applications.id, applicationIds));
    if (known.length !== applicationIds.length) errors.applicationIds = 'Une application choisie n’existe pas.';
  }
  let structureId: number | null = null;
  const structureRaw = String(raw.structureId ?? '');
  if (structureRaw) {
    const n = Number(structureRaw);
    const [known] = isSerialId(n) ? await db.select({ id: structures.id }).from(structures).where(eq(structures.id, n)) : [];
    if (known) structureId = known.id;
    else errors.structureId = 'Choisissez une structure de la liste.';
  }
  if (role === 'requester' && !structureRaw && !errors.structureId)
    errors.structureId = 'Un demandeur doit être rattaché à une structure.';
  const status = String(raw.status ?? '');
  if (status !== 'active' && status !== 'disabled') errors.status = 'Choisissez l’état du compte : actif ou désactivé.';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const knowledgeEditor = isStaffRole(role as Role) && String(raw.knowledgeEditor ?? '') === '1';
  const deskLead = role === 'pilot' && String(raw.deskLead ?? '') === '1';
  return {
    role: role as Role,
    requesterKind,
    applicationIds,
    structureId,
    active: status === 'active',
    knowledgeEditor,
    deskLead,
  };
}

/** Applies the administration form to a user; returns what changed. */
export async function updateUser(db: Db, admin: Actor, userId: number, raw: Record<string, unknown>, ip?: string) {
  const next = await checkChange(db, raw);
  return transaction(db, async (tx) => {
    const [row] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!row) throw new NotFoundError();
    await keepAnAdministrator(tx, row, next, userId === admin.id);
    const apps = await tx
      .select({ id: userApplications.applicationId })
      .from(userApplications)
      .where(eq(userApplications.userId, userId));
    const before: UserChange = {
      role: row.role,
      requesterKind: row.requesterKind ?? null,
      applicationIds: apps.map((a) => a.id).sort((a, b) => a - b),
      structureId: row.structureId,
      active: row.active,
      knowledgeEditor: row.knowledgeEditor,
      deskLead: row.deskLead,
    };
    const changed = (Object.keys(next) as (keyof UserChange)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]),
    );
    if (!changed.length) return { changed, endedSessions: 0 };
    await tx
      .update(users)
      .set({
        role: next.role,
        requesterKind: next.requesterKind,
        structureId: next.structureId,
        active: next.active,
        knowledgeEditor: next.knowledgeEditor,
        deskLead: next.deskLead,
      })
      .where(eq(users.id, userId));
    if (changed.includes('applicationIds')) {
      await tx.delete(userApplications).where(eq(userApplications.userId, userId));
      if (next.applicationIds.length)
        await tx.insert(userApplications).values(next.applicationIds.map((applicationId) => ({ userId, applicationId })));
    }
    let endedSessions = 0;
    if (before.active && !next.active) {
      // Disabled: every session of the user ends now (identify() also refuses a disabled account).
      const ended = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ sid: sessions.sid });
      endedSessions = ended.length;
    }
    const pick = (v: UserChange) => Object.fromEntries(changed.map((k) => [k, v[k]]));
    await audit(tx, {
      action: before.active && !next.active ? 'user.disable' : !before.active && next.active ? 'user.enable' : 'user.update',
      actorId: admin.id,
      target: `user:${userId}`,
      ip,
      details: { login: row.login, before: pick(before), after: pick(next), endedSessions },
    });
    return { changed, endedSessions };
  });
}

/**
 * The portal always keeps one active administrator: the last one can be neither demoted nor
 * disabled, and nobody removes their own administration rights. The active administrators are
 * locked, so two administrators demoting each other at once cannot both succeed.
 */
async function keepAnAdministrator(tx: Tx, row: typeof users.$inferSelect, next: UserChange, self: boolean) {
  const losesAdmin = row.role === 'admin' && row.active && (next.role !== 'admin' || !next.active);
  if (!losesAdmin) return;
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)))
    .for('update');
  const last = admins.every((a) => a.id === row.id);
  if (!last && !self) return;
  const why = last ? ' C’est le dernier administrateur actif du portail : nommez d’abord un autre administrateur.' : '';
  const errors: Record<string, string> = {};
  if (next.role !== 'admin')
    errors.role = `${self ? 'Vous ne pouvez pas retirer votre propre rôle d’administrateur.' : 'Ce compte doit rester administrateur.'}${why}`;
  if (!next.active)
    errors.status = `${self ? 'Vous ne pouvez pas désactiver votre propre compte.' : 'Ce compte doit rester actif.'}${why}`;
  throw new ValidationError(errors);
}

/** A new activation link for an account not yet activated; the previous links stop working. */
export async function resendActivation(db: Db, admin: Actor, userId: number, publicUrl: string, ip?: string) {
  return transaction(db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user) throw new NotFoundError();
    if (user.activatedAt) throw new ConflictError('Ce compte est déjà activé : il n’a pas besoin de lien d’activation.');
    await sendActivation(tx, userId, user.email, displayName(user), publicUrl);
    await audit(tx, {
      action: 'user.activation_resent',
      actorId: admin.id,
      target: `user:${userId}`,
      ip,
      details: { login: user.login, to: user.email },
    });
  });
}
