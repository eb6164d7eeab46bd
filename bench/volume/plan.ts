/**
 * What a run generates: the sizes, the referentials read from the seeded database, the demo accounts,
 * and where the new ids start (the generator adds to what is there; sequences are set at the end).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';

export type Plan = {
  requests: number;
  now: Date;
  apps: { id: number; code: string }[];
  /** Share of each application (same order as apps): CERES about half. */
  appWeights: number[];
  ceresId: number;
  themes: Map<number, number[]>;
  problemTypes: number[];
  regions: number[];
  natures: Map<string, number>;
  types: number[];
  users: number;
  agents: number;
  /** Agents 1..generalists cover every application; the others CERES only. */
  generalists: number;
  experts: number;
  admins: number;
  staff: number;
  requesters: number;
  structures: number;
  /** The first structures are regional administrations (DIRECCTE), two per region. */
  direccteStructures: number;
  userBase: number;
  structureBase: number;
  requestIdBase: number;
  numberBase: number;
  passwordHash: string | null;
  demo: {
    requester?: { id: number; structureId: number };
    regional?: { id: number; structureId: number };
    agent?: number;
    expert?: { id: number; applicationIds: number[] };
  };
};

const APP_WEIGHTS: Record<string, number> = {
  CERES: 50,
  PORTAIL_ALTERNANCE: 15,
  ARIANE: 10,
  DCCP_EXTRAPRO: 8,
  MAF_MCF_MSDC: 7,
  PSE: 5,
  REVITALISATION: 5,
};

async function rows<T>(db: Db, query: string): Promise<T[]> {
  return (await db.execute(sql.raw(query))).rows as T[];
}

async function one<T>(db: Db, query: string): Promise<T> {
  const [row] = await rows<T>(db, query);
  if (!row) throw new Error(`no row: ${query}`);
  return row;
}

/** Users and structures grow with the requests up to ~10,000 and ~2,000 (a small run stays small). */
export async function makePlan(db: Db, requests: number, now = new Date()): Promise<Plan> {
  const users = Math.min(10_000, Math.max(400, Math.round(requests / 10)));
  const [agents, experts, admins] = [60, 15, 3];
  const apps = await rows<{ id: number; code: string }>(db, 'select id, code from applications order by position, id');
  const ceres = apps.find((a) => a.code === 'CERES');
  if (!ceres) throw new Error('Les référentiels ne sont pas en place : lancez les migrations et le seed d’abord.');
  const themes = new Map<number, number[]>();
  for (const t of await rows<{ id: number; application_id: number }>(
    db,
    'select id, application_id from themes where active order by id',
  )) {
    themes.set(t.application_id, [...(themes.get(t.application_id) ?? []), t.id]);
  }
  const ids = async (table: string) => (await rows<{ id: number }>(db, `select id from ${table} order by id`)).map((r) => r.id);
  const natures = new Map(
    (await rows<{ id: number; name: string }>(db, 'select id, name from structure_natures')).map((r) => [r.name, r.id]),
  );
  const bases = await one<{ u: number; s: number; r: number; n: number }>(
    db,
    `select (select coalesce(max(id), 0) from users)::int as u, (select coalesce(max(id), 0) from structures)::int as s,
      (select coalesce(max(id), 0) from requests)::bigint as r,
      greatest((select coalesce(max(number), 0) from requests), (select last_value from request_number_seq))::bigint as n`,
  );
  const demo = await demoAccounts(db);
  return {
    requests,
    now,
    apps,
    appWeights: apps.map((a) => APP_WEIGHTS[a.code] ?? 5),
    ceresId: ceres.id,
    themes,
    problemTypes: await ids('problem_types'),
    regions: await ids('regions'),
    natures,
    types: await ids('structure_types'),
    users,
    agents,
    generalists: agents / 2,
    experts,
    admins,
    staff: agents + experts + admins,
    requesters: users - agents - experts - admins,
    structures: Math.max(60, Math.round(users / 5)),
    direccteStructures: 36,
    userBase: bases.u,
    structureBase: bases.s,
    requestIdBase: Number(bases.r),
    numberBase: Number(bases.n),
    passwordHash: demo.passwordHash,
    demo: demo.accounts,
  };
}

/** The demo accounts, when the seed created them; generated users share the demo requester's password hash. */
async function demoAccounts(db: Db) {
  const found = await rows<{
    id: number;
    login: string;
    structure_id: number | null;
    password_hash: string | null;
    apps: number[];
  }>(
    db,
    `select u.id, u.login, u.structure_id, u.password_hash,
      coalesce(array_agg(ua.application_id) filter (where ua.application_id is not null), '{}') as apps
    from users u left join user_applications ua on ua.user_id = u.id
    where u.login in ('demandeur', 'direccte', 'agent', 'expert') group by u.id`,
  );
  const by = (login: string) => found.find((u) => u.login === login);
  const withStructure = (u: (typeof found)[number] | undefined) =>
    u?.structure_id ? { id: u.id, structureId: u.structure_id } : undefined;
  const expert = by('expert');
  return {
    passwordHash: by('demandeur')?.password_hash ?? null,
    accounts: {
      requester: withStructure(by('demandeur')),
      regional: withStructure(by('direccte')),
      agent: by('agent')?.id,
      expert: expert ? { id: expert.id, applicationIds: expert.apps.map(Number) } : undefined,
    },
  };
}
