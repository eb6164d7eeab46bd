/**
 * The desk's day: the queue opens on what is still to handle, most urgent first, sortable, with
 * its total; it keeps its filters for the session and under saved names; an agent's home counts
 * what waits; a requester's complement marks the request until the agent opens it; a selection
 * is answered in one go, each request through its own command; « Demande suivante » goes on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { listRequests, QUEUE_SORTS } from '../src/domain/requests/list-queries.js';
import { actAs, actorOf, count, createUser, fieldError, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const numbersIn = (html: string) =>
  [...html.matchAll(/<td[^>]*><a href="\/demandes\/(\d+)">\d+<\/a><\/td>/g)].map((m) => Number(m[1]));

for (const kind of DATABASE_KINDS) {
  describe(`the desk's day (${kind})`, () => {
    let portal: TestPortal;
    let agent: Visitor;
    const filed: number[] = [];
    let blocking: number;
    let resolved: number;
    let cannedId: number;

    before(async () => {
      portal = await createTestPortal(kind);
      const db = portal.database.db;
      // An agent of one application only, so the queue holds this test's requests alone.
      await createUser(db, 'agent-revit', 'agent', ['REVITALISATION']);
      for (let i = 1; i <= 6; i++)
        filed.push(await fileAs(portal, 'demandeur', { subject: `Sirius n° ${i}`, app: 'REVITALISATION' }));
      blocking = await fileAs(portal, 'demandeur', { subject: 'Sirius bloquant', app: 'REVITALISATION', blocking: true });
      filed.push(blocking);
      resolved = filed[0] as number;
      await actAs(portal, 'agent-revit', resolved, 'resolve', { message: 'Voici la réponse.' });
      const [canned] = await rows<{ id: number }>(
        db,
        sql`insert into canned_answers (title, body) values ('Accusé groupé', 'Demande n° {{numero}} (« {{objet}} ») : c’est corrigé.') returning id`,
      );
      cannedId = (canned as { id: number }).id;
      agent = await new Visitor(portal.app).login('agent-revit');
    });
    after(() => portal?.close());

    test('the queue opens on the open requests, the soonest due first, with its total and times', async () => {
      const page = await agent.get('/guichet');
      assert.equal(page.statusCode, 200);
      const shown = numbersIn(page.body);
      assert.ok(!shown.includes(resolved), 'a treated request is not in the default list');
      assert.equal(shown.length, filed.length - 1);
      assert.equal(shown[0], blocking, 'the blocking request is due first (shorter target)');
      assert.match(page.body, /<strong>6 demandes<\/strong>/);
      assert.match(page.body, /<time datetime="[^"]+">\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/i, 'dates with their time');
      const all = numbersIn((await agent.get('/guichet?statut=toutes')).body);
      assert.ok(all.includes(resolved), '« Tous les statuts » shows it');
      assert.match((await agent.get('/guichet?statut=toutes')).body, /<strong>7 demandes<\/strong>/);
    });

    test('every order pages through the whole list, each row once, in its order', async () => {
      const actor = await actorOf(portal.database.db, 'agent-revit');
      const whole = await listRequests(portal.database.db, actor, { status: 'open' }, { limit: 100 });
      for (const key of QUEUE_SORTS) {
        for (const direction of ['asc', 'desc'] as const) {
          const seen: number[] = [];
          let cursor: string | undefined;
          do {
            const page = await listRequests(
              portal.database.db,
              actor,
              { status: 'open' },
              { limit: 2, cursor, sort: { key, direction } },
            );
            seen.push(...page.rows.map((r) => r.number));
            cursor = page.next ?? undefined;
          } while (cursor);
          assert.deepEqual([...seen].sort(), whole.rows.map((r) => r.number).sort(), `${key}-${direction}: every row once`);
          if (key === 'bloquant') assert.equal(seen[direction === 'asc' ? 0 : seen.length - 1], blocking, 'blocking first');
          if (key === 'creation') {
            const expected = [...seen].sort((a, b) => (direction === 'asc' ? a - b : b - a));
            assert.deepEqual(seen, expected, 'filing order');
          }
        }
      }
      const header = (await agent.get('/guichet?tri=maj-desc')).body;
      assert.match(header, /href="\/guichet\?tri=maj-asc" class="queue-sort queue-sort--desc">Mise à jour/);
      assert.match(header, /href="\/guichet\?tri=echeance-asc" class="queue-sort">Échéance/);
    });

    test('the filters stay for the session: the menu brings them back, « Réinitialiser » forgets them', async () => {
      const someone = await new Visitor(portal.app).login('agent-revit');
      assert.equal((await someone.get('/guichet?bloquant=oui&tri=creation-desc')).statusCode, 200);
      const back = await someone.get('/guichet');
      assert.equal(back.statusCode, 303);
      assert.equal(back.headers.location, '/guichet?bloquant=oui&tri=creation-desc');
      assert.deepEqual(numbersIn((await someone.get(String(back.headers.location))).body), [blocking]);
      const reset = await someone.get('/guichet?reinitialiser');
      assert.equal(reset.headers.location, '/guichet');
      assert.equal((await someone.get('/guichet')).statusCode, 200, 'nothing kept any more');
      const elsewhere = await new Visitor(portal.app).login('agent-revit');
      assert.equal((await elsewhere.get('/guichet')).statusCode, 200, 'another session starts with the defaults');
    });

    test('saved views: named, listed as links, replaced by the same name, refused without one, the person’s own', async () => {
      const csrf = await agent.token('/guichet?statut=');
      const saved = await agent.post('/guichet/vues', {
        _csrf: csrf,
        name: 'Bloquantes',
        path: '/guichet',
        query: 'bloquant=oui&x=1',
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/guichet?bloquant=oui&vue=enregistree');
      const page = (await agent.get('/guichet?statut=toutes')).body;
      assert.match(page, /<a class="fr-tag" href="\/guichet\?bloquant=oui">Bloquantes<\/a>/);
      await agent.post('/guichet/vues', { _csrf: csrf, name: 'bloquantes', path: '/guichet', query: 'bloquant=non' });
      const views = await rows<{ name: string; query: string }>(portal.database.db, sql`select name, query from desk_views`);
      assert.deepEqual(views, [{ name: 'Bloquantes', query: 'bloquant=non' }], 'the same name replaces the filters');
      const refused = await agent.post('/guichet/vues', { _csrf: csrf, name: '   ', path: '/guichet', query: 'niveau=2' });
      assert.equal(refused.statusCode, 422);
      assert.match(fieldError(refused.body, 'name'), /Donnez un nom à cette vue/);
      assert.match(refused.body, /id="error-summary"/);
      const colleague = await new Visitor(portal.app).login('agent');
      assert.doesNotMatch((await colleague.get('/guichet')).body, />Bloquantes<\/a>/, 'a colleague does not see it');
      const [{ id }] = (await rows<{ id: number }>(portal.database.db, sql`select id from desk_views`)) as [{ id: number }];
      const theirs = await colleague.post(`/guichet/vues/${id}/supprimer`, { _csrf: await colleague.token('/guichet') });
      assert.equal(theirs.statusCode, 404, 'nor delete it');
      const mine = await agent.post(`/guichet/vues/${id}/supprimer`, { _csrf: csrf });
      assert.equal(mine.statusCode, 303);
      assert.equal(await count(portal.database.db, sql`select count(*) as n from desk_views`), 0);
    });

    test('a complement marks the request in the queue and on the home page until the agent opens it', async () => {
      const number = filed[2] as number;
      await actAs(portal, 'agent-revit', number, 'ask_info', { message: 'Quel numéro de session ?' });
      await actAs(portal, 'demandeur', number, 'add_info', { message: 'La session 2026-14.' });
      const row = (html: string) => html.slice(html.indexOf(`href="/demandes/${number}">${number}`)).split('</tr>')[0] ?? '';
      assert.match(row((await agent.get('/guichet?statut=')).body), /Information ajoutée/);
      assert.deepEqual(numbersIn((await agent.get('/guichet/en-charge?nonlu=oui')).body), [number]);
      const home = (await agent.get('/')).body;
      assert.match(home, /Votre guichet aujourd’hui/);
      assert.match(home, /<span class="desk-counter__figure">1<\/span> <span class="desk-counter__label">Informations ajoutées/);
      assert.match(home, /<span class="desk-counter__figure">5<\/span> <span class="desk-counter__label">Nouvelles/);
      assert.ok(home.indexOf('Votre guichet aujourd’hui') < home.indexOf('Bienvenue'), 'the work before the welcome text');
      await agent.get(`/demandes/${number}`);
      assert.doesNotMatch(row((await agent.get('/guichet?statut=')).body), /Information ajoutée/, 'read once opened');
      assert.match(
        (await agent.get('/')).body,
        /<span class="desk-counter__figure">0<\/span> <span class="desk-counter__label">Informations ajoutées/,
      );
    });

    test('a selection is treated with a canned answer filled for each request; a stale one is left and said', async () => {
      const [first, second] = [filed[3] as number, filed[4] as number];
      const versions = await rows<{ number: number; version: number }>(
        portal.database.db,
        sql`select number, version from requests where number in (${first}, ${second})`,
      );
      const version = (n: number) => versions.find((v) => Number(v.number) === n)?.version ?? 0;
      await actAs(portal, 'agent', second, 'internal_note', { message: 'Vu.' });
      const csrf = await agent.token('/guichet?statut=');
      const selection = [`${first}:${version(first)}`, `${second}:${version(second)}`];
      const form = new URLSearchParams({
        _csrf: csrf,
        operation: 'resolve',
        retour: '/guichet',
        cannedAnswerId: String(cannedId),
      });
      for (const s of selection) form.append('selection', s);
      const sent = await agent.post('/guichet/selection', form);
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/guichet?selection=resolve&faites=${first}&conflits=${second}`);
      const notice = (await agent.get(String(sent.headers.location))).body;
      assert.match(notice, /1 demande\(s\) traitée\(s\)/);
      const [event] = await rows<{ body: string }>(
        portal.database.db,
        sql`select e.body from request_events e join requests r on r.id = e.request_id where r.number = ${first} and e.kind = 'resolve'`,
      );
      assert.equal(event?.body, `Demande n° ${first} (« Sirius n° 4 ») : c’est corrigé.`);
      const statuses = await rows<{ number: number; status: string }>(
        portal.database.db,
        sql`select number, status from requests where number in (${first}, ${second}) order by number`,
      );
      assert.deepEqual(
        statuses.map((s) => s.status),
        ['resolved', 'new'],
      );
      const empty = await agent.post('/guichet/selection', {
        _csrf: csrf,
        operation: 'ask_info',
        retour: '/guichet',
        selection: `${second}:99`,
      });
      assert.equal(empty.headers.location, '/guichet?selection=sans-message');
    });

    test('« Demande suivante » after an action opens the first other request of the queue as left', async () => {
      await agent.get('/guichet?tri=creation-asc');
      const number = filed[1] as number;
      const next = await agent.get(`/guichet/suivante?apres=${number}`);
      assert.equal(next.statusCode, 303);
      const open = numbersIn((await agent.get('/guichet?tri=creation-asc')).body).filter((n) => n !== number);
      assert.equal(next.headers.location, `/demandes/${open[0]}`);
      const done = (await agent.get(`/demandes/${number}?fait=1`)).body;
      assert.match(done, new RegExp(`href="/guichet/suivante\\?apres=${number}"[^>]*>\\s*Demande suivante`));
      const requester = await new Visitor(portal.app).login('demandeur');
      assert.doesNotMatch((await requester.get(`/demandes/${number}?fait=1`)).body, /Demande suivante/);
    });
  });
}
