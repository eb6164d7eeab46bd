/**
 * The volume generator: adds realistic data at scale to a migrated and seeded database, with
 * server-side `INSERT … SELECT … FROM generate_series` statements only (a chunk of requests, their
 * histories and attachments per transaction), then sets the sequences it bypassed and analyzes.
 */
import { sql } from 'drizzle-orm';
import type { Database, Db, Tx } from '../../src/db/client.js';
import { rebuildFacts } from '../../src/domain/pilotage/refresh.js';
import { dropIndexes, rebuildIndexes, secondaryIndexes } from './indexes.js';
import { faqStatement, generateDocuments } from './knowledge.js';
import { makePlan, type Plan } from './plan.js';
import { structuresStatement, userApplicationsStatement, usersStatement } from './population.js';
import { attachmentsStatement, eventsStatement, requestsStatement } from './requests.js';

export type VolumeOptions = {
  requests: number;
  log?: (line: string) => void;
  /** Data folder of the portal: documents' files are written to its store (none without it). */
  dataDir?: string;
  /** Requests per statement. */
  chunk?: number;
  /** Sets the secondary indexes aside during the load and builds them after (by default from 50,000 requests). */
  rebuildIndexes?: boolean;
  /** Chunks written at the same time (PostgreSQL only: the embedded database has one connection). */
  workers?: number;
};

export type VolumeSummary = {
  requests: number;
  events: number;
  attachments: number;
  users: number;
  structures: number;
  faqEntries: number;
  documents: number;
  seconds: number;
};

export const FAQ_ENTRIES = 500;
export const DOCUMENTS = 300;

/**
 * Session settings for bulk loading, local to the transaction (a pooled connection keeps nothing).
 * A superuser skips the foreign-key triggers (the ids are generated consistent; finish() checks them).
 */
async function bulkSession(tx: Tx, kind: Database['kind'], superuser: boolean) {
  await tx.execute(sql.raw('set local synchronous_commit = off'));
  await tx.execute(sql.raw(`set local work_mem = '64MB'`));
  if (kind === 'postgres') await tx.execute(sql.raw(`set local maintenance_work_mem = '256MB'`));
  if (superuser) await tx.execute(sql.raw('set local session_replication_role = replica'));
}

async function isSuperuser(db: Db): Promise<boolean> {
  const [row] = (await db.execute(sql.raw('select rolsuper from pg_roles where rolname = current_user'))).rows as {
    rolsuper: boolean;
  }[];
  return row?.rolsuper === true;
}

async function run(tx: Tx, statement: string): Promise<number> {
  const result = (await tx.execute(sql.raw(statement))) as { rowCount?: number | null; affectedRows?: number };
  return Number(result.rowCount ?? result.affectedRows ?? 0);
}

const rate = (rows: number, ms: number) => Math.round((rows * 1000) / Math.max(ms, 1)).toLocaleString('fr-FR');

/** Adds `options.requests` requests and the people, structures and knowledge around them. */
export async function generateVolume(database: Database, options: VolumeOptions): Promise<VolumeSummary> {
  const log = options.log ?? (() => {});
  const { db } = database;
  const started = Date.now();
  const plan = await makePlan(db, options.requests);
  const summary: VolumeSummary = {
    requests: 0,
    events: 0,
    attachments: 0,
    users: 0,
    structures: 0,
    faqEntries: 0,
    documents: 0,
    seconds: 0,
  };
  const superuser = await isSuperuser(db);
  await db.transaction(async (tx) => {
    await bulkSession(tx, database.kind, superuser);
    summary.structures = await run(tx, structuresStatement(plan));
    summary.users = await run(tx, usersStatement(plan));
    await run(tx, userApplicationsStatement(plan));
  });
  log(`${summary.structures} structures, ${summary.users} utilisateurs`);
  const setAside = (options.rebuildIndexes ?? plan.requests >= 50_000) ? await secondaryIndexes(db) : [];
  await dropIndexes(db, setAside);
  try {
    await writeRequests(database, plan, { ...options, superuser, log }, summary);
  } finally {
    await rebuildIndexes(database, setAside, log);
  }
  const factsStarted = Date.now();
  const facts = await rebuildFacts(db, {}, 2000);
  log(`chiffres du pilotage : ${facts} demandes en ${Date.now() - factsStarted} ms`);
  summary.faqEntries = await db.transaction(async (tx) => run(tx, faqStatement(plan, FAQ_ENTRIES)));
  summary.documents = await generateDocuments(db, plan, DOCUMENTS, options.dataDir);
  log(`${summary.faqEntries} questions de la FAQ, ${summary.documents} documents`);
  await finish(db, plan);
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;
  log(`terminé en ${summary.seconds} s`);
  return summary;
}

