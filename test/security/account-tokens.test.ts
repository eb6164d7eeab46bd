/**
 * The ways in answer the same for known and unknown identities, e-mailed links work once and
 * expire, and an account request cannot choose what only an administrator decides.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { processPasswordResets } from '../../src/domain/accounts/password-reset.js';
import { createToken } from '../../src/domain/accounts/tokens.js';
import { count, normalize, rows } from '../support/factories.js';
import { Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from '../support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`account links and answers (${kind})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    async function forgot(identifier: string) {
      const visitor = new Visitor(portal.app);
      const csrf = await visitor.token('/mot-de-passe-oublie');
      return visitor.post('/mot-de-passe-oublie', { _csrf: csrf, identifier });
    }

    test('« Mot de passe oublié ? » answers the same for a known and an unknown account', async () => {
      const known = await forgot('demandeur');
      const unknown = await forgot('personne-de-connu');
      const byMail = await forgot('agent@demo.assistance.localhost');
      assert.equal(known.statusCode, 200);
      assert.equal(unknown.statusCode, known.statusCode);
      assert.equal(normalize(unknown.body), normalize(known.body));
      assert.equal(normalize(byMail.body), normalize(known.body));
      assert.equal(await processPasswordResets(portal.database.db, portal.config.publicUrl), 3);
      assert.equal(await count(portal.database.db, sql`select count(*) as n from outbox where kind = 'password_reset'`), 2);
    });

    test('asked nine times in a row, « Mot de passe oublié ? » sends one e-mail; five minutes later, a new link replaces it', async () => {
      const db = portal.database.db;
      const mails = () =>
        count(db, sql`select count(*) as n from outbox where kind = 'password_reset' and to_address like 'admin@%'`);
      const before = await mails();
      for (let i = 0; i < 9; i++) {
        assert.equal((await forgot('admin')).statusCode, 200);
        await processPasswordResets(db, portal.config.publicUrl);
      }
      assert.equal((await mails()) - before, 1);
      const live = () =>
        count(
          db,
          sql`select count(*) as n from user_tokens t join users u on u.id = t.user_id
              where u.login = 'admin' and t.purpose = 'password_reset' and t.used_at is null and t.expires_at > now()`,
        );
      assert.equal(await live(), 1, 'one live link');
      await db.execute(sql`update user_tokens set created_at = now() - interval '6 minutes' where purpose = 'password_reset'`);
      await forgot('admin');
      await processPasswordResets(db, portal.config.publicUrl);
      assert.equal((await mails()) - before, 2);
      assert.equal(await live(), 1, 'the new link replaced the old one');
    });

    async function tokenFor(login: string, purpose: 'activation' | 'password_reset', ttlMs: number) {
      const [user] = await rows<{ id: number }>(portal.database.db, sql`select id from users where login = ${login}`);
      return portal.database.db.transaction((tx) => createToken(tx, user!.id, purpose, ttlMs));
    }

    test('an expired reset link is refused, and so is one replaced by a newer link', async () => {
      const expired = await tokenFor('expert', 'password_reset', -1000);
      const visitor = new Visitor(portal.app);
      const page = await visitor.get(`/mot-de-passe/${expired}`);
      assert.equal(page.statusCode, 410);
      assert.match(page.body, /expiré/);
      const older = await tokenFor('expert', 'password_reset', 3600_000);
      await tokenFor('expert', 'password_reset', 3600_000);
      assert.equal((await visitor.get(`/mot-de-passe/${older}`)).statusCode, 410);
      assert.equal((await visitor.get('/mot-de-passe/pas-un-vrai-jeton-du-tout')).statusCode, 410);
    });

    test('a reset link posted twice changes the password once', async () => {
      const token = await tokenFor('expert', 'password_reset', 3600_000);
      const visitor = new Visitor(portal.app);
      const csrf = await visitor.token(`/mot-de-passe/${token}`);
      const form = { _csrf: csrf, password: 'un tout nouveau secret', passwordCheck: 'un tout nouveau secret' };
      const [first, second] = await Promise.all([
        visitor.post(`/mot-de-passe/${token}`, form),
        visitor.post(`/mot-de-passe/${token}`, form),
      ]);
      assert.deepEqual([first.statusCode, second.statusCode].sort(), [200, 410]);
      assert.equal(
        await count(portal.database.db, sql`select count(*) as n from audit_log where action = 'password_reset.done'`),
        1,
      );
    });

    test('an activation link opened by a mail scanner (GET) activates nothing; an expired one is refused', async () => {
      await portal.database.db.execute(sql`update users set active = false, activated_at = null where login = 'direccte'`);
      const expired = await tokenFor('direccte', 'activation', -1);
      const visitor = new Visitor(portal.app);
      const csrf = await visitor.token('/connexion');
      assert.equal((await visitor.post(`/activation/${expired}`, { _csrf: csrf })).statusCode, 410);
      const valid = await tokenFor('direccte', 'activation', 3600_000);
      await visitor.get(`/activation/${valid}`);
      await visitor.get(`/activation/${valid}`);
      assert.equal(
        (await rows<{ active: boolean }>(portal.database.db, sql`select active from users where login = 'direccte'`))[0]?.active,
        false,
      );
    });

    test('an account request cannot set its role, status or account: those fields are ignored', async () => {
      const visitor = new Visitor(portal.app);
      const csrf = await visitor.token('/demande-de-compte');
      const [ids] = await rows<{ app: number; region: number; nature: number; type: number }>(
        portal.database.db,
        sql`select (select min(id) from applications) as app, (select min(id) from regions) as region,
                   (select min(id) from structure_natures) as nature, (select min(id) from structure_types) as type`,
      );
      const response = await visitor.post('/demande-de-compte', {
        _csrf: csrf,
        login: 'intrus',
        civility: 'M.',
        lastName: 'Durand',
        firstName: 'Paul',
        email: 'paul.durand@example.org',
        phone: '0122334455',
        applicationIds: String(ids?.app),
        regionId: String(ids?.region),
        structureName: 'Organisme',
        natureId: String(ids?.nature),
        typeId: String(ids?.type),
        password: 'les fleurs du printemps',
        passwordCheck: 'les fleurs du printemps',
        role: 'admin',
        status: 'approved',
        active: 'true',
        userId: '1',
      });
      assert.equal(response.statusCode, 303);
      const [request] = await rows<{ status: string; user_id: number | null }>(
        portal.database.db,
        sql`select status, user_id from account_requests where login = 'intrus'`,
      );
      assert.deepEqual(request, { status: 'pending', user_id: null });
      assert.equal(await count(portal.database.db, sql`select count(*) as n from users where login = 'intrus'`), 0);
    });

    test('only administrators see and decide account requests', async () => {
      for (const login of ['demandeur', 'agent']) {
        const visitor = await new Visitor(portal.app).login(login);
        assert.equal((await visitor.get('/admin/demandes-de-compte')).statusCode, 403, login);
        const csrf = await visitor.token('/');
        assert.equal(
          (
            await visitor.post('/admin/demandes-de-compte/1', {
              _csrf: csrf,
              decision: 'approve',
              role: 'admin',
              structure: 'new',
            })
          ).statusCode,
          403,
        );
      }
    });
  });
}
