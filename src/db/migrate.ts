import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { codeDir } from '../paths.js';
import type { Database } from './client.js';

const migrationsDir = join(codeDir, 'db', 'migrations');

/** Applies, in name order, the SQL files not yet recorded; each in its own transaction. */
export function migrate(database: Database): Promise<string[]> {
  return database.withMigrationLock(() => applyPending(database));
}

async function applyPending(database: Database): Promise<string[]> {
  const { db } = database;
  await db.execute(sql`create table if not exists schema_migrations (
    name text primary key, applied_at timestamptz not null default now())`);
  const done = new Set(
    ((await db.execute(sql`select name from schema_migrations`)).rows as { name: string }[]).map((r) => r.name),
  );
  const applied: string[] = [];
  for (const file of readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    if (done.has(file)) continue;
    const text = readFileSync(join(migrationsDir, file), 'utf8');
    await database.execScript(`${text}\n;insert into schema_migrations (name) values ('${file.replace(/'/g, "''")}');`);
    applied.push(file);
  }
  return applied;
}