/** The requests in chunks, each chunk's requests, histories and attachments in one transaction. */
async function writeRequests(
  database: Database,
  plan: Plan,
  options: VolumeOptions & { superuser: boolean; log: (line: string) => void },
  summary: VolumeSummary,
) {
  const { db } = database;
  const { superuser, log } = options;
  const chunk = options.chunk ?? (database.kind === 'postgres' ? 25_000 : 20_000);
  const starts = Array.from({ length: Math.ceil(plan.requests / chunk) }, (_, i) => 1 + i * chunk);
  const writeChunk = async (from: number) => {
    const to = Math.min(plan.requests, from + chunk - 1);
    const t0 = Date.now();
    const counts = await db.transaction(async (tx) => {
      await bulkSession(tx, database.kind, superuser);
      const timed = async (statement: string) => {
        const t = Date.now();
        const rows = await run(tx, statement);
        return [rows, Date.now() - t] as const;
      };
      const [requests, requestsMs] = await timed(requestsStatement(plan, from, to));
      const [events, eventsMs] = await timed(eventsStatement(plan, from, to));
      const [attachments] = await timed(attachmentsStatement(plan, from, to));
      return { requests, events, attachments, requestsMs, eventsMs };
    });
    summary.requests += counts.requests;
    summary.events += counts.events;
    summary.attachments += counts.attachments;
    const ms = Date.now() - t0;
    log(
      `${summary.requests}/${plan.requests} (n° ${from}–${to}) : ${counts.requests} demandes, ${counts.events} événements, ` +
        `${counts.attachments} pièces jointes en ${ms} ms (${rate(counts.requests + counts.events, ms)} lignes/s ; ` +
        `demandes ${counts.requestsMs} ms, historiques ${counts.eventsMs} ms)`,
    );
  };
  // Each worker takes the next chunk; on PostgreSQL two backends use both cores.
  const workers = database.kind === 'postgres' ? (options.workers ?? 2) : 1;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let from = starts.shift(); from !== undefined; from = starts.shift()) await writeChunk(from);
    }),
  );
}

/** Sequences past the ids and numbers written explicitly, then fresh statistics for the planner. */
async function finish(db: Db, plan: Plan) {
  for (const table of ['structures', 'users', 'requests']) {
    await db.execute(sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`));
  }
  if (plan.requests > 0) {
    await db.execute(sql.raw(`select setval('request_number_seq', (select max(number) from requests))`));
  }
  await checkReferences(db, plan);
  // As autovacuum leaves a table at rest: statistics, and the visibility map index-only scans need.
  await db.execute(sql.raw('vacuum analyze'));
}

/** Every generated reference points to a row (the bulk path may skip the foreign-key triggers). */
async function checkReferences(db: Db, plan: Plan) {
  const checks = [
    ['requests', 'requester_id', 'users'],
    ['requests', 'created_by_id', 'users'],
    ['requests', 'assignee_id', 'users'],
    ['requests', 'structure_id', 'structures'],
    ['requests', 'theme_id', 'themes'],
    ['users', 'structure_id', 'structures'],
    ['request_events', 'actor_id', 'users'],
    ['attachments', 'uploaded_by', 'users'],
  ];
  for (const [table, column, target] of checks) {
    const from = table === 'users' ? plan.userBase : table === 'requests' ? plan.requestIdBase : 0;
    const idColumn = table === 'request_events' || table === 'attachments' ? 'request_id' : 'id';
    const [row] = (
      await db.execute(
        sql.raw(`select count(*)::int as n from ${table} x where x.${idColumn} > ${from} and x.${column} is not null
          and not exists (select 1 from ${target} t where t.id = x.${column})`),
      )
    ).rows as { n: number }[];
    if (row?.n) throw new Error(`${row.n} lignes de ${table}.${column} ne pointent vers aucune ligne de ${target}`);
  }
}
