/**
 * Users administration: search and filters, changes of role and applications that take effect
 * on what the user can see, disabling that throws the user out at once, no self-demotion,
 * and an audit row with before/after for every change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { structures, users } from '../src/db/schema.js';
import { actorOf, applicationId, count, createUser, errorSummary, fieldError, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

/** Logins shown in the list's table. */
const listed = (html: string) =>
  [...html.matchAll(/<a href="\/admin\/utilisateurs\/\d+">[^<]*<\/a><\/th><td>([^<]+)<\/td>/g)].map((m) => m[1]);

for (const kind of DATABASE_KINDS) {
  describe(`users administration (${kind})`, () => {
    let portal: TestPortal;
    let admin: Visitor;

    before(async () => {
      portal = await createTestPortal(kind);
      admin = await new Visitor(portal.app).login('admin');
    });
    after(() => portal?.close());

    /** The user form as the page shows it, with some fields replaced. */
    async function userForm(id: number, changes: Record<string, string | string[]>) {
      const page = await admin.get(`/admin/utilisateurs/${id}`);
      assert.equal(page.statusCode, 200);
      const form = /<form[^>]*id="form-utilisateur"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
      const checked = (name: string) =>
        [...form.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))]
          .map((m) => m[0])
          .filter((i) => /\bchecked\b/.test(i))
          .map((i) => /value="([^"]*)"/.exec(i)?.[1] ?? '');
      const selected = /<select[^>]*name="structureId"[\s\S]*?<\/select>/
        .exec(form)?.[0]
        .match(/<option value="(\d*)"[^>]*selected/)?.[1];
      const fields: Record<string, string | string[]> = {
        _csrf: /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '',
        role: checked('role')[0] ?? '',
        requesterKind: checked('requesterKind')[0] ?? '',
        applicationIds: checked('applicationIds'),
        structureId: selected ?? '',
        status: checked('status')[0] ?? '',
        ...changes,
      };
      return fields;
    }

    async function submit(id: number, fields: Record<string, string | string[]>) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
      return portal.app.inject({
        method: 'POST',
        url: `/admin/utilisateurs/${id}`,
        headers: {
          cookie: [
            admin.cookie('guichet') && `guichet=${admin.cookie('guichet')}`,
            `guichet-csrf=${admin.cookie('guichet-csrf')}`,
          ]
            .filter(Boolean)
            .join('; '),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: params.toString(),
      });
    }

    test('the administration index has an « Utilisateurs » tile', async () => {
      const page = await admin.get('/admin');
      assert.match(page.body, /<a href="\/admin\/utilisateurs">Utilisateurs<\/a>/);
    });

    test('search by name, login and e-mail; filters by role, application, region, structure and status', async () => {
      const db = portal.database.db;
      const all = await admin.get('/admin/utilisateurs');
      assert.equal(all.statusCode, 200);
      assert.match(all.body, /<caption>/);
      for (const login of ['demandeur', 'direccte', 'agent', 'expert', 'admin'])
        assert.ok(listed(all.body).includes(login), login);

      // demandeur is Mme … of a centre in Occitanie; search by part of the name, the login, the e-mail.
      const [demandeur] = await db.select().from(users).where(eq(users.login, 'demandeur'));
      assert.ok(demandeur);
      const byName = await admin.get(`/admin/utilisateurs?q=${encodeURIComponent(demandeur.lastName.slice(0, 4).toLowerCase())}`);
      assert.ok(listed(byName.body).includes('demandeur'));
      assert.ok(!listed(byName.body).includes('agent'));
      assert.deepEqual(listed((await admin.get('/admin/utilisateurs?q=DIRECCTE')).body), ['direccte']);
      assert.deepEqual(listed((await admin.get('/admin/utilisateurs?q=expert%40demo')).body), ['expert']);
      // LIKE wildcards are taken literally.
      assert.equal(listed((await admin.get('/admin/utilisateurs?q=%25')).body).length, 0);

      assert.deepEqual(listed((await admin.get('/admin/utilisateurs?role=expert')).body), ['expert']);
      assert.deepEqual(listed((await admin.get('/admin/utilisateurs?role=requester')).body).sort(), ['demandeur', 'direccte']);

      const lonely = await createUser(db, 'filtre-appli', 'agent', ['CERES']);
      const ceres = await applicationId(db, 'CERES');
      const byApp = listed((await admin.get(`/admin/utilisateurs?application=${ceres}`)).body);
      assert.ok(byApp.includes('filtre-appli'));

      const [structure] = await db
        .select()
        .from(structures)
        .where(eq(structures.id, demandeur.structureId ?? 0));
      assert.ok(structure);
      assert.deepEqual(listed((await admin.get(`/admin/utilisateurs?region=${structure.regionId}`)).body), ['demandeur']);
      assert.deepEqual(listed((await admin.get(`/admin/utilisateurs?structure=${structure.id}`)).body), ['demandeur']);

      await db.update(users).set({ active: false }).where(eq(users.id, lonely.id));
      assert.deepEqual(listed((await admin.get('/admin/utilisateurs?statut=desactive')).body), ['filtre-appli']);
      assert.ok(!listed((await admin.get('/admin/utilisateurs?statut=actif')).body).includes('filtre-appli'));
      // Combined filters, and unknown values ignored rather than failing.
      assert.deepEqual(listed((await admin.get(`/admin/utilisateurs?role=agent&statut=desactive&application=${ceres}`)).body), [
        'filtre-appli',
      ]);
      assert.equal((await admin.get('/admin/utilisateurs?role=root&region=abc&statut=x&page=-3')).statusCode, 200);
    });

    test('the list is paginated', async () => {
      const db = portal.database.db;
      for (let i = 0; i < 30; i++) await createUser(db, `pagination-${String(i).padStart(2, '0')}`, 'requester');
      const first = await admin.get('/admin/utilisateurs?q=pagination-');
      assert.match(first.body, /30 utilisateurs trouvés/);
      assert.match(first.body, /class="fr-pagination"/);
      assert.equal(listed(first.body).length, 25);
      const second = await admin.get('/admin/utilisateurs?q=pagination-&page=2');
      assert.equal(listed(second.body).length, 5);
      assert.equal(new Set([...listed(first.body), ...listed(second.body)]).size, 30);
    });

    test('a change of role and applications takes effect on what the user sees', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'promu', 'requester', ['CERES']);
      const number = await fileAs(portal, 'demandeur', { app: 'CERES', subject: 'Visible après promotion' });
      const visitor = await new Visitor(portal.app).login('promu');
      assert.equal((await visitor.get('/guichet')).statusCode, 403);
      assert.equal((await visitor.get(`/demandes/${number}`)).statusCode, 404);

      const ceres = String(await applicationId(db, 'CERES'));
      const response = await submit(
        user.id,
        await userForm(user.id, { role: 'agent', requesterKind: '', applicationIds: [ceres] }),
      );
      assert.equal(response.statusCode, 303, response.body.slice(0, 500));
      assert.equal((await visitor.get('/guichet')).statusCode, 200);
      const page = await visitor.get(`/demandes/${number}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Visible après promotion/);

      // Without the application, the request is out of reach again.
      const other = (await db.execute(sql`select id from applications where code <> 'CERES' order by id limit 1`)).rows[0] as {
        id: number;
      };
      const moved = await submit(user.id, await userForm(user.id, { applicationIds: [String(other.id)] }));
      assert.equal(moved.statusCode, 303);
      assert.equal((await visitor.get(`/demandes/${number}`)).statusCode, 404);

      const [entry] = await rows<{
        details: { before: Record<string, unknown>; after: Record<string, unknown> };
        actor_id: number;
      }>(
        db,
        sql`select details, actor_id from audit_log where action = 'user.update' and target = ${`user:${user.id}`} order by id limit 1`,
      );
      assert.ok(entry);
      assert.equal(entry.details.before.role, 'requester');
      assert.equal(entry.details.after.role, 'agent');
      assert.equal(Number(entry.actor_id), (await actorOf(db, 'admin')).id);
      assert.doesNotMatch(JSON.stringify(entry.details), /argon2|password/i);
    });

    test('a requester needs a kind and a structure; errors are shown next to the fields', async () => {
      const user = await createUser(portal.database.db, 'sans-structure', 'agent');
      const response = await submit(
        user.id,
        await userForm(user.id, { role: 'requester', requesterKind: '', structureId: '', applicationIds: ['999999'] }),
      );
      assert.equal(response.statusCode, 422);
      assert.match(errorSummary(response.body), /Type de demandeur/);
      assert.match(fieldError(response.body, 'structureId', 'form-utilisateur'), /structure/);
      assert.match(response.body, /fr-fieldset--error/);
      const [row] = await rows(portal.database.db, sql`select role from users where id = ${user.id}`);
      assert.equal(row?.role, 'agent');
    });

    test('disabling a user throws them out at once, and the audit trail says so', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'a-desactiver', 'requester', ['CERES']);
      const visitor = await new Visitor(portal.app).login('a-desactiver');
      assert.equal((await visitor.get('/demandes')).statusCode, 200);
      const [structure] = await db.select().from(structures).limit(1);
      const response = await submit(
        user.id,
        await userForm(user.id, { status: 'disabled', requesterKind: 'centre', structureId: String(structure?.id) }),
      );
      assert.equal(response.statusCode, 303, response.body.slice(0, 500));
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${user.id}`), 0);
      const page = await visitor.get('/demandes');
      assert.equal(page.statusCode, 303);
      assert.match(page.headers.location as string, /^\/connexion/);
      await assert.rejects(new Visitor(portal.app).login('a-desactiver'));
      const [entry] = await rows<{ details: { before: { active: boolean }; after: { active: boolean } } }>(
        db,
        sql`select details from audit_log where action = 'user.disable' and target = ${`user:${user.id}`}`,
      );
      assert.equal(entry?.details.before.active, true);
      assert.equal(entry?.details.after.active, false);

      // And enabled again.
      const back = await submit(user.id, await userForm(user.id, { status: 'active' }));
      assert.equal(back.statusCode, 303);
      await new Visitor(portal.app).login('a-desactiver');
    });

    test('an administrator can neither demote nor disable themself', async () => {
      const db = portal.database.db;
      const me = await actorOf(db, 'admin');
      const demote = await submit(me.id, await userForm(me.id, { role: 'agent' }));
      assert.equal(demote.statusCode, 422);
      assert.match(fieldError(demote.body, 'role', 'form-utilisateur') || demote.body, /propre rôle d’administrateur/);
      const disable = await submit(me.id, await userForm(me.id, { status: 'disabled' }));
      assert.equal(disable.statusCode, 422);
      assert.match(disable.body, /désactiver votre propre compte/);
      const [row] = await rows(db, sql`select role, active from users where id = ${me.id}`);
      assert.deepEqual(row, { role: 'admin', active: true });
      assert.equal((await admin.get('/admin')).statusCode, 200);
    });

    test('« Renvoyer le lien d’activation » for an account not yet activated', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'pas-encore-active', 'requester');
      await db.update(users).set({ active: false, activatedAt: null }).where(eq(users.id, user.id));
      const page = await admin.get(`/admin/utilisateurs/${user.id}`);
      assert.match(page.body, /Renvoyer le lien d’activation/);
      const csrf = /<form[^>]*id="form-activation"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const sent = await admin.post(`/admin/utilisateurs/${user.id}/activation`, { _csrf: csrf });
      assert.equal(sent.statusCode, 303);
      const [mail] = await rows<{ body: string }>(
        db,
        sql`select body from outbox where to_address = 'pas-encore-active@test.localhost' and kind = 'activation'`,
      );
      assert.match(mail?.body ?? '', /http:\/\/localhost:\d+\/activation\/[A-Za-z0-9_-]{40,}/);
      assert.match(mail?.body ?? '', /Ceci est un message automatique/);
      assert.equal(
        await count(
          db,
          sql`select count(*) as n from user_tokens where user_id = ${user.id} and purpose = 'activation' and used_at is null`,
        ),
        1,
      );
      const [entry] = await rows<{ details: unknown }>(
        db,
        sql`select details from audit_log where action = 'user.activation_resent' and target = ${`user:${user.id}`}`,
      );
      assert.ok(entry);
      const token = /\/activation\/([A-Za-z0-9_-]+)/.exec(mail?.body ?? '')?.[1] ?? 'none';
      assert.ok(!JSON.stringify(entry.details).includes(token), 'no token in the audit trail');
      // An activated account has no such button, and the route refuses.
      const demandeur = await actorOf(db, 'demandeur');
      assert.doesNotMatch((await admin.get(`/admin/utilisateurs/${demandeur.id}`)).body, /Renvoyer le lien d’activation/);
      assert.equal((await admin.post(`/admin/utilisateurs/${demandeur.id}/activation`, { _csrf: csrf })).statusCode, 409);
    });

    test('an unknown user is a 404', async () => {
      assert.equal((await admin.get('/admin/utilisateurs/99999999')).statusCode, 404);
      assert.equal((await admin.get('/admin/utilisateurs/abc')).statusCode, 404);
      assert.equal((await admin.get('/admin/utilisateurs/99999999999999')).statusCode, 404);
    });
  });
}
