/**
 * « Ressources associées »: the desk attaches and removes FAQ entries and documents, each change
 * an internal history event; the requester sees only what they may read. « Créer une FAQ à partir
 * de cette demande »: editors only, treated requests only, once, without internal notes or names.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.js';
import { actAs, applicationId, count, createUser, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

async function insertItem(db: Db, table: 'faq' | 'document', title: string, body: string, app: number, audience: string) {
  const query =
    table === 'faq'
      ? sql`insert into faq_entries (number, title, body, application_id, audience, published, published_at)
            values ((select max(number) + 1 from faq_entries), ${title}, ${body}, ${app}, ${audience}, true, now()) returning id, number`
      : sql`insert into documents (title, summary, application_id, audience, published, published_at)
            values (${title}, ${body}, ${app}, ${audience}, true, now()) returning id, null as number`;
  const [row] = await rows<{ id: number; number: number | null }>(db, query);
  return { id: Number(row?.id), number: Number(row?.number) };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

for (const kind of DATABASE_KINDS) {
  describe(`resources of a request (${kind})`, () => {
    let portal: TestPortal;
    let db: Db;
    let requester: Visitor;
    let agent: Visitor;
    let number: number;
    let faq: { id: number; number: number };
    let agentsDoc: { id: number };
    let publicDoc: { id: number };

    before(async () => {
      portal = await createTestPortal(kind);
      db = portal.database.db;
      const ceres = await applicationId(db, 'CERES');
      faq = await insertItem(db, 'faq', 'Agrément bloquant : le débloquer', 'Demandez la levée du blocage.', ceres, 'users');
      publicDoc = await insertItem(db, 'document', 'Guide des agréments', 'Les agréments pas à pas.', ceres, 'public');
      agentsDoc = await insertItem(db, 'document', 'Agréments : procédure interne', 'Réservé aux agents.', ceres, 'agents');
      number = await fileAs(portal, 'demandeur', { subject: 'Agrément bloquant', description: 'Mon agrément reste bloquant.' });
      requester = await new Visitor(portal.app).login('demandeur');
      agent = await new Visitor(portal.app).login('agent');
    });
    after(() => portal?.close());

    const post = async (who: Visitor, path: string, form: Record<string, string>) => {
      const csrf = csrfOf((await who.get('/')).body);
      return who.post(path, { _csrf: csrf, ...form });
    };
    const events = (kindName: string) =>
      rows<{ body: string; internal: boolean }>(
        db,
        sql`select e.body, e.internal from request_events e join requests r on r.id = e.request_id
            where r.number = ${number} and e.kind = ${kindName} order by e.id`,
      );

    test('the desk searches the knowledge base for a request, then attaches; each change is an internal event', async () => {
      const page = await agent.get(`/demandes/${number}/ressources?recherche=${encodeURIComponent('agréments')}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Associer une ressource à la demande n°/);
      assert.match(page.body, new RegExp(`name="type" value="faq"[^>]*>\\s*<input[^>]*name="id" value="${faq.id}"`));
      assert.match(page.body, /procédure interne/, 'agents read agents-only documents');
      for (const [type, id] of [
        ['faq', faq.id],
        ['document', agentsDoc.id],
        ['document', publicDoc.id],
        ['faq', faq.id],
      ] as const) {
        const response = await post(agent, `/demandes/${number}/ressources`, { type, id: String(id) });
        assert.equal(response.statusCode, 303);
        assert.equal(response.headers.location, `/demandes/${number}?fait=1#ressources`);
      }
      const linked = await events('resource_link');
      assert.equal(linked.length, 3, 'attaching again changes nothing');
      assert.ok(linked.every((e) => e.internal));
      assert.match(linked[0]?.body ?? '', new RegExp(`F\\.A\\.Q\\. n° ${faq.number} « Agrément bloquant`));
      const again = await agent.get(`/demandes/${number}/ressources?recherche=${encodeURIComponent('agrément bloquant')}`);
      assert.match(again.body, /Déjà associée à la demande/);
    });

    test('the requester sees the FAQ entry and the public document, never the agents-only one nor the events', async () => {
      const page = await requester.get(`/demandes/${number}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`href="/faq/${faq.number}">${faq.number} - Agrément bloquant`));
      assert.match(page.body, new RegExp(`href="/base-documentaire/documents/${publicDoc.id}">Guide des agréments`));
      assert.doesNotMatch(page.body, /procédure interne/);
      assert.doesNotMatch(page.body, new RegExp(`documents/${agentsDoc.id}"`));
      assert.doesNotMatch(page.body, /Ressource associée/);
      assert.doesNotMatch(page.body, /Retirer<span/);
      assert.doesNotMatch(page.body, /resources-search-form/);
      const staff = await agent.get(`/demandes/${number}`);
      assert.match(staff.body, /procédure interne/);
      assert.match(staff.body, /Ressource associée/);
      assert.match(staff.body, /id="resources-search-form"/);
    });

    test('requesters and agents who cannot see the request get 403 or 404; unknown items 404', async () => {
      assert.equal((await requester.get(`/demandes/${number}/ressources?recherche=agrement`)).statusCode, 403);
      assert.equal(
        (await post(requester, `/demandes/${number}/ressources`, { type: 'faq', id: String(faq.id) })).statusCode,
        403,
      );
      await createUser(db, 'agent-autre-appli', 'agent', ['ARIANE']);
      const stranger = await new Visitor(portal.app).login('agent-autre-appli');
      assert.equal((await stranger.get(`/demandes/${number}/ressources?recherche=agrement`)).statusCode, 404);
      const before = await count(db, sql`select count(*) as n from request_events`);
      const refused = await post(stranger, `/demandes/${number}/ressources/retirer`, { type: 'faq', id: String(faq.id) });
      assert.equal(refused.statusCode, 404);
      assert.equal((await post(agent, `/demandes/${number}/ressources`, { type: 'faq', id: '999999' })).statusCode, 404);
      assert.equal((await post(agent, `/demandes/${number}/ressources`, { type: 'request', id: '1' })).statusCode, 404);
      assert.equal(await count(db, sql`select count(*) as n from request_events`), before);
    });

    test('detaching removes the resource from the requester’s view, with an internal event; twice is a 404', async () => {
      const removed = await post(agent, `/demandes/${number}/ressources/retirer`, { type: 'faq', id: String(faq.id) });
      assert.equal(removed.statusCode, 303);
      assert.equal(
        (await post(agent, `/demandes/${number}/ressources/retirer`, { type: 'faq', id: String(faq.id) })).statusCode,
        404,
      );
      const unlinked = await events('resource_unlink');
      assert.equal(unlinked.length, 1);
      assert.equal(unlinked[0]?.internal, true);
      assert.doesNotMatch((await requester.get(`/demandes/${number}`)).body, new RegExp(`href="/faq/${faq.number}"`));
    });

    test('an FAQ draft from a treated request: editors only, treated only, once, without internal notes or names', async () => {
      const admin = await new Visitor(portal.app).login('admin');
      const open = await post(admin, `/demandes/${number}/faq`, {});
      assert.equal(open.statusCode, 409, 'not treated yet');
      assert.doesNotMatch((await admin.get(`/demandes/${number}`)).body, /Créer une FAQ à partir de cette demande/);
      await actAs(portal, 'agent', number, 'take');
      await actAs(portal, 'agent', number, 'internal_note', { message: 'NOTE-SECRETE : voir avec Hélène Rivière.' });
      await actAs(portal, 'agent', number, 'resolve', {
        message: 'Bonjour Hélène Rivière, le blocage est levé. Écrivez à support@exemple.fr ou appelez le 01 46 29 25 54.',
      });
      assert.equal((await post(agent, `/demandes/${number}/faq`, {})).statusCode, 403, 'an agent who is not an editor');
      assert.equal((await post(requester, `/demandes/${number}/faq`, {})).statusCode, 403);
      assert.doesNotMatch((await agent.get(`/demandes/${number}`)).body, /Créer une FAQ à partir de cette demande/);
      assert.match((await admin.get(`/demandes/${number}`)).body, /Créer une FAQ à partir de cette demande/);

      const [max] = await rows<{ n: number }>(db, sql`select max(number) as n from faq_entries`);
      const created = await post(admin, `/demandes/${number}/faq`, {});
      assert.equal(created.statusCode, 303);
      const id = Number(/^\/redaction\/faq\/(\d+)$/.exec(String(created.headers.location))?.[1]);
      assert.ok(id);
      const [entry] = await rows<Record<string, unknown>>(
        db,
        sql`select f.*, r.number as request_number from faq_entries f join requests r on r.id = f.source_request_id where f.id = ${id}`,
      );
      assert.equal(Number(entry?.request_number), number);
      assert.equal(entry?.published, false);
      assert.equal(Number(entry?.number), Number(max?.n) + 1);
      assert.equal(entry?.title, 'Agrément bloquant');
      assert.equal(Number(entry?.application_id), await applicationId(db, 'CERES'));
      const body = String(entry?.body);
      assert.match(body, /Mon agrément reste bloquant\./);
      assert.match(body, /le blocage est levé/);
      assert.ok(body.indexOf('Mon agrément') < body.indexOf('le blocage est levé'), 'the description, then the answer');
      assert.doesNotMatch(body, /NOTE-SECRETE/);
      assert.doesNotMatch(body, /Hélène|Rivière|support@exemple\.fr|01 46 29 25 54/);
      assert.equal(
        await count(
          db,
          sql`select count(*) as n from audit_log where action = 'faq.create_from_request' and target = ${`faq:${id}`}`,
        ),
        1,
      );

      const twice = await post(admin, `/demandes/${number}/faq`, {});
      assert.equal(twice.headers.location, `/redaction/faq/${id}`);
      assert.equal(
        await count(db, sql`select count(*) as n from faq_entries where source_request_id = ${entry?.source_request_id}`),
        1,
      );
      const page = (await admin.get(`/demandes/${number}`)).body;
      assert.match(page, new RegExp(`<a href="/redaction/faq/${id}">Brouillon de FAQ n° ${Number(max?.n) + 1}</a>`));
      assert.doesNotMatch(page, /Créer une FAQ à partir de cette demande/);
      assert.doesNotMatch((await requester.get(`/demandes/${number}`)).body, /Brouillon de FAQ/);
      // An unpublished draft is not readable by the requester through the public FAQ page either.
      assert.equal((await requester.get(`/faq/${Number(max?.n) + 1}`)).statusCode, 404);
    });
  });
}
