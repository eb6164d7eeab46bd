/**
 * Broken access control on requests and attachments (the helpdesks' second-largest class of
 * advisories): another structure's request answers like one that does not exist; staff see
 * only what they cover; forms ignore fields nobody may set; a disabled account stops at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { users } from '../../src/db/schema.js';
import { actorOf, count, createUser, fileAs, footprint, normalize, readForm, rows } from '../support/factories.js';
import { PNG, Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';

const MISSING = 99_999_999;

for (const kind of DATABASE_KINDS) {
  describe(`security: access control (${kind})`, () => {
    let portal: TestPortal;
    let number: number;
    let fileId: number;

    before(async () => {
      portal = await createTestPortal(kind);
      // demandeur files a request with a screenshot, through the page.
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const created = await demandeur.postMultipart(
        `/demandes/nouvelle`,
        {
          _csrf: form.csrf,
          token: form.token,
          subject: 'Agrément introuvable',
          blocking: 'non',
          applicationId: form.option('CERES'),
          description: 'L’agrément de la session de mars n’apparaît plus.',
          // The knowledge base's suggestions were seen while typing: the form files at once.
          suggestionsShown: '1',
        },
        [['files', 'capture-secrete.png', PNG]],
      );
      assert.equal(created.statusCode, 303, created.body.slice(0, 300));
      number = Number(/\/demandes\/(\d+)/.exec(created.headers.location as string)?.[1]);
      const [file] = await rows<{ id: string }>(portal.database.db, sql`select id from attachments`);
      fileId = Number(file?.id);
    });
    after(() => portal?.close());

    test('another requester gets the same 404 for the request page as for a missing number', async () => {
      const direccte = await new Visitor(portal.app).login('direccte');
      const theirs = await direccte.get(`/demandes/${number}`);
      const missing = await direccte.get(`/demandes/${MISSING}`);
      assert.equal(theirs.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      assert.equal(normalize(theirs.body, `/demandes/${number}`), normalize(missing.body, `/demandes/${MISSING}`));
      assert.doesNotMatch(theirs.body, /Agrément introuvable/);
    });

    test('… the same 404 for the attachment download', async () => {
      const direccte = await new Visitor(portal.app).login('direccte');
      const theirs = await direccte.get(`/pieces-jointes/${fileId}`);
      const missing = await direccte.get(`/pieces-jointes/${MISSING}`);
      assert.equal(theirs.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      assert.equal(normalize(theirs.body, `/pieces-jointes/${fileId}`), normalize(missing.body, `/pieces-jointes/${MISSING}`));
      // The owner does get it.
      const demandeur = await new Visitor(portal.app).login('demandeur');
      assert.equal((await demandeur.get(`/pieces-jointes/${fileId}`)).statusCode, 200);
    });

    test('… the same 404 for the action endpoint, and nothing is written', async () => {
      const direccte = await new Visitor(portal.app).login('direccte');
      const csrf = await direccte.token('/');
      const before = await footprint(portal.database.db, number);
      const fields = { _csrf: csrf, action: 'add_info', message: 'Je m’invite.', version: '1' };
      const theirs = await direccte.post(`/demandes/${number}/actions`, fields);
      const missing = await direccte.post(`/demandes/${MISSING}/actions`, fields);
      assert.equal(theirs.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      assert.equal(normalize(theirs.body, `/demandes/${number}`), normalize(missing.body, `/demandes/${MISSING}`));
      assert.deepEqual(await footprint(portal.database.db, number), before);
    });

    test('… and the request is in none of their lists', async () => {
      const direccte = await new Visitor(portal.app).login('direccte');
      for (const url of ['/', '/demandes', `/demandes?statut=new`]) {
        const page = await direccte.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.doesNotMatch(page.body, /Agrément introuvable/, url);
        assert.doesNotMatch(page.body, new RegExp(String(number)), url);
      }
      assert.equal((await direccte.get('/guichet')).statusCode, 403);
    });

    test('an agent covering no application sees no request, file or action', async () => {
      await createUser(portal.database.db, 'agent-sans-application', 'agent');
      const agent = await new Visitor(portal.app).login('agent-sans-application');
      const page = await agent.get(`/demandes/${number}`);
      assert.equal(page.statusCode, 404);
      assert.equal(
        normalize(page.body, `/demandes/${number}`),
        normalize((await agent.get(`/demandes/${MISSING}`)).body, `/demandes/${MISSING}`),
      );
      assert.equal((await agent.get(`/pieces-jointes/${fileId}`)).statusCode, 404);
      const desk = await agent.get('/guichet');
      assert.equal(desk.statusCode, 200);
      assert.doesNotMatch(desk.body, /Agrément introuvable/);
      const before = await footprint(portal.database.db, number);
      const csrf = await agent.token('/guichet');
      const take = await agent.post(`/demandes/${number}/actions`, { _csrf: csrf, action: 'take', version: '1' });
      assert.equal(take.statusCode, 404);
      assert.deepEqual(await footprint(portal.database.db, number), before);
    });

    test('an expert does not see a level-1 request of an application they cover', async () => {
      const expert = await new Visitor(portal.app).login('expert');
      assert.equal((await expert.get(`/demandes/${number}`)).statusCode, 404);
      assert.equal((await expert.get(`/pieces-jointes/${fileId}`)).statusCode, 404);
    });

    test('requesters cannot reach the desk or the administration', async () => {
      const demandeur = await new Visitor(portal.app).login('demandeur');
      assert.equal((await demandeur.get('/admin')).statusCode, 403);
      assert.equal((await demandeur.get('/admin/courriels')).statusCode, 403);
      const agent = await new Visitor(portal.app).login('agent');
      assert.equal((await agent.get('/admin/parametres')).statusCode, 403);
      assert.equal((await agent.get('/demandes/nouvelle')).statusCode, 403);
      const anonymous = new Visitor(portal.app);
      for (const url of ['/', '/guichet', '/admin', `/demandes/${number}`, `/pieces-jointes/${fileId}`]) {
        const response = await anonymous.get(url);
        assert.equal(response.statusCode, 303, url);
        assert.match(response.headers.location as string, /^\/connexion/, url);
      }
    });

    test('users administration, account creation and invitations included, refuses every other role', async () => {
      const target = (await rows<{ id: number }>(portal.database.db, sql`select id from users where login = 'agent'`))[0]?.id;
      const routes = portal.app.routeTable.filter((r) => /^(GET|POST) \/admin\/utilisateurs/.test(r));
      assert.ok(
        routes.includes('POST /admin/utilisateurs/nouveau') && routes.includes('POST /admin/utilisateurs/:id/invitation'),
      );
      for (const login of ['demandeur', 'agent', 'expert', 'pilote']) {
        const visitor = await new Visitor(portal.app).login(login);
        const csrf = await visitor.token('/mentions-legales');
        for (const route of routes) {
          const [method, path] = route.split(' ') as [string, string];
          const url = path.replace(':id', String(target));
          const response =
            method === 'GET'
              ? await visitor.get(url)
              : await visitor.post(url, { _csrf: csrf, role: 'admin', login: 'intrus', status: 'active' });
          assert.equal(response.statusCode, 403, `${login}: ${route}`);
        }
      }
      assert.equal(
        await count(
          portal.database.db,
          sql`select count(*) as n from users where login = 'intrus' or (login = 'agent' and role = 'admin')`,
        ),
        0,
      );
    });

    test('deny by default: every route but the public ones sends an anonymous visitor to the login', async () => {
      const PUBLIC = new Set([
        'GET /connexion',
        'POST /connexion',
        'POST /deconnexion',
        'GET /demande-de-compte',
        'POST /demande-de-compte',
        'GET /demande-de-compte/envoyee',
        'GET /activation/:token',
        'POST /activation/:token',
        'GET /mot-de-passe-oublie',
        'POST /mot-de-passe-oublie',
        'GET /mot-de-passe/:token',
        'POST /mot-de-passe/:token',
        // The invitation of an account an administrator created: its own single-use token is the key.
        'GET /invitation/:token',
        'POST /invitation/:token',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'GET /mentions-legales',
        'GET /donnees-personnelles',
        'GET /cookies',
        'GET /accessibilite',
        'GET /base-documentaire',
        // Documents check their audience themselves: an unknown or unreadable one is a 404.
        'GET /base-documentaire/documents/:id',
        'GET /base-documentaire/documents/:id/fichier',
        'GET /base-documentaire/documents/:id/versions/:version',
        // The FAQ and news filter by audience in SQL: anonymous visitors read the public ones.
        'GET /faq',
        'GET /faq/:number',
        'GET /actualites',
        // The search reads through the same audience rules; requests only for staff.
        'GET /recherche',
      ]);
      const routes = portal.app.routeTable;
      assert.ok(routes.length > 20, routes.join(' '));
      const anonymous = new Visitor(portal.app);
      const csrf = await anonymous.token('/connexion');
      const checked: string[] = [];
      for (const route of routes) {
        // The design system's and the portal's static files are public (their path carries their version).
        if (PUBLIC.has(route) || route.startsWith('HEAD ') || /^GET \/(dsfr|static)\//.test(route)) continue;
        const [method, path] = route.split(' ') as [string, string];
        const url = path.replace(/:[a-z]+/gi, String(number));
        const response =
          method === 'GET' ? await anonymous.get(url) : await anonymous.post(url, { _csrf: csrf, action: 'take', message: 'x' });
        assert.equal(response.statusCode, 303, route);
        assert.match(String(response.headers.location), /^\/connexion/, route);
        checked.push(route);
      }
      assert.ok(checked.includes('POST /demandes/:number/actions') && checked.includes('GET /pieces-jointes/:id'));
    });

    test('mass assignment: status, level, requester, assignee… sent with a new request are ignored', async () => {
      const db = portal.database.db;
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const direccte = await actorOf(db, 'direccte');
      const agent = await actorOf(db, 'agent');
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const response = await demandeur.postMultipart(`/demandes/nouvelle`, {
        _csrf: form.csrf,
        token: form.token,
        subject: 'Champs en trop',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'Une demande avec des champs que personne ne peut fixer.',
        status: 'closed',
        level: '2',
        requesterId: String(direccte.id),
        createdById: String(direccte.id),
        assigneeId: String(agent.id),
        structureId: String(direccte.structureId),
        channel: 'api',
        version: '42',
        number: '1',
        id: '1',
      });
      assert.equal(response.statusCode, 303, response.body.slice(0, 300));
      const created = Number(/\/demandes\/(\d+)/.exec(response.headers.location as string)?.[1]);
      const me = await actorOf(db, 'demandeur');
      const [row] = await rows(db, sql`select * from requests where number = ${created}`);
      assert.equal(row?.status, 'new');
      assert.equal(Number(row?.level), 1);
      assert.equal(row?.assignee_id, null);
      assert.equal(Number(row?.requester_id), me.id);
      assert.equal(Number(row?.created_by_id), me.id);
      assert.equal(Number(row?.structure_id), me.structureId);
      assert.equal(row?.channel, 'portail');
      assert.equal(Number(row?.version), 1);
      assert.notEqual(created, 1);
    });

    test('mass assignment: status, level and assignee sent with an action are ignored', async () => {
      const db = portal.database.db;
      const own = await fileAs(portal, 'demandeur');
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const agent = await actorOf(db, 'agent');
      const csrf = await demandeur.token(`/demandes/${own}`);
      const response = await demandeur.post(`/demandes/${own}/actions`, {
        _csrf: csrf,
        action: 'add_info',
        message: 'Une précision.',
        status: 'closed',
        level: '2',
        assigneeId: String(agent.id),
        requesterId: '1',
      });
      assert.equal(response.statusCode, 303);
      const [row] = await rows(db, sql`select * from requests where number = ${own}`);
      assert.equal(row?.status, 'new');
      assert.equal(Number(row?.level), 1);
      assert.equal(row?.assignee_id, null);
    });

    test('a disabled user’s session stops working at once', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'demandeur-bientot-desactive', 'requester', ['CERES']);
      const visitor = await new Visitor(portal.app).login('demandeur-bientot-desactive');
      assert.equal((await visitor.get('/demandes')).statusCode, 200);
      const csrf = await visitor.token('/demandes/nouvelle');
      await db.update(users).set({ active: false }).where(eq(users.id, user.id));
      const page = await visitor.get('/demandes');
      assert.equal(page.statusCode, 303);
      assert.match(page.headers.location as string, /^\/connexion/);
      // The session is gone from the store, and a form sent with it files nothing.
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${user.id}`), 0);
      const before = await count(db, sql`select count(*) as n from requests`);
      const post = await visitor.postMultipart(`/demandes/nouvelle`, {
        _csrf: csrf,
        subject: 'Après désactivation',
        blocking: 'non',
        applicationId: String(user.applicationIds[0]),
        description: 'Cette demande ne doit pas être enregistrée.',
      });
      assert.equal(post.statusCode, 303);
      assert.match(post.headers.location as string, /^\/connexion/);
      assert.equal(await count(db, sql`select count(*) as n from requests`), before);
      // And the account cannot log in again, even with its password.
      const again = new Visitor(portal.app);
      const token = await again.token('/connexion');
      const login = await again.post('/connexion', { _csrf: token, login: 'demandeur-bientot-desactive', password: PASSWORD });
      assert.equal(login.statusCode, 401);
    });
  });
}

/** "METHOD /path" of every route, read from Fastify's route tree. */
