/**
 * « Mon compte »: coordinates, e-mail change through a single-use link, password change,
 * sessions, data export and deletion request, through the pages as a person uses them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { actAs, count, createUser, errorSummary, fieldError, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from './support/portal.js';

const NEW_PASSWORD = 'cheval agrafe turquoise 42';

for (const kind of DATABASE_KINDS) {
  describe(`my account (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    const mails = (to: string) =>
      rows<{ kind: string; subject: string; body: string }>(
        portal.database.db,
        sql`select kind, subject, body from outbox where to_address = ${to} order by id`,
      );

    test('the page shows the coordinates, sessions and the links of the account', async () => {
      const visitor = await new Visitor(portal.app).login('demandeur');
      const page = await visitor.get('/mon-compte');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Format attendu : 01 22 33 44 55/);
      assert.match(page.body, /name="lastName" value="[^"]+"/);
      assert.match(page.body, /Changer mon mot de passe/);
      assert.match(page.body, /Mes sessions/);
      assert.match(page.body, /href="\/mon-compte\/donnees"/);
      assert.match(page.body, /Demander la suppression de mon compte/);
      // Two-factor authentication is for staff.
      assert.doesNotMatch(page.body, /double-authentification/);
      const agent = await new Visitor(portal.app).login('agent');
      assert.match((await agent.get('/mon-compte')).body, /href="\/mon-compte\/double-authentification"/);
    });

    test('coordinates: a bad phone number is refused next to the field, the typed values are kept', async () => {
      const user = await createUser(portal.database.db, 'coordonnees-test', 'requester');
      const visitor = await new Visitor(portal.app).login('coordonnees-test');
      const csrf = await visitor.token('/mon-compte');
      const refused = await visitor.post('/mon-compte/coordonnees', {
        _csrf: csrf,
        civility: 'Mme',
        lastName: 'Durand-Lefèvre',
        firstName: 'Élise',
        phone: '12 34',
      });
      assert.equal(refused.statusCode, 422);
      assert.match(fieldError(refused.body, 'phone', 'form-coordonnees'), /10 chiffres/);
      assert.match(refused.body, /fr-input-group--error/);
      assert.match(errorSummary(refused.body), /Téléphone/);
      assert.match(refused.body, /<title>Erreur – /);
      assert.match(refused.body, /name="lastName" value="Durand-Lefèvre"/);
      assert.match(refused.body, /name="firstName" value="Élise"/);
      assert.match(refused.body, /name="phone" value="12 34"/);
      const [unchanged] = await rows(portal.database.db, sql`select last_name, phone from users where id = ${user.id}`);
      assert.equal(unchanged?.last_name, 'coordonnees-test');

      const saved = await visitor.post('/mon-compte/coordonnees', {
        _csrf: csrf,
        civility: 'Mme',
        lastName: 'Durand-Lefèvre',
        firstName: 'Élise',
        phone: '+33 1.22.33.44.55',
      });
      assert.equal(saved.statusCode, 303);
      const [row] = await rows(
        portal.database.db,
        sql`select civility, last_name, first_name, phone from users where id = ${user.id}`,
      );
      assert.deepEqual(row, { civility: 'Mme', last_name: 'Durand-Lefèvre', first_name: 'Élise', phone: '01 22 33 44 55' });
      const page = await visitor.get(saved.headers.location as string);
      assert.match(page.body, /Vos coordonnées ont été enregistrées/);
      assert.equal(
        await count(
          portal.database.db,
          sql`select count(*) as n from audit_log where action = 'account.coordinates' and actor_id = ${user.id}`,
        ),
        1,
      );
    });

    test('e-mail change: needs the password, the link works once, the old address is told', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'courriel-test', 'requester');
      const oldEmail = 'courriel-test@test.localhost';
      const newEmail = 'nouvelle.adresse@exemple.fr';
      const visitor = await new Visitor(portal.app).login('courriel-test');
      const csrf = await visitor.token('/mon-compte');

      const wrong = await visitor.post('/mon-compte/courriel', { _csrf: csrf, email: newEmail, currentPassword: 'pas le bon' });
      assert.equal(wrong.statusCode, 422);
      assert.match(fieldError(wrong.body, 'currentPassword', 'form-courriel'), /incorrect/);
      assert.match(wrong.body, new RegExp(`name="email" value="${newEmail}"`));
      assert.equal((await mails(newEmail)).length, 0);

      const asked = await visitor.post('/mon-compte/courriel', { _csrf: csrf, email: newEmail, currentPassword: PASSWORD });
      assert.equal(asked.statusCode, 303);
      const [row] = await rows(db, sql`select email from users where id = ${user.id}`);
      assert.equal(row?.email, oldEmail, 'nothing changes before the link is used');
      const [confirm] = await mails(newEmail);
      assert.ok(confirm);
      assert.match(confirm.body, /Ceci est un message automatique/);
      const link = /http:\/\/localhost:\d+(\/mon-compte\/courriel\/[A-Za-z0-9_-]+)/.exec(confirm.body)?.[1];
      assert.ok(link, confirm.body);

      // Opening the link (a mail scanner would) changes nothing: only the button does.
      const opened = await visitor.get(link);
      assert.equal(opened.statusCode, 200);
      assert.match(opened.body, /Confirmer ma nouvelle adresse/);
      assert.equal((await visitor.get(link)).statusCode, 200);
      assert.equal((await rows(db, sql`select email from users where id = ${user.id}`))[0]?.email, oldEmail);

      // Someone else's session cannot use it.
      const other = await new Visitor(portal.app).login('demandeur');
      const otherCsrf = await other.token('/mon-compte');
      assert.equal((await other.post(link, { _csrf: otherCsrf })).statusCode, 410);

      const done = await visitor.post(link, { _csrf: csrf });
      assert.equal(done.statusCode, 303);
      assert.equal((await rows(db, sql`select email from users where id = ${user.id}`))[0]?.email, newEmail);
      const told = await mails(oldEmail);
      assert.ok(told.some((m) => m.kind === 'email_changed' && m.body.includes(newEmail)));

      const reused = await visitor.post(link, { _csrf: csrf });
      assert.equal(reused.statusCode, 410);
      assert.match(reused.body, /déjà été utilisé/);
      assert.equal((await visitor.get(link)).statusCode, 410);
    });

    test('password change: checks the policy, ends the other sessions, the old password stops working', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'motdepasse-test', 'requester');
      const here = await new Visitor(portal.app).login('motdepasse-test');
      const elsewhere = await new Visitor(portal.app).login('motdepasse-test');
      const csrf = await here.token('/mon-compte');

      const weak = await here.post('/mon-compte/mot-de-passe', {
        _csrf: csrf,
        currentPassword: PASSWORD,
        newPassword: 'court',
        confirmation: 'court',
      });
      assert.equal(weak.statusCode, 422);
      assert.match(fieldError(weak.body, 'newPassword', 'form-mot-de-passe'), /au moins 12 caractères/);
      assert.doesNotMatch(weak.body, /value="court"/, 'passwords are never sent back');

      const mismatch = await here.post('/mon-compte/mot-de-passe', {
        _csrf: csrf,
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
        confirmation: `${NEW_PASSWORD}!`,
      });
      assert.equal(mismatch.statusCode, 422);
      assert.match(fieldError(mismatch.body, 'confirmation', 'form-mot-de-passe'), /ne correspond pas/);

      const changed = await here.post('/mon-compte/mot-de-passe', {
        _csrf: csrf,
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
        confirmation: NEW_PASSWORD,
      });
      assert.equal(changed.statusCode, 303);
      assert.equal((await here.get('/mon-compte')).statusCode, 200, 'this session stays open');
      const out = await elsewhere.get('/mon-compte');
      assert.equal(out.statusCode, 303, 'the other session is ended');
      assert.match(out.headers.location as string, /^\/connexion/);
      await assert.rejects(new Visitor(portal.app).login('motdepasse-test', PASSWORD));
      await new Visitor(portal.app).login('motdepasse-test', NEW_PASSWORD);
      const [mail] = (await mails('motdepasse-test@test.localhost')).filter((m) => m.kind === 'password_changed');
      assert.ok(mail);
      assert.doesNotMatch(mail.body, new RegExp(NEW_PASSWORD));
      const [entry] = await rows<{ details: unknown }>(
        db,
        sql`select details from audit_log where action = 'account.password_changed' and actor_id = ${user.id}`,
      );
      assert.ok(entry);
      assert.doesNotMatch(JSON.stringify(entry.details), /cheval/);
    });

    test('data export: a JSON attachment with the requests and their history, never an internal note', async () => {
      const number = await fileAs(portal, 'demandeur', { subject: 'Export de mes données' });
      await actAs(portal, 'agent', number, 'take');
      await actAs(portal, 'agent', number, 'internal_note', { message: 'NOTE-INTERNE-export-3c9d' });
      await actAs(portal, 'agent', number, 'ask_info', { message: 'Quelle session est concernée ?' });
      const visitor = await new Visitor(portal.app).login('demandeur');
      const response = await visitor.get('/mon-compte/donnees');
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.match(String(response.headers['content-disposition']), /^attachment; filename="mes-donnees-[\d-]+\.json"$/);
      assert.doesNotMatch(response.body, /NOTE-INTERNE-export-3c9d/);
      const data = JSON.parse(response.body);
      assert.equal(data.profile.login, 'demandeur');
      assert.ok(data.structure?.name);
      assert.ok(Array.isArray(data.applications));
      const request = data.requests.find((r: { number: number }) => r.number === number);
      assert.ok(request);
      assert.equal(request.subject, 'Export de mes données');
      assert.ok(request.history.some((e: { body: string | null }) => e.body === 'Quelle session est concernée ?'));
      assert.ok(!JSON.stringify(data).includes('password'));
    });

    test('sessions: listed with this one marked, « Fermer les autres sessions » ends the others', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'sessions-test', 'requester');
      const here = await new Visitor(portal.app).login('sessions-test');
      const second = await new Visitor(portal.app).login('sessions-test');
      const third = await new Visitor(portal.app).login('sessions-test');
      const page = await here.get('/mon-compte');
      const table = /<table>[\s\S]*?Sessions ouvertes[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
      assert.equal((table.match(/<tr>/g) ?? []).length, 1 + 3);
      assert.equal((table.match(/Cette session/g) ?? []).length, 1);
      // Session ids are secrets: never shown.
      for (const { sid } of await rows<{ sid: string }>(db, sql`select sid from sessions where user_id = ${user.id}`)) {
        assert.ok(!page.body.includes(sid));
      }
      const csrf = await here.token('/mon-compte');
      const closed = await here.post('/mon-compte/sessions/fermer-les-autres', { _csrf: csrf });
      assert.equal(closed.statusCode, 303);
      assert.equal((await second.get('/mon-compte')).statusCode, 303);
      assert.equal((await third.get('/demandes')).statusCode, 303);
      assert.equal((await here.get('/mon-compte')).statusCode, 200);
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${user.id}`), 1);
      assert.match((await here.get('/mon-compte')).body, /Aucune autre session n’est ouverte/);
    });

    test('deletion request: recorded in the audit trail and sent to the administrators', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'suppression-test', 'requester');
      const visitor = await new Visitor(portal.app).login('suppression-test');
      const csrf = await visitor.token('/mon-compte');
      const response = await visitor.post('/mon-compte/suppression', { _csrf: csrf });
      assert.equal(response.statusCode, 303);
      assert.equal(
        await count(
          db,
          sql`select count(*) as n from audit_log where action = 'account.deletion_requested' and actor_id = ${user.id}`,
        ),
        1,
      );
      const adminMails = await mails('admin@demo.assistance.localhost');
      const mail = adminMails.find((m) => m.kind === 'account_deletion_requested');
      assert.ok(mail);
      assert.match(mail.body, new RegExp(`/admin/utilisateurs/${user.id}`));
      // The account stays usable until an administrator disables it.
      assert.equal((await visitor.get('/mon-compte')).statusCode, 200);
    });
  });
}
