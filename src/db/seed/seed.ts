/**
 * First start: the guide's referentials, settings, news (faq.ts, news.ts) and FAQ entries 55–60;
 * outside production, demo accounts; in development, demo requests. Runs once per database (marked in settings).
 */

import { eq, sql } from 'drizzle-orm';
import { hashPassword } from '../../domain/accounts/passwords.js';
import type { MailContext } from '../../domain/notifications/request-notifications.js';
import { refreshAllFacts } from '../../domain/pilotage/refresh.js';
import type { Role } from '../../domain/vocabulary.js';
import { type Db, type Tx, transaction } from '../client.js';
import {
  applications,
  problemTypes,
  regions,
  settings,
  structureNatures,
  structureTypes,
  themes,
  userApplications,
  users,
} from '../schema.js';
import { seedDemoRequests } from './demo-requests.js';
import { seedDemoDocuments } from './documents.js';
import { seedFaq } from './faq.js';
import { seedNews } from './news.js';
import { APPLICATIONS, CERES_THEMES, PROBLEM_TYPES, REGIONS, STRUCTURE_NATURES, STRUCTURE_TYPES } from './referentials.js';

const SEEDED_KEY = 'seed.referentials';

export type SeedResult = { referentials: boolean; demoAccounts: boolean; demoRequests: boolean };

export type SeedOptions = {
  /** Outside production: the demo accounts' password (no accounts without it). */
  demoPassword?: string;
  /** Development: the guide's example requests and a dozen more, filed by the demo accounts. Tests leave it off. */
  demoRequests?: boolean;
  /** Links of the demo requests' e-mails (the development address by default). */
  mail?: MailContext;
};

export async function seed(db: Db, options: SeedOptions): Promise<SeedResult> {
  const result: SeedResult = { referentials: false, demoAccounts: false, demoRequests: false };
  const [done] = await db.select().from(settings).where(eq(settings.key, SEEDED_KEY));
  if (!done) {
    await transaction(db, seedReferentials);
    result.referentials = true;
  }
  if (options.demoPassword) {
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.login, 'demandeur'));
    if (!existing) {
      // Hashing is slow: done before the transaction, which then only writes.
      const hash = await hashPassword(options.demoPassword);
      await transaction(db, (tx) => seedDemoAccounts(tx, hash));
      result.demoAccounts = true;
    }
    await seedDemoDocuments(db);
    // After the documents: the guide's answer points to one of them.
    if (options.demoRequests) result.demoRequests = await seedDemoRequests(db, options.mail);
    // « Pilotage » shows the demo requests from the first page, not after the job's next round.
    if (result.demoRequests) await refreshAllFacts(db);
  }
  return result;
}

async function seedReferentials(tx: Tx) {
  const apps = await tx
    .insert(applications)
    .values(
      // « Jeudi 24 janvier : ouverture de CERES » (the guide).
      APPLICATIONS.map(([code, name], position) => ({ code, name, position, openedOn: code === 'CERES' ? '2019-01-24' : null })),
    )
    .returning();
  const ceres = apps.find((a) => a.code === 'CERES');
  if (!ceres) throw new Error('CERES missing');
  await tx.insert(themes).values(CERES_THEMES.map((name, position) => ({ applicationId: ceres.id, name, position })));
  let position = 0;
  for (const [name, children] of PROBLEM_TYPES) {
    const [parent] = await tx.insert(problemTypes).values({ name, position: position++ }).returning();
    if (children.length) {
      await tx
        .insert(problemTypes)
        .values(children.map((child) => ({ name: child, parentId: parent?.id, position: position++ })));
    }
  }
  await tx.insert(regions).values(REGIONS.map(([code, name]) => ({ code, name })));
  await tx.insert(structureNatures).values(STRUCTURE_NATURES.map((name, i) => ({ name, position: i })));
  await tx.insert(structureTypes).values(STRUCTURE_TYPES.map((name, i) => ({ name, position: i })));
  await seedFaq(tx, ceres.id);
  await seedNews(tx);
  await tx.insert(settings).values({ key: SEEDED_KEY, value: new Date().toISOString() });
}

type DemoAccount = {
  login: string;
  civility: 'M.' | 'Mme';
  firstName: string;
  lastName: string;
  role: Role;
  requesterKind?: 'centre' | 'direccte';
  structure?: { name: string; region: string; nature: string; type: string };
  apps: 'all' | string[];
};

/** Invented people. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    login: 'demandeur',
    civility: 'Mme',
    firstName: 'Hélène',
    lastName: 'Rivière',
    role: 'requester',
    requesterKind: 'centre',
    structure: { name: 'Centre de formation Les Tilleuls', region: 'Occitanie', nature: 'Organisme de formation', type: 'Privé' },
    apps: ['CERES'],
  },
  {
    login: 'direccte',
    civility: 'M.',
    firstName: 'Yannick',
    lastName: 'Le Goff',
    role: 'requester',
    requesterKind: 'direccte',
    structure: { name: 'DIRECCTE Bretagne', region: 'Bretagne', nature: 'Administration régionale (DIRECCTE)', type: 'Public' },
    apps: ['CERES', 'PORTAIL_ALTERNANCE'],
  },
  { login: 'agent', civility: 'Mme', firstName: 'Sophie', lastName: 'Lambert', role: 'agent', apps: 'all' },
  {
    login: 'expert',
    civility: 'M.',
    firstName: 'Marc',
    lastName: 'Delorme',
    role: 'expert',
    apps: ['CERES', 'ARIANE', 'PORTAIL_ALTERNANCE'],
  },
  { login: 'admin', civility: 'Mme', firstName: 'Nadia', lastName: 'Benali', role: 'admin', apps: 'all' },
  // DGEFP: the figures of CERES in « Pilotage », no request.
  { login: 'pilote', civility: 'M.', firstName: 'Julien', lastName: 'Marchand', role: 'pilot', apps: ['CERES'] },
];

async function seedDemoAccounts(tx: Tx, passwordHash: string) {
  const apps = await tx.select().from(applications);
  for (const account of DEMO_ACCOUNTS) {
    const structureId = account.structure ? await ensureStructure(tx, account.structure) : null;
    const [user] = await tx
      .insert(users)
      .values({
        login: account.login,
        email: `${account.login}@demo.assistance.localhost`,
        civility: account.civility,
        firstName: account.firstName,
        lastName: account.lastName,
        phone: '01 22 33 44 55',
        role: account.role,
        requesterKind: account.requesterKind ?? null,
        structureId,
        passwordHash,
      })
      .returning();
    const appIds = apps.filter((a) => account.apps === 'all' || account.apps.includes(a.code)).map((a) => a.id);
    if (user && appIds.length) {
      await tx.insert(userApplications).values(appIds.map((applicationId) => ({ userId: user.id, applicationId })));
    }
  }
}

async function ensureStructure(tx: Tx, s: NonNullable<DemoAccount['structure']>): Promise<number> {
  const [row] = await tx
    .execute(sql`
    insert into structures (name, region_id, nature_id, type_id)
    select ${s.name}, r.id, n.id, t.id from regions r, structure_natures n, structure_types t
    where r.name = ${s.region} and n.name = ${s.nature} and t.name = ${s.type}
    on conflict (name, region_id) do update set name = excluded.name
    returning id`)
    .then((r) => r.rows as { id: number }[]);
  if (!row) throw new Error(`structure ${s.name}: unknown region, nature or type`);
  return row.id;
}
