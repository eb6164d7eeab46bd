/**
 * Test portals on a real database: the embedded PGlite (from a cached, already migrated and
 * seeded template) or a fresh database on the PostgreSQL server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { type Config, DEFAULT_DEMO_PASSWORD, loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { seed } from '../../src/db/seed/seed.js';

export type DatabaseKind = 'pglite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];
export const PASSWORD = DEFAULT_DEMO_PASSWORD;

export type TestPortal = {
  app: FastifyInstance;
  database: Database;
  config: Config;
  close(): Promise<void>;
};

/** The server used for PostgreSQL tests; a fresh database is created on it for each portal. */
export function serverUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * `extend` adds routes of the test's own before the portal is ready (mechanisms under test);
 * `logger` turns the log on, with these options (a destination stream).
 */
export async function createTestPortal(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  { extend, logger = false }: { extend?: (app: FastifyInstance) => void; logger?: false | object } = {},
): Promise<TestPortal> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ...env,
  });
  const { database, drop } = kind === 'pglite' ? await openPgliteFromTemplate(dataDir) : await openFreshPostgres();
  if (kind === 'postgres') {
    await migrate(database);
    await seed(database.db, { demoPassword: PASSWORD });
  }
  const app = await buildApp({
    config: { ...config, databaseUrl: kind === 'postgres' ? 'postgres' : undefined },
    database,
    logger,
  });
  extend?.(app);
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Hash of everything that shapes the template: migrations and seeds. */
function templateKey(): string {
  const hash = createHash('sha256');
  for (const dir of ['src/db/migrations', 'src/db/seed']) {
    for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  }
  hash.update(PASSWORD);
  return hash.digest('hex').slice(0, 16);
}

/** The migrated and seeded embedded database, as a data folder archive (built once, then cached). */
export async function pgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `guichet-template-${templateKey()}.tar`);
  if (!existsSync(file)) {
    const template = await openDatabase({ dataDir: tmpdir(), inMemory: true });
    await migrate(template);
    await seed(template.db, { demoPassword: PASSWORD });
    const blob = await template.dump!();
    await template.close();
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    renameSync(tmp, file);
  }
  return new Blob([readFileSync(file)]);
}

async function openPgliteFromTemplate(dataDir: string) {
  const database = await openDatabase({ dataDir, inMemory: true, loadDataDir: await pgliteTemplate() });
  return { database, drop: async () => {} };
}

async function openFreshPostgres() {
  const name = `guichet_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const database = await openDatabase({ dataDir: '', databaseUrl: url.toString(), poolSize: 5 });
  return {
    database,
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
