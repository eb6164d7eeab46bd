/**
 * Second factor: what must never let someone in with the password alone (ASVS 6.3, 6.5):
 * no session before the code, a new password does not skip it, the waiting state is short,
 * guesses are throttled, secrets and recovery codes are not readable in the database, and
 * administrators must enrol when the portal requires it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { hashPassword } from '../../src/domain/accounts/passwords.js';
import { clearSettingsCache } from '../../src/domain/settings/settings.js';
import { count, createUser, rows } from '../support/factories.js';
import { Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';
import { codeAt, currentStep, ENROLMENT, enrol, logout, passwordStep, secondStep } from '../support/totp.js';

for (const kind of DATABASE_KINDS) {
  describe(`security: two-factor authentication (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    /** A new desk user with the second factor on, signed out. */
    async function enrolled(login: string, role: 'agent' | 'expert' | 'admin' = 'agent') {
      const user = await createUser(portal.database.db, login, role, ['CERES']);
      const visitor = await new Visitor(portal.app).login(login);
      const enrolment = await enrol(visitor);
      await logout(visitor);
      return { user, ...enrolment };
    }

    test('the password step opens no signed-in session and changes the session id', async () => {
      const db = portal.database.db;
      const { user } = await enrolled('agent-2fa-session');
      const visitor = new Visitor(portal.app);
      await visitor.get('/connexion');
      const planted = 'planted-session-id';
      visitor.setCookie('guichet', planted);
      const answer = await passwordStep(visitor, 'agent-2fa-session');
      assert.equal(answer.headers.location, '/connexion/verification');
      assert.notEqual(visitor.cookie('guichet'), planted);
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${user.id}`), 0);
      for (const path of ['/', '/guichet', '/mon-compte', ENROLMENT]) {
        const page = await visitor.get(path);
        assert.equal(page.statusCode, 303, path);
        assert.match(page.headers.location as string, /^\/connexion/);
      }
    });

    test('the verification page is only for someone who just typed a right password', async () => {
      const stranger = new Visitor(portal.app);
      assert.equal((await stranger.get('/connexion/verification')).headers.location, '/connexion');
      const token = await stranger.token('/connexion');
      const post = await stranger.post('/connexion/verification', { _csrf: token, code: '123456' });
      assert.equal(post.statusCode, 303);
      assert.equal(post.headers.location, '/connexion');
    });

    test('a new password hash (as a password reset sets it) does not skip the second factor', async () => {
      const db = portal.database.db;
      const { user, secret, step } = await enrolled('agent-2fa-reset');
      const newPassword = 'un-tout-nouveau-mot-de-passe';
      await db.execute(sql`update users set password_hash = ${await hashPassword(newPassword)} where id = ${user.id}`);
      await db.execute(sql`delete from sessions where user_id = ${user.id}`);

      const visitor = new Visitor(portal.app);
      assert.equal((await passwordStep(visitor, 'agent-2fa-reset', PASSWORD)).statusCode, 401, 'the old password is refused');
      const answer = await passwordStep(visitor, 'agent-2fa-reset', newPassword, '/guichet');
      assert.equal(answer.statusCode, 303);
      assert.equal(answer.headers.location, '/connexion/verification');
      assert.equal((await visitor.get('/guichet')).statusCode, 303);
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${user.id}`), 0);
      const done = await secondStep(visitor, { code: codeAt(secret, step + 1) });
      assert.equal(done.headers.location, '/guichet');
      assert.equal((await visitor.get('/guichet')).statusCode, 200);
    });

    test('the waiting state ends after five minutes: the code then opens nothing', async () => {
      const db = portal.database.db;
      const { secret, step } = await enrolled('agent-2fa-lent');
      const visitor = new Visitor(portal.app);
      await passwordStep(visitor, 'agent-2fa-lent');
      const page = await visitor.get('/connexion/verification');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const sid = decodeURIComponent(visitor.cookie('guichet') ?? '').split('.')[0]!;
      const sixMinutesAgo = Date.now() - 6 * 60 * 1000;
      await db.execute(
        sql`update sessions set data = data || jsonb_build_object('pendingStartedAt', ${sixMinutesAgo}::bigint) where sid = ${sid}`,
      );
      const late = await visitor.post('/connexion/verification', { _csrf: token, code: codeAt(secret, step + 1) });
      assert.equal(late.statusCode, 303);
      assert.equal(late.headers.location, '/connexion');
      assert.equal((await visitor.get('/guichet')).statusCode, 303);
    });

    test('guessing codes is throttled, and typing the password again does not reset the count', async () => {
      const db = portal.database.db;
      const { user, secret, step } = await enrolled('agent-2fa-force-brute');
      const visitor = new Visitor(portal.app);
      await passwordStep(visitor, 'agent-2fa-force-brute');
      const right = codeAt(secret, step + 1);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const guess = String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
        statuses.push((await secondStep(visitor, { code: guess })).statusCode);
        if (i === 2) await passwordStep(visitor, 'agent-2fa-force-brute');
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401]);
      const throttled = await secondStep(visitor, { code: right });
      assert.equal(throttled.statusCode, 429);
      assert.match(throttled.body, /Trop de tentatives/);
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${user.id}`), 0);
      const failures = await count(
        db,
        sql`select count(*) as n from audit_log where actor_id = ${user.id} and action = 'login.second_factor.failure'`,
      );
      assert.equal(failures, 6);
    });

    test('the secret is encrypted in the database and the recovery codes are only hashes', async () => {
      const db = portal.database.db;
      const { user, secret, recoveryCodes } = await enrolled('agent-2fa-stockage');
      const [row] = await rows<{ totp_secret: string }>(db, sql`select totp_secret from users where id = ${user.id}`);
      assert.ok(row?.totp_secret.startsWith('v1.'));
      assert.ok(!row?.totp_secret.includes(secret));
      const stored = await rows<{ code_hash: string }>(db, sql`select code_hash from recovery_codes where user_id = ${user.id}`);
      assert.equal(stored.length, 10);
      const dump = JSON.stringify(stored);
      for (const code of recoveryCodes) {
        assert.ok(!dump.includes(code) && !dump.includes(code.replace('-', '')));
      }
      for (const s of stored) assert.match(s.code_hash, /^[0-9a-f]{64}$/);
    });

    test('a code of another account, or the secret moved to another account, does not work', async () => {
      const db = portal.database.db;
      const a = await enrolled('agent-2fa-a');
      const b = await enrolled('agent-2fa-b');
      const visitor = new Visitor(portal.app);
      await passwordStep(visitor, 'agent-2fa-b');
      assert.equal((await secondStep(visitor, { code: codeAt(a.secret, currentStep()) })).statusCode, 401);
      assert.equal((await secondStep(visitor, { recoveryCode: a.recoveryCodes[0]! })).statusCode, 401);
      // A's encrypted secret copied onto B's account does not open there.
      await db.execute(
        sql`update users set totp_secret = (select totp_secret from users where id = ${a.user.id}) where id = ${b.user.id}`,
      );
      assert.equal((await secondStep(visitor, { code: codeAt(a.secret, a.step + 1) })).statusCode, 401);
    });

    test('requesters cannot reach the enrolment page', async () => {
      const visitor = await new Visitor(portal.app).login('demandeur');
      assert.equal((await visitor.get(ENROLMENT)).statusCode, 403);
    });

    test('the demo administrator is not forced to enrol outside production', async () => {
      const visitor = new Visitor(portal.app);
      const answer = await passwordStep(visitor, 'admin', PASSWORD, '/admin/parametres');
      assert.equal(answer.headers.location, '/admin/parametres');
      assert.equal((await visitor.get('/admin/parametres')).statusCode, 200);
    });

    test('when the portal requires it, an administrator without the second factor must enrol before anything else', async () => {
      const db = portal.database.db;
      await db.execute(sql`insert into settings (key, value) values ('adminTotpRequired', 'true'::jsonb)`);
      clearSettingsCache(db);
      try {
        const visitor = new Visitor(portal.app);
        const answer = await passwordStep(visitor, 'admin', PASSWORD, '/admin/parametres');
        assert.equal(answer.statusCode, 303);
        assert.equal(answer.headers.location, ENROLMENT);
        for (const path of ['/', '/admin/parametres', '/guichet', '/mon-compte']) {
          const page = await visitor.get(path);
          assert.equal(page.statusCode, 303, path);
          assert.equal(page.headers.location, ENROLMENT, path);
        }
        const page = await visitor.get(ENROLMENT);
        assert.match(page.body, /obligatoire pour les administrateurs/);
        const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
        const elsewhere = await visitor.post('/mon-compte/coordonnees', { _csrf: token, firstName: 'X' });
        assert.equal(elsewhere.headers.location, ENROLMENT, 'forms elsewhere are refused too');

        const { secret, step } = await enrol(visitor);
        assert.equal((await visitor.get('/admin/parametres')).statusCode, 200, 'enrolled: the portal opens');
        const status = await visitor.get(ENROLMENT);
        assert.match(status.body, /ne peut pas être désactivée/);
        assert.doesNotMatch(status.body, /id="totp-disable-form"/);

        // Next time, the code is asked like for anyone enrolled.
        await logout(visitor);
        const again = new Visitor(portal.app);
        assert.equal((await passwordStep(again, 'admin')).headers.location, '/connexion/verification');
        assert.equal((await secondStep(again, { code: codeAt(secret, step + 1) })).statusCode, 303);
        assert.equal((await again.get('/admin/parametres')).statusCode, 200);
      } finally {
        await db.execute(sql`delete from settings where key = 'adminTotpRequired'`);
        clearSettingsCache(db);
      }
    });

    test('an agent is not forced to enrol even when administrators must', async () => {
      const db = portal.database.db;
      await db.execute(sql`insert into settings (key, value) values ('adminTotpRequired', 'true'::jsonb)`);
      clearSettingsCache(db);
      try {
        const visitor = new Visitor(portal.app);
        assert.equal((await passwordStep(visitor, 'expert', PASSWORD, '/guichet')).headers.location, '/guichet');
      } finally {
        await db.execute(sql`delete from settings where key = 'adminTotpRequired'`);
        clearSettingsCache(db);
      }
    });
  });
}
