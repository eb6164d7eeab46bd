/**
 * The ways in: account request, approval by an administrator, activation by e-mail (delivered
 * over a real SMTP server), forgotten password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { processPasswordResets } from '../src/domain/accounts/password-reset.js';
import { OutboxWorker } from '../src/jobs/outbox-worker.js';
import { count, errorSummary, fieldError, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { linkIn, MailSink, mailsTo } from './support/mail-sink.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from './support/portal.js';

const NEW_PASSWORD = 'une phrase de passe bien longue';

for (const kind of DATABASE_KINDS) {
  describe(`account requests, activation and forgotten password (${kind})`, () => {
    let portal: TestPortal;
    const sink = new MailSink();
    let deliver: () => Promise<number>;
    let ids: { ceres: string; region: string; nature: string; type: string };

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
      const first = async (query: ReturnType<typeof sql>) =>
        String((await rows<{ id: number }>(portal.database.db, query))[0]?.id);
      ids = {
        ceres: await first(sql`select id from applications where code = 'CERES'`),
        region: await first(sql`select id from regions where name = 'Normandie'`),
        nature: await first(sql`select id from structure_natures order by position limit 1`),
        type: await first(sql`select id from structure_types order by position limit 1`),
      };
    });
    after(async () => {
      await sink.stop();
      await portal?.close();
    });

    const form = (overrides: Record<string, string> = {}) => ({
      login: 'cmartin',
      civility: 'Mme',
      lastName: 'Martin',
      firstName: 'Claire',
      email: 'claire.martin@cfa-normandie.example',
      phone: '02 31 22 33 44',
      applicationIds: ids.ceres,
      regionId: ids.region,
      structureName: 'CFA de Normandie',
      natureId: ids.nature,
      typeId: ids.type,
      password: PASSWORD_OK,
      passwordCheck: PASSWORD_OK,
      ...overrides,
    });

    async function requestAccount(values: Record<string, string>) {
      const visitor = new Visitor(portal.app);
      const csrf = await visitor.token('/demande-de-compte');
      return visitor.post('/demande-de-compte', { _csrf: csrf, ...values });
    }

    test('a refused account request shows each error next to its field and keeps what was typed, except passwords', async () => {
      const response = await requestAccount(
        form({ login: 'demandeur', phone: '12345', email: 'pas-une-adresse', password: 'court', passwordCheck: 'court' }),
      );
      assert.equal(response.statusCode, 422);
      assert.match(fieldError(response.body, 'login'), /déjà pris/);
      assert.match(fieldError(response.body, 'phone'), /01 22 33 44 55/);
      assert.match(fieldError(response.body, 'email'), /Format attendu/);
      assert.match(errorSummary(response.body), /Mot de passe/);
      assert.match(response.body, /value="CFA de Normandie"/);
      assert.doesNotMatch(response.body, /value="court"/);
      assert.equal(await count(portal.database.db, sql`select count(*) as n from account_requests`), 0);
    });

    test('the password policy refuses common passwords, the identifiant inside, and mismatches', async () => {
      const common = await requestAccount(form({ password: 'qwerty123456', passwordCheck: 'qwerty123456' }));
      assert.equal(common.statusCode, 422);
      assert.match(fieldError(common.body, 'password'), /plus courants/);
      const withLogin = await requestAccount(form({ password: 'cmartin-et-son-chat', passwordCheck: 'cmartin-et-son-chat' }));
      assert.match(fieldError(withLogin.body, 'password'), /identifiant/);
      const mismatch = await requestAccount(form({ passwordCheck: `${PASSWORD_OK}x` }));
      assert.match(fieldError(mismatch.body, 'passwordCheck'), /identiques/);
      const huge = await requestAccount(form({ password: 'x'.repeat(1024 * 1024), passwordCheck: '' }));
      assert.ok([413, 422].includes(huge.statusCode), `status ${huge.statusCode}`);
    });

    test('a newcomer requests an account, cannot log in, is validated, activates by e-mail and logs in', async () => {
      const sent = await requestAccount(form());
      assert.equal(sent.statusCode, 303, errorSummary(sent.body));
      assert.equal(sent.headers.location, '/demande-de-compte/envoyee');
      const before = new Visitor(portal.app);
      const token = await before.token('/connexion');
      assert.equal((await before.post('/connexion', { _csrf: token, login: 'cmartin', password: PASSWORD_OK })).statusCode, 401);

      const admin = await new Visitor(portal.app).login('admin');
      const list = await admin.get('/admin/demandes-de-compte');
      assert.match(list.body, /Claire MARTIN/);
      const [request] = await rows<{ id: number }>(
        portal.database.db,
        sql`select id from account_requests where login = 'cmartin'`,
      );
      const page = await admin.get(`/admin/demandes-de-compte/${request?.id}`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const approved = await admin.post(`/admin/demandes-de-compte/${request?.id}`, {
        _csrf: csrf,
        decision: 'approve',
        role: 'requester',
        requesterKind: 'centre',
        structure: 'new',
        newStructureName: 'CFA de Normandie',
      });
      assert.equal(approved.statusCode, 303);
      // Still inactive until the link is used.
      assert.equal((await before.post('/connexion', { _csrf: token, login: 'cmartin', password: PASSWORD_OK })).statusCode, 401);

      await deliver();
      const [mail] = (await mailsTo(sink, 'claire.martin@cfa-normandie.example')).filter((m) => /Activez/.test(m.subject ?? ''));
      assert.ok(mail, 'activation e-mail received');
      assert.match(mail.headers.get('auto-submitted') as string, /auto-generated/);
      assert.match(mail.text ?? '', /Ceci est un message automatique/);
      const path = new URL(linkIn(mail, '/activation/')).pathname;
      const visitor = new Visitor(portal.app);
      const opened = await visitor.get(path);
      assert.equal(opened.statusCode, 200);
      assert.match(opened.body, /Activer mon compte/);
      // Opening the link (as a mail scanner would) activates nothing.
      assert.equal(
        (await rows<{ active: boolean }>(portal.database.db, sql`select active from users where login = 'cmartin'`))[0]?.active,
        false,
      );
      const csrfActivate = /name="_csrf" value="([^"]+)"/.exec(opened.body)?.[1] ?? '';
      const activated = await visitor.post(path, { _csrf: csrfActivate });
      assert.equal(activated.statusCode, 200);
      assert.match(activated.body, /Votre compte est activé/);
      const again = await visitor.post(path, { _csrf: csrfActivate });
      assert.equal(again.statusCode, 410);
      assert.match(again.body, /déjà été utilisé/);
      await new Visitor(portal.app).login('cmartin', PASSWORD_OK);
    });

    test('an address already known is never revealed: same answer, and its holder is told', async () => {
      const response = await requestAccount(form({ login: 'autrelogin', email: 'agent@demo.assistance.localhost' }));
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/demande-de-compte/envoyee');
      assert.equal(
        await count(portal.database.db, sql`select count(*) as n from account_requests where login = 'autrelogin'`),
        0,
      );
      await deliver();
      const mails = await mailsTo(sink, 'agent@demo.assistance.localhost');
      assert.ok(mails.some((m) => /Demande de compte avec votre adresse/.test(m.subject ?? '')));
    });

    test('a refusal needs a reason, which is e-mailed', async () => {
      await requestAccount(form({ login: 'refuse-moi', email: 'refus@example.org' }));
      const [request] = await rows<{ id: number }>(
        portal.database.db,
        sql`select id from account_requests where login = 'refuse-moi'`,
      );
      const admin = await new Visitor(portal.app).login('admin');
      const csrf = await admin.token(`/admin/demandes-de-compte/${request?.id}`);
      const empty = await admin.post(`/admin/demandes-de-compte/${request?.id}`, { _csrf: csrf, decision: 'refuse', reason: '' });
      assert.equal(empty.statusCode, 422);
      assert.match(fieldError(empty.body, 'reason'), /raison/);
      const refused = await admin.post(`/admin/demandes-de-compte/${request?.id}`, {
        _csrf: csrf,
        decision: 'refuse',
        reason: 'Structure inconnue de la DIRECCTE.',
      });
      assert.equal(refused.statusCode, 303);
      await deliver();
      const [mail] = await mailsTo(sink, 'refus@example.org').then((m) =>
        m.filter((x) => /pas été acceptée/.test(x.subject ?? '')),
      );
      assert.match(mail?.text ?? '', /Structure inconnue de la DIRECCTE/);
    });

    test('forgotten password: one link, used once; the old password and the other sessions stop working', async () => {
      const other = await new Visitor(portal.app).login('direccte');
      assert.equal((await other.get('/')).statusCode, 200);
      const visitor = new Visitor(portal.app);
      const csrf = await visitor.token('/mot-de-passe-oublie');
      const sent = await visitor.post('/mot-de-passe-oublie', { _csrf: csrf, identifier: 'direccte' });
      assert.equal(sent.statusCode, 200);
      assert.match(sent.body, /Si un compte correspond/);
      await processPasswordResets(portal.database.db, portal.config.publicUrl);
      await deliver();
      const [mail] = (await mailsTo(sink, 'direccte@demo.assistance.localhost')).filter((m) =>
        /nouveau mot de passe/.test(m.subject ?? ''),
      );
      assert.ok(mail);
      const link = linkIn(mail, '/mot-de-passe/');
      assert.ok(link.startsWith(portal.config.publicUrl), 'built from the public address');
      const path = new URL(link).pathname;
      const page = await visitor.get(path);
      assert.equal(page.statusCode, 200);
      const pageCsrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const weak = await visitor.post(path, { _csrf: pageCsrf, password: 'court', passwordCheck: 'court' });
      assert.equal(weak.statusCode, 422);
      const done = await visitor.post(path, { _csrf: pageCsrf, password: NEW_PASSWORD, passwordCheck: NEW_PASSWORD });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /Mot de passe changé/);
      assert.equal(
        (await visitor.post(path, { _csrf: pageCsrf, password: NEW_PASSWORD, passwordCheck: NEW_PASSWORD })).statusCode,
        410,
      );
      assert.equal((await other.get('/')).statusCode, 303, 'the other session has ended');
      const login = new Visitor(portal.app);
      const token = await login.token('/connexion');
      assert.equal((await login.post('/connexion', { _csrf: token, login: 'direccte', password: PASSWORD })).statusCode, 401);
      await new Visitor(portal.app).login('direccte', NEW_PASSWORD);
    });
  });
}

const PASSWORD_OK = 'le jardin des tilleuls en avril';
