/**
 * Authentication and sessions: no user enumeration through the login answer, throttling of
 * repeated failures (audited), oversized passwords refused before hashing, a new session id at
 * login (no fixation), and a logout that ends the session on the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { login } from '../../src/domain/accounts/login.js';
import { actorOf, count, createUser, normalize, rows } from '../support/factories.js';
import { Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`security: login and sessions (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    async function attempt(login: string, password: string, visitor = new Visitor(portal.app)) {
      // A visitor already logged in is sent away from the login page: any page's form carries the token.
      const loggedIn = (await visitor.get('/connexion')).statusCode === 303;
      const token = await visitor.token(loggedIn ? '/mon-compte' : '/connexion');
      return visitor.post('/connexion', { _csrf: token, login, password, next: '/' });
    }

    test('an unknown account and a wrong password get the same answer', async () => {
      const unknown = await attempt('personne-inconnue', 'mauvais-mot-de-passe');
      const wrong = await attempt('demandeur', 'mauvais-mot-de-passe');
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.statusCode, 401);
      assert.match(unknown.body, /Identifiant ou mot de passe incorrect/);
      assert.equal(normalize(unknown.body, 'personne-inconnue'), normalize(wrong.body, 'demandeur'));
      // No session is opened either way.
      assert.doesNotMatch(String(unknown.headers['set-cookie'] ?? ''), /guichet=/);
      assert.doesNotMatch(String(wrong.headers['set-cookie'] ?? ''), /guichet=/);
    });

    test('a disabled account with its right password gets the same answer as a wrong password', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'compte-desactive', 'requester', ['CERES']);
      await db.execute(sql`update users set active = false where id = ${user.id}`);
      const disabled = await attempt('compte-desactive', PASSWORD);
      const wrong = await attempt('demandeur', 'mauvais-mot-de-passe');
      assert.equal(disabled.statusCode, 401);
      assert.equal(normalize(disabled.body, 'compte-desactive'), normalize(wrong.body, 'demandeur'));
    });

    test('repeated failures on one account are throttled for a while, then the account works again; all audited', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'cible-de-force-brute', 'requester', ['CERES']);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await attempt('cible-de-force-brute', `essai-${i}-incorrect`)).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401]);
      // Now even the right password waits.
      const throttled = await attempt('cible-de-force-brute', PASSWORD);
      assert.equal(throttled.statusCode, 429);
      assert.match(throttled.body, /Trop de tentatives de connexion\. Réessayez dans \d+ seconde/);
      // Another account from the same address is not affected.
      assert.equal((await attempt('demandeur', PASSWORD)).statusCode, 303);
      // The wait ends by itself: the account is not locked for good.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal((await attempt('cible-de-force-brute', PASSWORD)).statusCode, 303);

      const audit = await rows<{ action: string; actor_id: number | null; target: string | null; ip: string | null }>(
        db,
        sql`select action, actor_id, target, ip from audit_log where target = 'cible-de-force-brute' or actor_id = ${user.id} order by id`,
      );
      assert.deepEqual(
        audit.map((a) => a.action),
        [...Array(6).fill('login.failure'), 'login.throttled', 'login.success'],
      );
      for (const entry of audit) assert.ok(entry.ip, 'the address is recorded');
      assert.equal(Number(audit[0]?.actor_id), user.id);
      // No password in the trail.
      const all = JSON.stringify(await rows(db, sql`select * from audit_log`));
      assert.ok(!all.includes(PASSWORD) && !all.includes('incorrect'));
    });

    test('many accounts tried from one address: the address is throttled too, other addresses are not', async () => {
      const db = portal.database.db;
      const ip = '203.0.113.7';
      const results = [];
      for (let i = 0; i < 31; i++) results.push(await login(db, `essai-${i}`, 'mauvais-mot-de-passe', ip));
      assert.ok(results.every((r) => !r.ok && r.reason === 'invalid'));
      const next = await login(db, 'demandeur', PASSWORD, ip);
      assert.equal(next.ok, false);
      assert.equal(!next.ok && next.reason, 'throttled');
      assert.equal((await login(db, 'demandeur', PASSWORD, '198.51.100.9')).ok, true);
    });

    test('a failure for an unknown account is audited without an actor', async () => {
      const db = portal.database.db;
      await attempt('inconnu-audite', 'mauvais-mot-de-passe');
      const [entry] = await rows<{ action: string; actor_id: number | null }>(
        db,
        sql`select action, actor_id from audit_log where target = 'inconnu-audite'`,
      );
      assert.equal(entry?.action, 'login.failure');
      assert.equal(entry?.actor_id, null);
    });

    test('a 1 MB password is refused at once, before any hashing', async () => {
      const db = portal.database.db;
      const visitor = new Visitor(portal.app);
      const token = await visitor.token('/connexion');
      const sessionsBefore = await count(db, sql`select count(*) as n from sessions`);
      const started = performance.now();
      const huge = await visitor.post('/connexion', { _csrf: token, login: 'demandeur', password: 'a'.repeat(1024 * 1024) });
      assert.equal(huge.statusCode, 413);
      // Just under the body limit, the password is still far too long to be hashed.
      const long = await visitor.post('/connexion', { _csrf: token, login: 'demandeur', password: 'a'.repeat(900 * 1024) });
      assert.equal(long.statusCode, 401);
      assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
      assert.equal(await count(db, sql`select count(*) as n from sessions`), sessionsBefore);
    });

    test('the session id changes at login: a planted session id is not kept', async () => {
      // An attacker logs in, then plants their session cookie in the victim's browser.
      const attacker = await new Visitor(portal.app).login('direccte');
      const planted = attacker.cookie('guichet')!;
      assert.ok(planted);
      const victim = new Visitor(portal.app).setCookie('guichet', planted);
      const login = await attempt('demandeur', PASSWORD, victim);
      assert.equal(login.statusCode, 303);
      const fresh = victim.cookie('guichet');
      assert.ok(fresh && fresh !== planted);
      assert.notEqual(fresh.split('.')[0], planted.split('.')[0]);
      // The planted id does not give the attacker the victim's session.
      const home = await attacker.get('/mon-compte');
      assert.doesNotMatch(home.body, /Hélène RIVIÈRE|identifiant « demandeur »/);
    });

    test('logging in again gives yet another session id, and the old one stops working', async () => {
      const visitor = await new Visitor(portal.app).login('agent');
      const first = visitor.cookie('guichet')!;
      await attempt('agent', PASSWORD, visitor);
      const second = visitor.cookie('guichet')!;
      assert.notEqual(second.split('.')[0], first.split('.')[0]);
      const stale = new Visitor(portal.app).setCookie('guichet', first);
      assert.equal((await stale.get('/guichet')).statusCode, 303);
    });

    test('logout ends the session on the server: the old cookie no longer works', async () => {
      const db = portal.database.db;
      const agent = await actorOf(db, 'expert');
      const visitor = await new Visitor(portal.app).login('expert');
      const cookie = visitor.cookie('guichet')!;
      assert.equal((await visitor.get('/guichet')).statusCode, 200);
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${agent.id}`), 1);
      const token = await visitor.token('/guichet');
      const out = await visitor.post('/deconnexion', { _csrf: token });
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, '/connexion');
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${agent.id}`), 0);
      // Someone who kept a copy of the cookie is anonymous now.
      const replay = new Visitor(portal.app).setCookie('guichet', cookie);
      const page = await replay.get('/guichet');
      assert.equal(page.statusCode, 303);
      assert.match(page.headers.location as string, /^\/connexion/);
      const [entry] = await rows<{ action: string }>(
        db,
        sql`select action from audit_log where actor_id = ${agent.id} order by id desc limit 1`,
      );
      assert.equal(entry?.action, 'logout');
    });

    test('a session idle for more than 30 minutes is ended on the server', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'agent-inactif', 'agent', ['CERES']);
      const visitor = await new Visitor(portal.app).login('agent-inactif');
      assert.equal((await visitor.get('/guichet')).statusCode, 200);
      const longAgo = Date.now() - 31 * 60 * 1000;
      await db.execute(
        sql`update sessions set data = data || jsonb_build_object('seenAt', ${longAgo}::bigint) where user_id = ${user.id}`,
      );
      const page = await visitor.get('/guichet');
      assert.equal(page.statusCode, 303);
      assert.match(page.headers.location as string, /^\/connexion/);
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${user.id}`), 0);
    });

    test('the session cookie is HttpOnly and SameSite=Lax', async () => {
      const visitor = new Visitor(portal.app);
      const response = await attempt('admin', PASSWORD, visitor);
      const cookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('guichet='));
      assert.ok(cookie);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      assert.match(cookie, /Path=\//);
    });

    // Last of the file: it uses up the address's quota on the login route.
    test('the login route is rate limited per address, with a page that says so', async () => {
      let response = await portal.app.inject({ method: 'POST', url: '/connexion' });
      for (let i = 0; i < 40 && response.statusCode !== 429; i++) {
        response = await portal.app.inject({
          method: 'POST',
          url: '/connexion',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'login=demandeur&password=x',
        });
      }
      assert.equal(response.statusCode, 429);
      assert.ok(Number(response.headers['retry-after']) > 0);
      assert.match(response.body, /Trop de tentatives/);
      assert.doesNotMatch(response.body, /Erreur inattendue/);
    });
  });
}
