/**
 * Cross-site request forgery: every state-changing request needs the token of the person's
 * own CSRF cookie; without it, or with a wrong one, it is refused and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { count, fileAs, footprint, readForm, rows, storedFiles } from '../support/factories.js';
import { PNG, Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';

const WRONG = 'AAAAAAAAAAAAAAAAAAAAAAAA-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

for (const kind of DATABASE_KINDS) {
  describe(`security: CSRF (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    /** No token, a made-up one, and a genuine token of another visitor (bound to their cookie). */
    const badTokens = async () => [undefined, WRONG, await new Visitor(portal.app).token('/connexion')];

    test('login without a token, with a wrong one or with another visitor’s is refused and opens no session', async () => {
      const db = portal.database.db;
      const visitor = new Visitor(portal.app);
      await visitor.get('/connexion');
      for (const token of await badTokens()) {
        const response = await visitor.post('/connexion', {
          ...(token ? { _csrf: token } : {}),
          login: 'demandeur',
          password: PASSWORD,
        });
        assert.equal(response.statusCode, 403, `token ${token}`);
        assert.match(response.body, /Votre formulaire a expiré ou ne provient pas de ce site/);
        assert.equal(visitor.cookie('guichet'), undefined);
      }
      assert.equal(await count(db, sql`select count(*) as n from sessions`), 0);
      assert.equal(await count(db, sql`select count(*) as n from audit_log where action like 'login.%'`), 0);
    });

    test('a new request without a valid token is refused before any file is stored', async () => {
      const db = portal.database.db;
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const before = {
        requests: await count(db, sql`select count(*) as n from requests`),
        attachments: await count(db, sql`select count(*) as n from attachments`),
        outbox: await count(db, sql`select count(*) as n from outbox`),
        files: storedFiles(portal),
      };
      for (const token of await badTokens()) {
        const response = await demandeur.postMultipart(
          '/demandes/nouvelle',
          {
            ...(token ? { _csrf: token } : {}),
            token: form.token,
            subject: 'Demande forgée',
            blocking: 'non',
            applicationId: form.option('CERES'),
            description: 'Envoyée depuis un autre site.',
          },
          [['files', 'capture.png', PNG]],
        );
        assert.equal(response.statusCode, 403, `token ${token}`);
      }
      assert.deepEqual(
        {
          requests: await count(db, sql`select count(*) as n from requests`),
          attachments: await count(db, sql`select count(*) as n from attachments`),
          outbox: await count(db, sql`select count(*) as n from outbox`),
          files: storedFiles(portal),
        },
        before,
      );
    });

    test('an action without a valid token is refused and changes nothing', async () => {
      const number = await fileAs(portal, 'demandeur');
      const agent = await new Visitor(portal.app).login('agent');
      const before = await footprint(portal.database.db, number);
      for (const token of await badTokens()) {
        const response = await agent.post(`/demandes/${number}/actions`, {
          ...(token ? { _csrf: token } : {}),
          action: 'resolve',
          message: 'Réponse forgée.',
        });
        assert.equal(response.statusCode, 403, `token ${token}`);
        // The header is a valid place for the token too, but not a wrong one.
        const viaHeader = await agent.post(
          `/demandes/${number}/actions`,
          { action: 'resolve', message: 'Réponse forgée.' },
          { 'x-csrf-token': token ?? '' },
        );
        assert.equal(viaHeader.statusCode, 403);
      }
      assert.deepEqual(await footprint(portal.database.db, number), before);
    });

    test('settings cannot be changed without a valid token', async () => {
      const db = portal.database.db;
      const admin = await new Visitor(portal.app).login('admin');
      const before = await rows(db, sql`select key, value from settings order by key`);
      for (const token of await badTokens()) {
        const response = await admin.post('/admin/parametres', {
          ...(token ? { _csrf: token } : {}),
          serviceName: 'Service piraté',
          ministryName: 'Ministère piraté',
          supportPhone: '08 99 99 99 99',
          supportHours: 'Jamais',
          welcomeText: 'Bienvenue chez les pirates.',
          accessibilityStatus: 'non conforme',
        });
        assert.equal(response.statusCode, 403, `token ${token}`);
      }
      assert.deepEqual(await rows(db, sql`select key, value from settings order by key`), before);
      assert.doesNotMatch((await admin.get('/')).body, /08 99 99 99 99/);
    });

    test('logout without a valid token does not end the session', async () => {
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const response = await demandeur.post('/deconnexion', {});
      assert.equal(response.statusCode, 403);
      assert.equal((await demandeur.get('/demandes')).statusCode, 200);
    });

    test('no form carries its token in its address (it would land in logs and in the address bar)', async () => {
      const agent = await new Visitor(portal.app).login('agent');
      const admin = await new Visitor(portal.app).login('admin');
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const number = await fileAs(portal, 'demandeur');
      const demandeurId = (
        await rows<{ id: number }>(portal.database.db, sql`select id from users where login = 'demandeur'`)
      )[0]!.id;
      const pages: [Visitor, string][] = [
        [demandeur, '/demandes/nouvelle'],
        [demandeur, `/demandes/${number}`],
        [agent, `/demandes/${number}`],
        [agent, `/guichet/nouvelle-demande/${demandeurId}`],
        [admin, '/redaction/documents/nouveau'],
      ];
      let multipartForms = 0;
      for (const [visitor, url] of pages) {
        const page = await visitor.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.doesNotMatch(page.body, /_csrf=/, url);
        for (const form of page.body.match(/<form[^>]*enctype="multipart\/form-data"[^>]*>\s*<input[^>]*>/g) ?? []) {
          assert.match(form, /<input type="hidden" name="_csrf" value="[^"]+"\s*\/?>$/, `${url}: the token is the first field`);
          multipartForms++;
        }
      }
      assert.ok(multipartForms >= 6, `${multipartForms} multipart forms checked`);
    });

    test('a multipart form is refused, nothing stored, when its token is not its first field', async () => {
      const db = portal.database.db;
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const before = { requests: await count(db, sql`select count(*) as n from requests`), files: storedFiles(portal) };
      const fields = {
        token: form.token,
        subject: 'Jeton mal placé',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'Le jeton arrive après les autres champs.',
        suggestionsShown: '1',
      };
      const late = await demandeur.postMultipart('/demandes/nouvelle', { ...fields, _csrf: form.csrf }, [
        ['files', 'a.png', PNG],
      ]);
      assert.equal(late.statusCode, 403);
      const inQuery = await demandeur.postMultipart(`/demandes/nouvelle?_csrf=${encodeURIComponent(form.csrf)}`, fields, [
        ['files', 'a.png', PNG],
      ]);
      assert.equal(inQuery.statusCode, 403, 'the address is no place for the token');
      assert.deepEqual(
        { requests: await count(db, sql`select count(*) as n from requests`), files: storedFiles(portal) },
        before,
      );
      const right = await demandeur.postMultipart('/demandes/nouvelle', { _csrf: form.csrf, ...fields }, [
        ['files', 'a.png', PNG],
      ]);
      assert.equal(right.statusCode, 303, right.body.slice(0, 300));
    });

    test('logging in renews the CSRF secret: a token handed out before no longer counts', async () => {
      const visitor = new Visitor(portal.app);
      const before = await visitor.token('/connexion');
      const cookieBefore = visitor.cookie('guichet-csrf');
      const login = await visitor.post('/connexion', { _csrf: before, login: 'demandeur', password: PASSWORD, next: '/' });
      assert.equal(login.statusCode, 303);
      assert.ok(visitor.cookie('guichet-csrf'), 'a CSRF cookie after login');
      assert.notEqual(visitor.cookie('guichet-csrf'), cookieBefore, 'a new secret');
      assert.equal((await visitor.post('/deconnexion', { _csrf: before })).statusCode, 403, 'the old token is refused');
      assert.equal((await visitor.get('/demandes')).statusCode, 200, 'still signed in');
      const after = await visitor.token('/demandes');
      assert.equal((await visitor.post('/deconnexion', { _csrf: after })).statusCode, 303);
    });

    test('a GET never changes state (no action through a link)', async () => {
      const number = await fileAs(portal, 'demandeur');
      const agent = await new Visitor(portal.app).login('agent');
      const before = await footprint(portal.database.db, number);
      const response = await agent.get(`/demandes/${number}/actions?action=take`);
      assert.equal(response.statusCode, 404);
      await agent.get('/deconnexion');
      assert.deepEqual(await footprint(portal.database.db, number), before);
      assert.equal((await agent.get('/guichet')).statusCode, 200);
    });
  });
}
