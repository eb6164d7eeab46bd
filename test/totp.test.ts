/**
 * Two-factor authentication, the agent's story: enrolment from « Mon compte », then every login
 * asks for a code after the password; a recovery code helps once; turning it off needs the
 * password and a code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { actorOf, fieldError, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from './support/portal.js';
import { codeAt, ENROLMENT, enrol, logout, passwordStep, secondStep } from './support/totp.js';

for (const kind of DATABASE_KINDS) {
  describe(`two-factor authentication of an agent (${kind})`, () => {
    let portal: TestPortal;
    let secret = '';
    let step = 0;
    let recoveryCodes: string[] = [];

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    test('the agent enrols from the page: QR code, secret in text, first code, ten recovery codes shown once', async () => {
      const visitor = await new Visitor(portal.app).login('agent');
      const before = await visitor.get(ENROLMENT);
      assert.equal(before.statusCode, 200);
      assert.match(before.body, /La double authentification n’est pas activée/);
      assert.match(before.body, /href="\/mon-compte"/);

      ({ secret, step, recoveryCodes } = await enrol(visitor));
      assert.equal(recoveryCodes.length, 10);
      assert.equal(new Set(recoveryCodes).size, 10);

      const status = await visitor.get(ENROLMENT);
      assert.match(status.body, /La double authentification est activée/);
      assert.match(status.body, /Codes de secours restants : 10 sur 10/);
      for (const code of recoveryCodes) assert.ok(!status.body.includes(code), 'the codes are not shown again');
      assert.ok(!status.body.includes(secret), 'nor the secret');
    });

    test('after logging out, the password alone opens no session', async () => {
      const other = new Visitor(portal.app);
      const answer = await passwordStep(other, 'agent', PASSWORD, '/guichet');
      assert.equal(answer.statusCode, 303);
      assert.equal(answer.headers.location, '/connexion/verification');
      const home = await other.get('/');
      assert.equal(home.statusCode, 303);
      assert.match(home.headers.location as string, /^\/connexion/);
      assert.equal((await other.get('/guichet')).statusCode, 303);

      const page = await other.get('/connexion/verification');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Code de vérification/);
      assert.match(page.body, /6 chiffres, affichés par votre application d’authentification/);
      assert.match(page.body, /autocomplete="one-time-code"/);
      assert.match(page.body, /inputmode="numeric"/);
      assert.match(page.body, /href="\/connexion\/verification\?secours=1"/);
    });

    test('a wrong code fails next to the field; the right code opens the session at the requested page', async () => {
      const visitor = new Visitor(portal.app);
      await passwordStep(visitor, 'agent', PASSWORD, '/guichet');
      const right = codeAt(secret, step + 1);
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      const refused = await secondStep(visitor, { code: wrong });
      assert.equal(refused.statusCode, 401);
      assert.match(fieldError(refused.body, 'code'), /Code incorrect/);
      assert.match(refused.body, /fr-input-group--error/);
      assert.equal((await visitor.get('/guichet')).statusCode, 303, 'still no session');

      const accepted = await secondStep(visitor, { code: right });
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers.location, '/guichet');
      assert.equal((await visitor.get('/guichet')).statusCode, 200);
      await logout(visitor);
    });

    test('the same code used again fails', async () => {
      const visitor = new Visitor(portal.app);
      await passwordStep(visitor, 'agent');
      const replay = await secondStep(visitor, { code: codeAt(secret, step + 1) });
      assert.equal(replay.statusCode, 401);
      assert.match(fieldError(replay.body, 'code'), /déjà été utilisé/);
      // The code given at enrolment is spent too.
      const enrolmentCode = await secondStep(visitor, { code: codeAt(secret, step) });
      assert.equal(enrolmentCode.statusCode, 401);
      assert.equal((await visitor.get('/guichet')).statusCode, 303);
    });

    test('a recovery code opens the session once, then fails', async () => {
      const code = recoveryCodes[0]!;
      const first = new Visitor(portal.app);
      await passwordStep(first, 'agent');
      const page = await first.get('/connexion/verification?secours=1');
      assert.match(page.body, /Code de secours/);
      const accepted = await secondStep(first, { recoveryCode: code.toLowerCase() });
      assert.equal(accepted.statusCode, 303);
      assert.equal((await first.get('/guichet')).statusCode, 200);
      assert.match((await first.get(ENROLMENT)).body, /Codes de secours restants : 9 sur 10/);
      await logout(first);

      const second = new Visitor(portal.app);
      await passwordStep(second, 'agent');
      const refused = await secondStep(second, { recoveryCode: code });
      assert.equal(refused.statusCode, 401);
      assert.match(fieldError(refused.body, 'recoveryCode'), /déjà été utilisé/);
      assert.equal((await second.get('/guichet')).statusCode, 303);
    });

    test('turning it off needs the password and a code; then the password is enough again', async () => {
      const visitor = new Visitor(portal.app);
      await passwordStep(visitor, 'agent');
      assert.equal((await secondStep(visitor, { recoveryCode: recoveryCodes[1]! })).statusCode, 303);

      const token = await visitor.token(ENROLMENT);
      const wrongPassword = await visitor.post(ENROLMENT, {
        _csrf: token,
        action: 'desactiver',
        password: 'pas-le-bon-mot-de-passe',
        code: recoveryCodes[2]!,
      });
      assert.equal(wrongPassword.statusCode, 422);
      assert.match(fieldError(wrongPassword.body, 'password', 'totp-disable-form'), /Mot de passe incorrect/);
      const noCode = await visitor.post(ENROLMENT, { _csrf: token, action: 'desactiver', password: PASSWORD, code: '' });
      assert.equal(noCode.statusCode, 422);
      assert.match(fieldError(noCode.body, 'code', 'totp-disable-form'), /Saisissez un code/);
      const spent = await visitor.post(ENROLMENT, {
        _csrf: token,
        action: 'desactiver',
        password: PASSWORD,
        code: recoveryCodes[0]!,
      });
      assert.equal(spent.statusCode, 422);
      assert.match(fieldError(spent.body, 'code', 'totp-disable-form'), /déjà été utilisé/);

      const off = await visitor.post(ENROLMENT, {
        _csrf: token,
        action: 'desactiver',
        password: PASSWORD,
        code: recoveryCodes[2]!,
      });
      assert.equal(off.statusCode, 303);
      assert.match((await visitor.get(off.headers.location as string)).body, /La double authentification est désactivée/);
      await logout(visitor);

      const again = new Visitor(portal.app);
      const answer = await passwordStep(again, 'agent', PASSWORD, '/guichet');
      assert.equal(answer.headers.location, '/guichet');
      assert.equal((await again.get('/guichet')).statusCode, 200);
    });

    test('each step is in the audit trail, without codes or secrets', async () => {
      const db = portal.database.db;
      const agent = await actorOf(db, 'agent');
      const trail = await rows<{ action: string; details: Record<string, unknown> }>(
        db,
        sql`select action, details from audit_log where actor_id = ${agent.id} and (action like 'totp.%' or action like 'login.second_factor.%') order by id`,
      );
      const actions = trail.map((t) => t.action);
      for (const action of [
        'totp.enrolment_started',
        'totp.enabled',
        'login.second_factor.failure',
        'login.second_factor.success',
        'totp.recovery_code.used',
        'totp.disable_failure',
        'totp.disabled',
      ]) {
        assert.ok(actions.includes(action), `${action} is recorded`);
      }
      const reasons = trail.filter((t) => t.action === 'login.second_factor.failure').map((t) => t.details.reason);
      assert.deepEqual(reasons, ['invalid', 'reused', 'reused', 'used']);
      const all = JSON.stringify(await rows(db, sql`select * from audit_log`));
      assert.ok(!all.includes(secret));
      for (const code of recoveryCodes) assert.ok(!all.includes(code));
    });
  });
}
