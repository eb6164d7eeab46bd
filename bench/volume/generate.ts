/**
 * The volume generator: adds realistic data at scale to a migrated and seeded database, with
 * server-side `INSERT … SELECT … FROM generate_series` statements only (a chunk of requests, their
 * histories and attachments per transaction), then sets the sequences it bypassed and analyzes.
 */
import { sql } from 'drizzle-orm';
import type { Database, Db, Tx } from '../../src/db/client.js';
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

/** Session settings for bulk loading, local to the transaction (a pooled connection keeps nothing). */
async function bulkSession(tx: Tx, kind: Database['kind']) {
  await tx.execute(sql.raw('set local synchronous_commit = off'));
  await tx.execute(sql.raw(`set local work_mem = '64MB'`));
  if (kind === 'postgres') await tx.execute(sql.raw(`set local maintenance_work_mem = '256MB'`));
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
  await db.transaction(async (tx) => {
    await bulkSession(tx, database.kind);
    summary.structures = await run(tx, structuresStatement(plan));
    summary.users = await run(tx, usersStatement(plan));
    await run(tx, userApplicationsStatement(plan));
  });
  log(`${summary.structures} structures, ${summary.users} utilisateurs`);
  const chunk = options.chunk ?? (database.kind === 'postgres' ? 50_000 : 20_000);
  for (let from = 1; from <= plan.requests; from += chunk) {
    const to = Math.min(plan.requests, from + chunk - 1);
    const t0 = Date.now();
    const counts = await db.transaction(async (tx) => {
      await bulkSession(tx, database.kind);
      const requests = await run(tx, requestsStatement(plan, from, to));
      const events = await run(tx, eventsStatement(plan, from, to));
      const attachments = await run(tx, attachmentsStatement(plan, from, to));
      return { requests, events, attachments };
    });
    summary.requests += counts.requests;
    summary.events += counts.events;
    summary.attachments += counts.attachments;
    const ms = Date.now() - t0;
    log(
      `demandes ${to}/${plan.requests} : ${counts.requests} demandes, ${counts.events} événements, ` +
        `${counts.attachments} pièces jointes en ${ms} ms (${rate(counts.requests + counts.events, ms)} lignes/s)`,
    );
  }
  summary.faqEntries = await db.transaction(async (tx) => run(tx, faqStatement(plan, FAQ_ENTRIES)));
  summary.documents = await generateDocuments(db, plan, DOCUMENTS, options.dataDir);
  log(`${summary.faqEntries} questions de la FAQ, ${summary.documents} documents`);
  await finish(db, plan);
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;
  log(`terminé en ${summary.seconds} s`);
  return summary;
}

/** Sequences past the ids and numbers written explicitly, then fresh statistics for the planner. */
async function finish(db: Db, plan: Plan) {
  for (const table of ['structures', 'users', 'requests']) {
    await db.execute(sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`));
  }
  if (plan.requests > 0) {
    await db.execute(sql.raw(`select setval('request_number_seq', (select max(number) from requests))`));
  }
  await db.execute(sql.raw('analyze'));
}
