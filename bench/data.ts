/** What a database holds before the load: row counts, server version, a request to show. */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';

export type DataProbe = {
  engine: string;
  counts: { requests: number; events: number; users: number };
  /** One of the requester's requests with a few events (about five when there is one). */
  requestShown?: { number: number; events: number };
};

/** Opened while the portal is stopped: the embedded database admits one process at a time. */
export async function probeData(options: { databaseUrl?: string; dataDir: string }, requester: string): Promise<DataProbe> {
  const database = await openDatabase({ ...options, poolSize: 1 });
  try {
    const { db } = database;
    const rows = async <T>(query: ReturnType<typeof sql>) => (await db.execute(query)).rows as T[];
    const [version] = await rows<{ server_version: string }>(sql`show server_version`);
    const [counts] = await rows<{ requests: string; events: string; users: string }>(sql`
      select (select count(*) from requests) as requests, (select count(*) from request_events) as events,
        (select count(*) from users) as users`);
    // The requester's latest requests only: a full scan would be the slow part on a large base.
    const [shown] = await rows<{ number: string; events: string }>(sql`
      with mine as (
        select id, number from requests
        where requester_id = (select id from users where login = ${requester})
        order by id desc limit 200)
      select number, (select count(*) from request_events e where e.request_id = mine.id) as events
      from mine order by abs((select count(*) from request_events e where e.request_id = mine.id) - 5), id desc limit 1`);
    const pgVersion = version?.server_version.split(' ')[0] ?? '?';
    return {
      engine: database.kind === 'postgres' ? `PostgreSQL ${pgVersion}` : `PGlite ${pgliteVersion()} (PostgreSQL ${pgVersion})`,
      counts: { requests: Number(counts?.requests), events: Number(counts?.events), users: Number(counts?.users) },
      requestShown: shown ? { number: Number(shown.number), events: Number(shown.events) } : undefined,
    };
  } finally {
    await database.close();
  }
}

function pgliteVersion(): string {
  const manifest = readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}
