/**
 * Secondary indexes of the bulk-loaded tables, set aside during a large load and built again
 * afterwards from their own definitions (`pg_get_indexdef`, i.e. exactly what the migrations
 * created): one sorted build is far cheaper than a million scattered index insertions.
 * Indexes behind constraints stay, and so does the one the attachments step reads.
 */
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../src/db/client.js';

export type IndexDefinition = { name: string; definition: string };

const TABLES = ['requests', 'request_events', 'attachments'];
const KEPT = ['request_events_request_idx'];

export async function secondaryIndexes(db: Db): Promise<IndexDefinition[]> {
  const result = await db.execute(
    sql.raw(`select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema() and t.relname in (${TABLES.map((t) => `'${t}'`).join(',')})
        and c.relname not in (${KEPT.map((k) => `'${k}'`).join(',')})
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
      order by c.relname`),
  );
  return result.rows as IndexDefinition[];
}

export async function dropIndexes(db: Db, indexes: IndexDefinition[]): Promise<void> {
  for (const index of indexes) await db.execute(sql.raw(`drop index if exists "${index.name}"`));
}

/** Builds the indexes again (those missing only), on two connections when the server allows. */
export async function rebuildIndexes(database: Database, indexes: IndexDefinition[], log: (line: string) => void): Promise<void> {
  const queue = [...indexes].sort((a, b) => cost(b) - cost(a));
  const workers = database.kind === 'postgres' ? 2 : 1;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let index = queue.shift(); index; index = queue.shift()) {
        const t0 = Date.now();
        const definition = index.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS ');
        await database.db.transaction(async (tx) => {
          if (database.kind === 'postgres') await tx.execute(sql.raw(`set local maintenance_work_mem = '512MB'`));
          await tx.execute(sql.raw(definition));
        });
        log(`index ${index.name} reconstruit en ${Date.now() - t0} ms`);
      }
    }),
  );
}

/** Full-text indexes first: the longest builds start while the others share the second connection. */
const cost = (index: IndexDefinition) =>
  (index.definition.includes('USING gin') ? 10 : 1) * (index.definition.includes(' request_events ') ? 3 : 1);
