/**
 * Staff accounts an administrator creates: the form with its French field errors, the invitation
 * delivered over SMTP with a single-use, expiring link that sets the first password, the new
 * agent's desk limited to their applications, role and applications changes audited, the last
 * active administrator kept, and the routes closed to everyone else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createStaffAccount } from '../src/domain/accounts/staff-accounts.js';
import { ValidationError } from '../src/domain/errors.js';
import { OutboxWorker } from '../src/jobs/outbox-worker.js';
import { applicationId, count, createUser, errorSummary, fieldError, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { linkIn, MailSink, mailsTo } from './support/mail-sink.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const NEW_PASSWORD = 'une phrase de passe bien longue';

/** The error a fieldset of radios or checkboxes shows under its legend (its aria-labelledby names it). */
const fieldsetError = (html: string, name: string) =>
  (new RegExp(`id="${name}-fieldset-messages"[^>]*>([\\s\\S]*?)</div>`).exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '').trim();

for (const kind of DATABASE_KINDS) {
  describe(`staff accounts created by an administrator (${kind})`, () => {
    let portal: TestPortal;
    const sink = new MailSink();
    let deliver: () => Promise<number>;
    let admin: Visitor;
    let ceres: string;
    let other: string;

    before(async () => {
      portal = await createTestPortal(kind);
      const worker = new OutboxWorker(
        portal.database.db,
        {
          smtpUrl: `smtp://127.0.0.1:${await sink.start()}`,
          mailFrom: 'Assistance <ne-pas-repondre@assistance.localhost>',
          publicUrl: portal.config.publicUrl,
        },
        { info: () => {}, warn: () => {} },
      );
      deliver = () => worker.runOnce();
      admin = await new Visitor(portal.app).login('admin');
      ceres = String(await applicationId(portal.database.db, 'CERES'));
      other = String(await applicationId(portal.database.db, 'PORTAIL_ALTERNANCE'));
    });
    after(async () => {
      await sink.stop();
      await portal?.close();
    });

    const fields = (login: string, role: string, apps: string[] = [ceres]) => ({
      civility: 'Mme',
      firstName: 'Claire',
      lastName: `Martin-${login}`,
      login,
      email: `${login}@agents.localhost`,
      role,
      applicationIds: apps,
    });

    async function create(values: Record<string, string | string[]>, visitor = admin) {
      const params = new URLSearchParams({ _csrf: await visitor.token('/admin/utilisateurs/nouveau') });
      for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) params.append(k, one);
      return visitor.post('/admin/utilisateurs/nouveau', params);
    }

    const userId = async (login: string) =>
      (await rows<{ id: number }>(portal.database.db, sql`select id from users where login = ${login}`))[0]?.id;

    async function invitationLink(email: string) {
      await deliver();
      const mails = await mailsTo(sink, email);
      const last = mails.at(-1);
      assert.ok(last, `an invitation for ${email}`);
      return new URL(linkIn(last, '/invitation/')).pathname;
    }

    async function choosePassword(path: string, password = NEW_PASSWORD) {
      const visitor = new Visitor(portal.app);
      const page = await visitor.get(path);
      if (page.statusCode !== 200) return page;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      return visitor.post(path, { _csrf: csrf, password, passwordCheck: password });
    }

    test('the list links to « Créer un compte », whose form offers the four staff roles', async () => {
      const list = await admin.get('/admin/utilisateurs');
      assert.match(list.body, /href="\/admin\/utilisateurs\/nouveau"[^>]*>\s*Créer un compte/);
      const page = await admin.get('/admin/utilisateurs/nouveau');
      assert.equal(page.statusCode, 200);
      for (const label of ['Agent niveau 1', 'Expert niveau 2', 'Pilote', 'Administrateur'])
        assert.match(page.body, new RegExp(label));
      assert.doesNotMatch(page.body, /value="requester"/);
    });

    test('each staff role is created without a password, pending, and audited', async () => {
      for (const role of ['agent', 'expert', 'pilot', 'admin']) {
        const response = await create(fields(`cree-${role}`, role));
        assert.equal(response.statusCode, 303, response.body.slice(0, 500));
        const [user] = await rows<{ role: string; active: boolean; password_hash: string | null; apps: number }>(
          portal.database.db,
          sql`select role, active, password_hash,
                (select count(*)::int from user_applications ua where ua.user_id = u.id) as apps
              from users u where login = ${`cree-${role}`}`,
        );
        assert.equal(user?.role, role);
        assert.equal(user?.active, false);
        assert.equal(user?.password_hash, null);
        assert.equal(user?.apps, role === 'admin' ? 0 : 1);
        const id = await userId(`cree-${role}`);
        assert.match(String(response.headers.location), new RegExp(`/admin/utilisateurs/${id}\\?fait=cree`));
        assert.equal(
          await count(
            portal.database.db,
            sql`select count(*) as n from audit_log where action = 'user.create' and target = ${`user:${id}`}`,
          ),
          1,
        );
      }
    });

    test('the invitation arrives with a link that sets the password once; the agent sees only their applications', async () => {
      const subjectHere = `Visible de l’agent ${kind}`;
      const subjectElsewhere = `Hors de son périmètre ${kind}`;
      await fileAs(portal, 'demandeur', { app: 'CERES', subject: subjectHere });
      await fileAs(portal, 'demandeur', { app: 'PORTAIL_ALTERNANCE', subject: subjectElsewhere });
      assert.equal((await create(fields('nouvel-agent', 'agent'))).statusCode, 303);
      const path = await invitationLink('nouvel-agent@agents.localhost');
      const [mail] = (await mailsTo(sink, 'nouvel-agent@agents.localhost')).slice(-1);
      assert.match(mail?.text ?? '', /nouvel-agent/);
      assert.match(mail?.text ?? '', /7 jours/);

      // Opening the link uses nothing; a weak password is refused with the policy's words.
      assert.equal((await new Visitor(portal.app).get(path)).statusCode, 200);
      const weak = await choosePassword(path, 'court');
      assert.equal(weak.statusCode, 422);
      assert.match(fieldError(weak.body, 'password'), /12 caractères/);

      const done = await choosePassword(path);
      assert.equal(done.statusCode, 200, done.body.slice(0, 300));
      assert.match(done.body, /Mot de passe enregistré/);
      const again = await choosePassword(path);
      assert.equal(again.statusCode, 410);
      assert.match(again.body, /déjà été utilisé/);

      const agent = await new Visitor(portal.app).login('nouvel-agent', NEW_PASSWORD);
      const desk = await agent.get('/guichet');
      assert.equal(desk.statusCode, 200);
      assert.match(desk.body, new RegExp(subjectHere));
      assert.doesNotMatch(desk.body, new RegExp(subjectElsewhere));
      assert.equal(
        await count(portal.database.db, sql`select count(*) as n from audit_log where action = 'account.invitation_accepted'`),
        1,
      );
    });

    test('an expired invitation is refused; « Renvoyer l’invitation » sends a new link and retires the old one', async () => {
      assert.equal((await create(fields('invite-tard', 'expert'))).statusCode, 303);
      const id = await userId('invite-tard');
      const first = await invitationLink('invite-tard@agents.localhost');
      await portal.database.db.execute(
        sql`update user_tokens set expires_at = now() - interval '1 minute' where user_id = ${id} and purpose = 'invitation'`,
      );
      const expired = await choosePassword(first);
      assert.equal(expired.statusCode, 410);
      assert.match(expired.body, /expiré/);

      const page = await admin.get(`/admin/utilisateurs/${id}`);
      assert.match(page.body, /Renvoyer l’invitation/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const resent = await admin.post(`/admin/utilisateurs/${id}/invitation`, { _csrf: csrf });
      assert.equal(resent.statusCode, 303);
      const second = await invitationLink('invite-tard@agents.localhost');
      assert.notEqual(second, first);
      assert.equal((await choosePassword(second)).statusCode, 200);
      // Now that the password is chosen, nothing more to resend.
      const after = await admin.get(`/admin/utilisateurs/${id}`);
      assert.doesNotMatch(after.body, /Renvoyer l’invitation/);
      assert.equal((await admin.post(`/admin/utilisateurs/${id}/invitation`, { _csrf: csrf })).statusCode, 409);
      assert.equal(
        await count(portal.database.db, sql`select count(*) as n from audit_log where action = 'user.invitation_resent'`),
        1,
      );
    });

    test('the invitation is a template administrators edit like the others', async () => {
      const csrf = await admin.token('/admin/modeles/invitation');
      const saved = await admin.post('/admin/modeles/invitation', {
        _csrf: csrf,
        subject: 'Bienvenue {{destinataire}} sur le guichet',
        body: 'Bonjour {{destinataire}}, votre identifiant : {{identifiant}}. Choisissez votre mot de passe : {{lien}} ({{jours}} jours).',
      });
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
      assert.equal((await create(fields('modele-edite', 'pilot'))).statusCode, 303);
      const path = await invitationLink('modele-edite@agents.localhost');
      const [mail] = (await mailsTo(sink, 'modele-edite@agents.localhost')).slice(-1);
      assert.match(mail?.subject ?? '', /^Bienvenue Claire \S+ sur le guichet$/);
      assert.match(mail?.text ?? '', /votre identifiant : modele-edite\./);
      assert.match(path, /^\/invitation\//);
      // Back to the default wording for the other tests.
      assert.equal((await admin.post('/admin/modeles/invitation/defaut', { _csrf: csrf })).statusCode, 303);
    });

    test('duplicates and missing fields: French errors next to the fields, what was typed kept, nothing written', async () => {
      const before = await count(portal.database.db, sql`select count(*) as n from users`);
      const mails = await count(portal.database.db, sql`select count(*) as n from outbox`);
      const dup = await create({ ...fields('ADMIN', 'agent', [ceres, other]), email: 'autre@agents.localhost' });
      assert.equal(dup.statusCode, 422);
      assert.match(fieldError(dup.body, 'login'), /déjà utilisé/);
      assert.match(errorSummary(dup.body), /Identifiant/);
      assert.match(dup.body, /name="lastName" value="Martin-ADMIN"/);
      assert.match(dup.body, /name="email" value="autre@agents.localhost"/);
      assert.match(dup.body, new RegExp(`value="${other}" checked`));
      assert.match(dup.body, /value="agent" checked/);

      const adminEmail = (
        await rows<{ email: string }>(portal.database.db, sql`select email from users where login = 'admin'`)
      )[0]?.email;
      const dupEmail = await create({ ...fields('libre', 'agent'), email: String(adminEmail).toUpperCase() });
      assert.equal(dupEmail.statusCode, 422);
      assert.match(fieldError(dupEmail.body, 'email'), /déjà celle d’un autre compte/);

      const noApps = await create(fields('sans-app', 'agent', []));
      assert.equal(noApps.statusCode, 422);
      assert.match(fieldsetError(noApps.body, 'applicationIds'), /Choisissez au moins une application/);
      const noRole = await create({ ...fields('sans-role', 'requester') });
      assert.equal(noRole.statusCode, 422);
      assert.match(fieldsetError(noRole.body, 'role'), /Choisissez un rôle/);

      assert.equal(await count(portal.database.db, sql`select count(*) as n from users`), before);
      assert.equal(await count(portal.database.db, sql`select count(*) as n from outbox`), mails);
    });

    /** The user form's fields as shown, with some replaced. */
    async function userForm(id: number, changes: Record<string, string | string[]>) {
      const page = await admin.get(`/admin/utilisateurs/${id}`);
      const form = /<form[^>]*id="form-utilisateur"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
      const checked = (name: string) =>
        [...form.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))]
          .map((m) => m[0])
          .filter((i) => /\bchecked\b/.test(i))
          .map((i) => /value="([^"]*)"/.exec(i)?.[1] ?? '');
      const params = new URLSearchParams({
        _csrf: /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '',
        role: checked('role')[0] ?? '',
        status: checked('status')[0] ?? '',
      });
      for (const a of checked('applicationIds')) params.append('applicationIds', a);
      for (const [k, v] of Object.entries(changes)) {
        params.delete(k);
        for (const one of [v].flat()) params.append(k, one);
      }
      return params;
    }

    test('the same identifiant created twice at the same moment: one account, the other a field error', async () => {
      const [admin] = await rows<{ id: number }>(portal.database.db, sql`select id from users where login = 'admin'`);
      const fields = { civility: 'Mme', firstName: 'Léa', lastName: 'Martin', login: 'lea.simultanee', role: 'admin' };
      const create = (email: string) =>
        createStaffAccount(portal.database.db, (admin as { id: number }).id, { ...fields, email }, 'http://localhost');
      const outcomes = await Promise.allSettled([create('lea1@test.localhost'), create('lea2@test.localhost')]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      assert.ok(refused.reason instanceof ValidationError, String(refused.reason));
      assert.match(refused.reason.fields.login ?? '', /déjà utilisé/);
      assert.equal(
        await count(portal.database.db, sql`select count(*) as n from users where lower(login) = 'lea.simultanee'`),
        1,
      );
    });

    test('role and applications changes are audited with before and after', async () => {
      const user = await createUser(portal.database.db, `change-${kind}`, 'agent', ['CERES']);
      const response = await admin.post(
        `/admin/utilisateurs/${user.id}`,
        await userForm(user.id, { role: 'expert', applicationIds: [ceres, other] }),
      );
      assert.equal(response.statusCode, 303);
      const [row] = await rows<{ details: { before: Record<string, unknown>; after: Record<string, unknown> } }>(
        portal.database.db,
        sql`select details from audit_log where action = 'user.update' and target = ${`user:${user.id}`}`,
      );
      assert.equal(row?.details.before.role, 'agent');
      assert.equal(row?.details.after.role, 'expert');
      assert.deepEqual(
        row?.details.after.applicationIds,
        [Number(ceres), Number(other)].sort((a, b) => a - b),
      );
    });

    test('the last active administrator can be neither demoted nor disabled', async () => {
      const db = portal.database.db;
      // Only the demo administrator stays an active administrator.
      await db.execute(sql`update users set active = false where role = 'admin' and login <> 'admin'`);
      const id = Number(await userId('admin'));
      const snapshot = () => rows(db, sql`select role, active from users where role = 'admin' order by id`);
      const before = await snapshot();
      const demoted = await admin.post(
        `/admin/utilisateurs/${id}`,
        await userForm(id, { role: 'agent', applicationIds: [ceres] }),
      );
      assert.equal(demoted.statusCode, 422);
      assert.match(fieldsetError(demoted.body, 'role'), /dernier administrateur actif/);
      const disabled = await admin.post(`/admin/utilisateurs/${id}`, await userForm(id, { status: 'disabled' }));
      assert.equal(disabled.statusCode, 422);
      assert.match(fieldsetError(disabled.body, 'status'), /dernier administrateur actif/);
      assert.deepEqual(await snapshot(), before);

      // With a second active administrator, the other one may be demoted, but nobody demotes themself.
      const second = await createUser(db, `admin-bis-${kind}`, 'admin');
      const self = await admin.post(`/admin/utilisateurs/${id}`, await userForm(id, { status: 'disabled' }));
      assert.equal(self.statusCode, 422);
      assert.match(fieldsetError(self.body, 'status'), /votre propre compte/);
      const other = await admin.post(
        `/admin/utilisateurs/${second.id}`,
        await userForm(second.id, { role: 'pilot', applicationIds: [ceres] }),
      );
      assert.equal(other.statusCode, 303);
    });

    test('non-administrators get 403, and the form is refused without its CSRF token', async () => {
      const agent = await new Visitor(portal.app).login('agent');
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const anonymous = new Visitor(portal.app);
      const id = await userId('cree-agent');
      for (const visitor of [agent, demandeur]) {
        assert.equal((await visitor.get('/admin/utilisateurs/nouveau')).statusCode, 403);
        const csrf = await visitor.token('/');
        assert.equal(
          (
            await visitor.post('/admin/utilisateurs/nouveau', {
              _csrf: csrf,
              ...fields('intrus', 'admin'),
              applicationIds: ceres,
            })
          ).statusCode,
          403,
        );
        assert.equal((await visitor.post(`/admin/utilisateurs/${id}/invitation`, { _csrf: csrf })).statusCode, 403);
      }
      const anon = await anonymous.get('/admin/utilisateurs/nouveau');
      assert.ok([302, 303, 401, 403].includes(anon.statusCode), String(anon.statusCode));
      assert.equal(
        (await admin.post('/admin/utilisateurs/nouveau', { ...fields('sans-jeton', 'agent'), applicationIds: ceres })).statusCode,
        403,
      );
      assert.equal((await admin.post(`/admin/utilisateurs/${id}/invitation`, {})).statusCode, 403);
      assert.equal(
        await count(portal.database.db, sql`select count(*) as n from users where login in ('intrus', 'sans-jeton')`),
        0,
      );
    });
  });
}
