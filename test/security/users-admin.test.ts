/**
 * Privilege escalation and mass assignment around accounts: the users administration is for
 * administrators only (every route, every method), and the « Mon compte » forms never set a
 * role, a status, a structure or applications, whatever fields are sent along.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { actorOf, count, rows } from '../support/factories.js';
import { Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`security: users administration and account forms (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    test('a non-administrator gets 403 on every /admin/utilisateurs route, and nothing changes', async () => {
      const db = portal.database.db;
      const target = await actorOf(db, 'direccte');
      // The routes checked below are all the routes of the users administration.
      const ROUTES = [
        ['GET', '/admin/utilisateurs'],
        ['GET', '/admin/utilisateurs/:id'],
        ['POST', '/admin/utilisateurs/:id'],
        ['POST', '/admin/utilisateurs/:id/activation'],
      ] as const;
      for (const [method, url] of ROUTES) assert.ok(portal.app.hasRoute({ method, url }), `${method} ${url}`);
      const before = await rows(db, sql`select role, active, structure_id, requester_kind from users order by id`);
      const audits = await count(db, sql`select count(*) as n from audit_log where action like 'user.%'`);
      const mails = await count(db, sql`select count(*) as n from outbox`);
      for (const login of ['demandeur', 'direccte', 'agent', 'expert']) {
        const visitor = await new Visitor(portal.app).login(login);
        const csrf = await visitor.token('/mon-compte');
        const ids = [String(target.id), String((await actorOf(db, login)).id)];
        for (const id of ids) {
          for (const url of ['/admin/utilisateurs', '/admin/utilisateurs?q=admin&role=admin', `/admin/utilisateurs/${id}`]) {
            assert.equal((await visitor.get(url)).statusCode, 403, `${login} GET ${url}`);
          }
          const promote = { _csrf: csrf, role: 'admin', status: 'active', requesterKind: '', structureId: '' };
          assert.equal((await visitor.post(`/admin/utilisateurs/${id}`, promote)).statusCode, 403, `${login} POST`);
          const resend = await visitor.post(`/admin/utilisateurs/${id}/activation`, { _csrf: csrf });
          assert.equal(resend.statusCode, 403, `${login} POST activation`);
        }
        // The index shows no tile to them either.
        assert.equal((await visitor.get('/admin')).statusCode, 403);
      }
      assert.deepEqual(await rows(db, sql`select role, active, structure_id, requester_kind from users order by id`), before);
      assert.equal(await count(db, sql`select count(*) as n from audit_log where action like 'user.%'`), audits);
      assert.equal(await count(db, sql`select count(*) as n from outbox`), mails);
    });

    test('an anonymous visitor is sent to the login from every /admin/utilisateurs route', async () => {
      const anonymous = new Visitor(portal.app);
      const csrf = await anonymous.token('/connexion');
      for (const [method, url] of [
        ['GET', '/admin/utilisateurs'],
        ['GET', '/admin/utilisateurs/1'],
        ['POST', '/admin/utilisateurs/1'],
        ['POST', '/admin/utilisateurs/1/activation'],
      ] as const) {
        const response = method === 'GET' ? await anonymous.get(url) : await anonymous.post(url, { _csrf: csrf, role: 'admin' });
        assert.equal(response.statusCode, 303, `${method} ${url}`);
        assert.match(String(response.headers.location), /^\/connexion/);
      }
    });

    test('a requester cannot set role, status, structure or applications through the « Mon compte » forms', async () => {
      const db = portal.database.db;
      const me = await actorOf(db, 'demandeur');
      const other = await actorOf(db, 'direccte');
      const visitor = await new Visitor(portal.app).login('demandeur');
      const csrf = await visitor.token('/mon-compte');
      const snapshot = () =>
        rows(
          db,
          sql`select u.role, u.active, u.structure_id, u.requester_kind, u.login, u.email, u.password_hash, u.activated_at,
                (select array_agg(application_id order by application_id) from user_applications where user_id = u.id) as apps
              from users u where u.id in (${me.id}, ${other.id}) order by u.id`,
        );
      const before = await snapshot();
      const extra = {
        role: 'admin',
        active: 'false',
        status: 'disabled',
        structureId: String(other.structureId),
        structure_id: String(other.structureId),
        requesterKind: 'direccte',
        applicationIds: '1',
        login: 'admin',
        email: 'pirate@exemple.fr',
        passwordHash: 'x',
        id: String(other.id),
        userId: String(other.id),
      };
      const coordinates = await visitor.post('/mon-compte/coordonnees', {
        ...extra,
        _csrf: csrf,
        civility: 'Mme',
        lastName: 'Martin',
        firstName: 'Claire',
        phone: '01 22 33 44 55',
      });
      assert.equal(coordinates.statusCode, 303);
      const password = await visitor.post('/mon-compte/mot-de-passe', {
        ...extra,
        _csrf: csrf,
        currentPassword: 'mauvais mot de passe',
        newPassword: 'cheval agrafe turquoise 42',
        confirmation: 'cheval agrafe turquoise 42',
      });
      assert.equal(password.statusCode, 422);
      // A new address only asks for a confirmation sent to that address: nothing changes yet.
      const email = await visitor.post('/mon-compte/courriel', { ...extra, _csrf: csrf, currentPassword: PASSWORD });
      assert.equal(email.statusCode, 303);
      for (const url of ['/mon-compte/sessions/fermer-les-autres', '/mon-compte/suppression']) {
        assert.equal((await visitor.post(url, { ...extra, _csrf: csrf })).statusCode, 303, url);
      }
      const after = await snapshot();
      assert.deepEqual(after, before);
      // Only the coordinates changed, of this person alone.
      const [mine] = await rows(db, sql`select last_name, first_name from users where id = ${me.id}`);
      assert.deepEqual(mine, { last_name: 'Martin', first_name: 'Claire' });
      assert.equal(await count(db, sql`select count(*) as n from audit_log where action like 'user.%'`), 0);
      // The requester still has no access to the administration.
      assert.equal((await visitor.get('/admin/utilisateurs')).statusCode, 403);
    });

    test('an e-mail change link of another person is refused', async () => {
      const db = portal.database.db;
      const agent = await new Visitor(portal.app).login('agent');
      const csrf = await agent.token('/mon-compte');
      const asked = await agent.post('/mon-compte/courriel', {
        _csrf: csrf,
        email: 'agent.nouvelle@exemple.fr',
        currentPassword: PASSWORD,
      });
      assert.equal(asked.statusCode, 303);
      const [mail] = await rows<{ body: string }>(
        db,
        sql`select body from outbox where to_address = 'agent.nouvelle@exemple.fr'`,
      );
      const link = /(\/mon-compte\/courriel\/[A-Za-z0-9_-]+)/.exec(mail?.body ?? '')?.[1];
      assert.ok(link);
      const intruder = await new Visitor(portal.app).login('expert');
      const intruderCsrf = await intruder.token('/mon-compte');
      assert.equal((await intruder.get(link)).statusCode, 410);
      assert.equal((await intruder.post(link, { _csrf: intruderCsrf })).statusCode, 410);
      const [expert] = await rows(db, sql`select email from users where login = 'expert'`);
      assert.equal(expert?.email, 'expert@demo.assistance.localhost');
      // Without the CSRF token, the owner cannot be made to confirm it either.
      assert.equal((await agent.post(link, {})).statusCode, 403);
      const [row] = await rows(db, sql`select email from users where login = 'agent'`);
      assert.equal(row?.email, 'agent@demo.assistance.localhost');
    });
  });
}
