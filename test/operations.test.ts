/**
 * Operating the portal: health, readiness and metrics endpoints; configuration errors in plain
 * French; the embedded database's folder lock; idempotent migrations; request numbers; and the
 * administrator's settings page.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase, transaction } from '../src/db/client.js';
import { DataDirLockedError, lockDataDir } from '../src/db/lock.js';
import { migrate } from '../src/db/migrate.js';
import { fileRequest } from '../src/domain/requests/commands/file-request.js';
import { newFormToken } from '../src/web/shared/form-token.js';
import { actorOf, applicationId, count, fieldError, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, pgliteTemplate, serverUrl, type TestPortal } from './support/portal.js';

const SECRET = 'x'.repeat(40);

function configError(env: Record<string, string>): string {
  try {
    loadConfig({ DATA_DIR: join(tmpdir(), 'guichet-config-test'), SESSION_SECRET: SECRET, ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
}

const METRICS_TOKEN = 'jeton-de-lecture-des-mesures-0123456789';

describe('configuration', () => {
  test('each wrong value gets a clear French message naming the variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'abc' }, /PORT: doit être un numéro de port, entre 0 et 65535/],
      [{ PORT: '70000' }, /PORT: doit être un numéro de port/],
      [
        { DATABASE_URL: 'mysql://guichet:motdepasse@db/guichet' },
        /DATABASE_URL: doit commencer par postgres:\/\/ ou postgresql:\/\//,
      ],
      [{ SESSION_SECRET: 'trop-court' }, /SESSION_SECRET: doit compter au moins 32 caractères/],
      [{ PUBLIC_URL: 'javascript:alert(1)' }, /PUBLIC_URL: doit être une adresse http\(s\) complète/],
      [{ SMTP_URL: 'http://relais' }, /SMTP_URL: doit commencer par smtp:\/\/ ou smtps:\/\//],
      [{ DEMO_PASSWORD: 'court' }, /DEMO_PASSWORD: doit compter au moins 12 caractères/],
      [{ NODE_ENV: 'prod' }, /NODE_ENV: .*valeur parmi/],
    ];
    for (const [env, message] of cases) {
      const text = configError(env);
      assert.match(text, /^Configuration invalide :/);
      assert.match(text, message, text);
    }
  });

  test('production requires SESSION_SECRET and PUBLIC_URL, listed with the other errors', () => {
    const text = configError({ NODE_ENV: 'production', SESSION_SECRET: '', PORT: 'abc' });
    assert.match(text, /PORT: doit être un numéro de port/);
    assert.match(text, /SESSION_SECRET: obligatoire en production/);
    assert.match(text, /PUBLIC_URL: obligatoire en production/);
  });

  test('messages never repeat the secret values', () => {
    assert.doesNotMatch(configError({ DATABASE_URL: 'mysql://guichet:motdepasse@db/guichet' }), /motdepasse/);
    assert.doesNotMatch(configError({ SESSION_SECRET: 'secret-trop-court' }), /secret-trop-court/);
  });

  test('a valid environment loads, with defaults', () => {
    const config = loadConfig({
      DATA_DIR: join(tmpdir(), 'guichet-config-test'),
      NODE_ENV: 'production',
      SESSION_SECRET: SECRET,
      PUBLIC_URL: 'https://assistance.exemple.gouv.fr/',
      PORT: '8080',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.production, true);
    assert.equal(config.publicUrl, 'https://assistance.exemple.gouv.fr');
    assert.equal(config.demoPassword, undefined);
    assert.equal(config.upload.maxFiles, 5);
  });
});

describe('the embedded database’s folder lock', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'guichet-lock-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a second opener of the same folder is refused with a clear message, and may open once the first closes', async () => {
    const first = await openDatabase({ dataDir, loadDataDir: await pgliteTemplate() });
    try {
      await assert.rejects(
        () => openDatabase({ dataDir }),
        (error: unknown) =>
          error instanceof DataDirLockedError &&
          error.message.includes('est déjà utilisé par le processus') &&
          error.message.includes('DATABASE_URL'),
      );
      // Migrations on an up-to-date database apply nothing.
      assert.deepEqual(await migrate(first), []);
      assert.ok(await count(first.db, sql`select count(*) as n from users`));
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir });
    try {
      assert.ok(await count(again.db, sql`select count(*) as n from users`), 'the data survived');
    } finally {
      await again.close();
    }
  });

  test('another process is refused; a lock left by a dead process is taken over', () => {
    const unlock = lockDataDir(dataDir);
    try {
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `import { lockDataDir } from ${JSON.stringify(new URL('../src/db/lock.ts', import.meta.url).href)};
           try { lockDataDir(${JSON.stringify(dataDir)}); process.exit(0); } catch (e) { console.error(e.message); process.exit(3); }`,
        ],
        { encoding: 'utf8', cwd: join(import.meta.dirname, '..') },
      );
      assert.equal(child.status, 3, child.stderr);
      assert.match(child.stderr, new RegExp(`déjà utilisé par le processus ${process.pid}`));
    } finally {
      unlock();
    }
    // A crashed process left its lock behind.
    writeFileSync(join(dataDir, 'guichet.lock'), '999999999');
    lockDataDir(dataDir)();
  });
});

describe('migrations on a fresh PostgreSQL database', () => {
  test('the first run applies every file, a second run (even concurrent) applies nothing', async () => {
    const name = `guichet_migrate_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl());
    url.pathname = `/${name}`;
    const database = await openDatabase({ dataDir: '', databaseUrl: url.toString(), poolSize: 4 });
    try {
      const [a, b] = await Promise.all([migrate(database), migrate(database)]);
      const files = readdirSync('src/db/migrations')
        .filter((f) => f.endsWith('.sql'))
        .sort();
      assert.deepEqual([...a!, ...b!], files);
      assert.deepEqual(await migrate(database), []);
      assert.equal(await count(database.db, sql`select count(*) as n from schema_migrations`), files.length);
    } finally {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

for (const kind of DATABASE_KINDS) {
  describe(`operations (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind, { METRICS_TOKEN: METRICS_TOKEN });
    });
    after(() => portal?.close());

    test('/healthz and /readyz answer 200', async () => {
      const health = await portal.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(health.statusCode, 200);
      assert.deepEqual(health.json(), { status: 'ok' });
      const ready = await portal.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ok', database: kind });
    });

    test('/metrics answers only the holder of METRICS_TOKEN, and nobody when it is unset', async () => {
      for (const authorization of [undefined, 'Bearer faux', `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}x`]) {
        const refused = await portal.app.inject({
          method: 'GET',
          url: '/metrics',
          headers: authorization ? { authorization } : {},
        });
        assert.equal(refused.statusCode, 401, String(authorization));
        assert.doesNotMatch(refused.body, /http_request_duration_seconds/);
      }
      const unset = await createTestPortal(kind);
      try {
        const none = await unset.app.inject({
          method: 'GET',
          url: '/metrics',
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        });
        assert.equal(none.statusCode, 404);
      } finally {
        await unset.close();
      }
    });

    test('/metrics is Prometheus text with the HTTP durations', async () => {
      await portal.app.inject({ method: 'GET', url: '/connexion' });
      const metrics = await portal.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      assert.equal(metrics.statusCode, 200);
      assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      assert.match(metrics.body, /^# HELP http_request_duration_seconds /m);
      assert.match(metrics.body, /^# TYPE http_request_duration_seconds histogram/m);
      assert.match(metrics.body, /http_request_duration_seconds_count\{method="GET",route="\/connexion",status="200"\} \d+/);
      assert.match(metrics.body, /^process_cpu_user_seconds_total /m);
    });

    test('request numbers follow each other and a rolled-back number is never reused', async () => {
      const db = portal.database.db;
      const first = await fileAs(portal, 'demandeur');
      const actor = await actorOf(db, 'demandeur');
      const input = {
        subject: 'Annulée',
        blocking: false,
        applicationId: await applicationId(db, 'CERES'),
        themeId: null,
        problemTypeId: null,
        businessReference: null,
        description: 'Cette demande est annulée par un retour arrière.',
      };
      let rolledBack = 0;
      await assert.rejects(
        transaction(db, async (tx) => {
          const created = await fileRequest(tx, actor, input, { publicUrl: 'http://localhost', submissionToken: newFormToken() });
          rolledBack = created.number;
          throw new Error('rollback');
        }),
        /rollback/,
      );
      const next = await fileAs(portal, 'demandeur');
      assert.equal(rolledBack, first + 1);
      assert.equal(next, first + 2);
      const numbers = (await rows<{ number: string }>(db, sql`select number from requests order by id`)).map((r) =>
        Number(r.number),
      );
      assert.ok(!numbers.includes(rolledBack));
      assert.deepEqual(
        numbers,
        [...numbers].sort((x, y) => x - y),
      );
    });

    test('the administrator edits the header phone: a wrong number is refused next to the field, a right one is shown', async () => {
      const admin = await new Visitor(portal.app).login('admin');
      const page = await admin.get('/admin/parametres');
      assert.equal(page.statusCode, 200);
      const value = (name: string) =>
        (
          new RegExp(`<(?:input|textarea)[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(page.body)?.[1] ??
          new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(page.body)?.[1] ??
          ''
        )
          .replace(/&amp;/g, '&')
          .replace(/&#39;/g, "'")
          .replace(/&quot;/g, '"');
      const fields = {
        serviceName: value('serviceName'),
        ministryName: value('ministryName'),
        supportHours: value('supportHours'),
        welcomeText: value('welcomeText'),
        accessibilityStatus: 'partiellement conforme',
        activationDays: '7',
      };
      assert.ok(fields.serviceName && fields.welcomeText);
      const csrf = await admin.token('/admin/parametres');

      const refused = await admin.post('/admin/parametres', { _csrf: csrf, ...fields, supportPhone: '12345' });
      assert.equal(refused.statusCode, 422);
      assert.match(fieldError(refused.body, 'supportPhone'), /Format attendu : 01 22 33 44 55/);
      assert.match(refused.body, /value="12345"/);
      assert.doesNotMatch((await admin.get('/')).body, /12345/);

      const saved = await admin.post('/admin/parametres', { _csrf: csrf, ...fields, supportPhone: '01 40 56 60 00' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/admin/parametres?enregistre=1');
      const home = await new Visitor(portal.app).login('demandeur');
      const header = (await home.get('/')).body;
      assert.match(header, /01 40 56 60 00/);
      assert.match(header, /href="tel:\+33140566000"/);
      assert.match((await new Visitor(portal.app).get('/connexion')).body, /01 40 56 60 00/);

      // « Double authentification obligatoire pour les administrateurs »: ticked, then unticked (the hidden default).
      await admin.post('/admin/parametres', {
        _csrf: csrf,
        ...fields,
        supportPhone: '01 40 56 60 00',
        adminTotpRequired: 'true',
      });
      assert.match((await admin.get('/admin/parametres')).body, /id="adminTotpRequired"[^>]*checked/);
      await admin.post('/admin/parametres', {
        _csrf: csrf,
        ...fields,
        supportPhone: '01 40 56 60 00',
        adminTotpRequired: 'false',
      });
      assert.doesNotMatch((await admin.get('/admin/parametres')).body, /id="adminTotpRequired"[^>]*checked/);
      const [entry] = await rows<{ action: string }>(
        portal.database.db,
        sql`select action from audit_log where action = 'settings.update'`,
      );
      assert.equal(entry?.action, 'settings.update');
    });

    test('/readyz answers 503 once the database is closed', async () => {
      const other = await createTestPortal(kind);
      const close = other.database.close.bind(other.database);
      try {
        await close();
        other.database.close = async () => {};
        const ready = await other.app.inject({ method: 'GET', url: '/readyz' });
        assert.equal(ready.statusCode, 503);
        assert.deepEqual(ready.json(), { status: 'unavailable', database: kind });
        assert.equal((await other.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      } finally {
        await other.close();
      }
    });
  });
}

describe('database unreachable', () => {
  test('pages answer a clear 503 and /readyz says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'guichet-down-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SESSION_SECRET: SECRET });
    // Nothing listens on port 1: every connection is refused, as when the server is down.
    const database = await openDatabase({ dataDir, databaseUrl: 'postgres://postgres@127.0.0.1:1/guichet', poolSize: 1 });
    const app = await buildApp({ config, database, logger: false });
    try {
      const page = await app.inject({ method: 'GET', url: '/connexion' });
      assert.equal(page.statusCode, 503);
      assert.match(page.body, /Service indisponible/);
      assert.match(page.body, /Les informations que vous avez saisies n’ont pas été perdues/);
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
    } finally {
      await app.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
