/**
 * One login must not stop the portal: a return address with characters that cannot travel in an
 * HTTP header (`next=/。`) once made the session save throw outside any handler, and Node exited.
 * The portal runs as its own process here, so a crash shows as a process that no longer answers.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestPortal, DATABASE_KINDS, PASSWORD, serverUrl, type TestPortal } from '../support/portal.js';
import { Browser, csrfOf, PortalProcess } from '../support/process.js';

const NEXTS = ['/。', '/demandes/\u00e9t\u00e9', '/\u{1F600}?q=\u4e2d', '/\ud800'];

for (const kind of DATABASE_KINDS) {
  describe(`security: a return address outside Latin-1 does not stop the portal (${kind})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'guichet-crash-'));
    const portal = new PortalProcess(`portal (${kind})`);
    const database = `guichet_crash_${randomBytes(5).toString('hex')}`;

    before(async () => {
      const env: Record<string, string> = {
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        SESSION_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn',
      };
      if (kind === 'postgres') {
        const admin = new pg.Client({ connectionString: serverUrl() });
        await admin.connect();
        await admin.query(`create database ${database}`);
        await admin.end();
        const url = new URL(serverUrl());
        url.pathname = `/${database}`;
        env.DATABASE_URL = url.toString();
      }
      await portal.start(env);
      await portal.ready();
    });

    after(async () => {
      await portal.stop();
      if (kind === 'postgres') {
        const admin = new pg.Client({ connectionString: serverUrl() });
        await admin.connect();
        await admin.query(`drop database if exists ${database} with (force)`);
        await admin.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('logging in with such a next= leads inside the portal, and the portal goes on answering', async () => {
      for (const next of NEXTS) {
        const person = new Browser();
        const token = csrfOf((await person.page(`${portal.base}/connexion?${new URLSearchParams({ next })}`)).body);
        const response = await person.post(`${portal.base}/connexion`, {
          _csrf: token,
          login: 'demandeur',
          password: PASSWORD,
          next,
        });
        assert.equal(response.status, 303, JSON.stringify(next));
        const location = response.headers.get('location') ?? '';
        assert.match(location, /^\/[\x21-\x7e]*$/, `${JSON.stringify(next)} → ${location}`);
        assert.equal(new URL(location, portal.base).origin, portal.base);
        const health = await fetch(`${portal.base}/healthz`);
        assert.equal(health.status, 200, `still up after next=${JSON.stringify(next)}`);
        // Signed in, the login page sends the person on at once: the same address, the same care.
        const again = await person.page(`${portal.base}/connexion?${new URLSearchParams({ next })}`);
        assert.equal(again.status, 303, `signed in, next=${JSON.stringify(next)}`);
        assert.match(again.location ?? '', /^\/[\x21-\x7e]*$/);
      }
      const page = await (await new Browser().login(portal.base, 'demandeur')).page(`${portal.base}/`);
      assert.equal(page.status, 200, 'a new login still works');
    });

    test('the encoded return address is the page asked for', async () => {
      const person = new Browser();
      const next = '/demandes?recherche=\u00e9t\u00e9';
      const token = csrfOf((await person.page(`${portal.base}/connexion`)).body);
      const response = await person.post(`${portal.base}/connexion`, {
        _csrf: token,
        login: 'demandeur',
        password: PASSWORD,
        next,
      });
      const location = response.headers.get('location') ?? '';
      assert.equal(decodeURIComponent(location), next);
      const page = await person.page(`${portal.base}${location}`);
      assert.equal(page.status, 200);
    });
  });
}

describe('security: a header that cannot be written answers 500 (pglite)', () => {
  let portal: TestPortal;

  before(async () => {
    portal = await createTestPortal(
      'pglite',
      {},
      {
        extend: (app) => {
          // The session changes, so its save runs in a promise after the handler: where the throw escaped.
          app.get('/essai/entete', async (request, reply) => {
            request.session.flash = 'x';
            return reply.header('x-essai', '\u3002').send('ok');
          });
        },
      },
    );
  });
  after(() => portal?.close());

  test('the request gets a 500 page, and the next one is served', async () => {
    const response = await portal.app.inject({ method: 'GET', url: '/essai/entete' });
    assert.equal(response.statusCode, 500);
    assert.equal(response.headers['x-essai'], undefined);
    assert.match(response.body, /Erreur inattendue/);
    assert.equal((await portal.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });
});
