import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { lockDataDir } from './lock.js';
import * as schema from './schema.js';

type Schema = typeof schema;
// biome-ignore lint/suspicious/noExplicitAny: the two drivers' result types differ; both expose `.rows`.
export type Db = PgDatabase<PgQueryResultHKT & { type: any }, Schema>;
// biome-ignore lint/suspicious/noExplicitAny: see Db.
export type Tx = PgTransaction<PgQueryResultHKT & { type: any }, Schema, ExtractTablesWithRelations<Schema>>;
/** A read may run on the root handle or inside a transaction. */
export type Executor = Db | Tx;

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Runs a multi-statement SQL script in one transaction (migrations). */
  execScript(text: string): Promise<void>;
  /** Runs `work` while holding the one migration lock (several processes may start together). */
  withMigrationLock<T>(work: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /** The embedded database's files as an archive (reused by tests to skip initdb). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
};

const MIGRATION_LOCK = 727_001;

export type DatabaseOptions = {
  databaseUrl?: string;
  dataDir: string;
  /** Embedded database in memory (tests); no lock file. */
  inMemory?: boolean;
  /** Starts the embedded database from a saved data folder archive (tests). */
  loadDataDir?: Blob;
  poolSize?: number;
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openPglite(options);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // A connection lost (server restart) is an error event on its client; with no listener Node
  // throws it and the process stops. The pool listens only while a client is idle, so every client
  // gets its own listener: the query in flight fails (503), the pool drops the client and opens another.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async execScript(text) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(text);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async withMigrationLock(work) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        return await work();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const unlock = options.inMemory ? () => {} : lockDataDir(options.dataDir);
  try {
    const client = await PGlite.create({
      dataDir: options.inMemory ? undefined : join(options.dataDir, 'pgdata'),
      extensions: { unaccent, pg_trgm, btree_gist },
      loadDataDir: options.loadDataDir,
    });
    const db = drizzlePglite({ client, schema }) as unknown as Db;
    return {
      kind: 'pglite',
      db,
      async execScript(text) {
        await client.transaction(async (tx) => {
          await tx.exec(text);
        });
      },
      withMigrationLock: (work) => work(),
      dump: async () => (await client.dumpDataDir('none')) as Blob,
      async ping() {
        await client.query('select 1');
      },
      async close() {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** The one transaction helper: every write runs inside it and receives `tx`. */
export function transaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
