/**
 * Suggestions before filing: the best-matching FAQ entries and documents for a subject and an
 * application, as a fragment while typing and as a step of the form without JavaScript; what was
 * shown, opened and filed is recorded; the opening link goes only to our own item pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.js';
import { applicationId, count, readForm, rows } from './support/factories.js';
import { PNG, Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const SUBJECT = 'Mon agrément est bloquant';

async function insertFaq(db: Db, number: number, title: string, body: string, app: number, audience = 'users') {
  const [row] = await rows<{ id: number }>(
    db,
    sql`insert into faq_entries (number, title, body, application_id, audience, published, published_at)
        values (${number}, ${title}, ${body}, ${app}, ${audience}, true, now()) returning id`,
  );
  return Number(row?.id);
}

async function insertDocument(db: Db, title: string, summary: string, app: number, audience: string) {
  const [row] = await rows<{ id: number }>(
    db,
    sql`insert into documents (title, summary, application_id, audience, published, published_at)
        values (${title}, ${summary}, ${app}, ${audience}, true, now()) returning id`,
  );
  return Number(row?.id);
}

for (const kind of DATABASE_KINDS) {
  describe(`suggestions before filing (${kind})`, () => {
    let portal: TestPortal;
    let db: Db;
    let demandeur: Visitor;
    let ceres: number;
    let other: number;
    let faqId: number;
    let agentsDoc: number;
    let publicDoc: number;

    before(async () => {
      portal = await createTestPortal(kind);
      db = portal.database.db;
      ceres = await applicationId(db, 'CERES');
      const [app] = await rows<{ id: number }>(db, sql`select id from applications where id <> ${ceres} order by id limit 1`);
      other = Number(app?.id);
      faqId = await insertFaq(
        db,
        901,
        'Agrément bloquant : comment le débloquer',
        'Un agrément bloquant empêche la création des sessions. Demandez sa levée à votre DIRECCTE.',
        ceres,
      );
      publicDoc = await insertDocument(db, 'Guide des agréments', 'Les agréments et leurs blocages, pas à pas.', ceres, 'public');
      agentsDoc = await insertDocument(db, 'Agréments bloqués : procédure interne', 'Procédure des agents.', ceres, 'agents');
      demandeur = await new Visitor(portal.app).login('demandeur');
    });
    after(() => portal?.close());

    const fragment = (subject: string, app: number | string, token = 'jeton-de-test-0000000001') =>
      demandeur.get(
        `/demandes/suggestions?objet=${encodeURIComponent(subject)}&application=${app}&jeton=${encodeURIComponent(token)}`,
      );

    test('a matching subject and application bring the FAQ entry and the documents the requester may read', async () => {
      const response = await fragment(SUBJECT, ceres);
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /Ces réponses peuvent vous aider/);
      assert.match(response.body, new RegExp(`type=faq&amp;id=${faqId}"[^>]*target="_blank"`));
      assert.match(response.body, /title="901 - Agrément bloquant : comment le débloquer - nouvelle fenêtre"/);
      assert.match(response.body, new RegExp(`type=document&amp;id=${publicDoc}"`));
      assert.doesNotMatch(response.body, new RegExp(`type=document&amp;id=${agentsDoc}"`), 'an agents-only document');
      assert.doesNotMatch(response.body, /procédure interne/);
      // Plurals and accents folded, a partial last word while typing.
      assert.match((await fragment('agrements bloq', ceres)).body, new RegExp(`type=faq&amp;id=${faqId}"`));
    });

    test('« Non bloquant » and other generic words are neither what ranks nor what is highlighted; at most 3', async () => {
      const response = await fragment('Non bloquant - agrément', ceres);
      assert.match(response.body, /<mark>agr(é|e)ment/i);
      assert.doesNotMatch(response.body, /<mark>bloqu/i);
      assert.ok(Number(/data-suggestions-count="(\d+)"/.exec(response.body)?.[1]) <= 3);
      assert.equal((await fragment('Urgent : problème bloquant, erreur', ceres)).body, '');
      // Quotes and text search operators are only punctuation to the ranking.
      const odd = await demandeur.get(
        `/demandes/suggestions?objet=${encodeURIComponent("l'agrément \\ ':* & | ! ()")}&application=${ceres}&description=${encodeURIComponent("''\\'':*A")}`,
      );
      assert.equal(odd.statusCode, 200);
      assert.match(odd.body, /Ces réponses peuvent vous aider/);
    });

    test('the description and the theme weigh in', async () => {
      const [theme] = await rows<{ id: number }>(db, sql`select id from themes where name = 'base des contrôles'`);
      const url = (extra: string) =>
        `/demandes/suggestions?objet=${encodeURIComponent('Éditions introuvables')}&application=${ceres}${extra}&jeton=jeton-de-test-0000000002`;
      const first = (body: string) => /title="(\d+) - /.exec(body)?.[1];
      assert.equal(first((await demandeur.get(url(`&theme=${theme?.id}`))).body), '59');
      const description = encodeURIComponent('La fiche récapitulative du candidat');
      assert.equal(first((await demandeur.get(url(`&description=${description}`))).body), '57');
    });

    test('nothing for junk, a short subject, another application or no application', async () => {
      assert.equal((await fragment('xqzwv plorkt', ceres)).body, '');
      assert.equal((await fragment('ag', ceres)).body, '');
      assert.equal((await fragment(SUBJECT, other)).body, '');
      assert.equal((await fragment(SUBJECT, '')).body, '');
    });

    test('each suggestion shown is recorded once per form', async () => {
      const token = 'jeton-compte-000000000001';
      await fragment(SUBJECT, ceres, token);
      await fragment(`${SUBJECT} depuis hier`, ceres, token);
      const shown = await rows<{ item_type: string; item_id: number; n: number }>(
        db,
        sql`select item_type, item_id, count(*) as n from knowledge_suggestions
            where form_token = ${token} and kind = 'shown' group by item_type, item_id order by item_type, item_id`,
      );
      assert.ok(shown.some((r) => r.item_type === 'faq' && Number(r.item_id) === faqId));
      assert.ok(shown.every((r) => Number(r.n) === 1));
      const [one] = await rows<{ query: string; application_id: number; user_id: number }>(
        db,
        sql`select query, application_id, user_id from knowledge_suggestions where form_token = ${token} limit 1`,
      );
      assert.equal(one?.query, SUBJECT);
      assert.equal(Number(one?.application_id), ceres);
    });

    test('opening a suggestion is recorded, then leads to the item; only our own item pages', async () => {
      const token = 'jeton-ouvrir-000000000001';
      const opened = await demandeur.get(`/suggestions/ouvrir?jeton=${token}&type=faq&id=${faqId}&url=https://ailleurs.example`);
      assert.equal(opened.statusCode, 303);
      assert.equal(opened.headers.location, '/faq/901');
      const doc = await demandeur.get(`/suggestions/ouvrir?jeton=${token}&type=document&id=${publicDoc}`);
      assert.equal(doc.headers.location, `/base-documentaire/documents/${publicDoc}`);
      assert.equal(
        await count(db, sql`select count(*) as n from knowledge_suggestions where form_token = ${token} and kind = 'opened'`),
        2,
      );
      for (const url of [
        `/suggestions/ouvrir?jeton=${token}&type=https://ailleurs.example&id=1`,
        `/suggestions/ouvrir?jeton=${token}&type=//ailleurs.example&id=${faqId}`,
        `/suggestions/ouvrir?jeton=${token}&type=faq&id=abc`,
        `/suggestions/ouvrir?jeton=${token}&type=faq&id=999999`,
        `/suggestions/ouvrir?jeton=${token}&type=document&id=${agentsDoc}`,
      ]) {
        const refused = await demandeur.get(url);
        assert.equal(refused.statusCode, 404, url);
        assert.equal(refused.headers.location, undefined);
      }
      assert.equal(
        await count(db, sql`select count(*) as n from knowledge_suggestions where form_token = ${token} and kind = 'opened'`),
        2,
      );
    });

    test('without JavaScript: the first « Enregistrer » shows the suggestions, nothing saved, values and file kept; the second files once', async () => {
      const page = await demandeur.get('/demandes/nouvelle');
      const form = readForm(page.body);
      const url = '/demandes/nouvelle';
      const requestsBefore = await count(db, sql`select count(*) as n from requests`);
      const typed = {
        _csrf: form.csrf,
        token: form.token,
        subject: SUBJECT,
        blocking: 'oui',
        applicationId: String(ceres),
        themeId: '',
        problemTypeId: '',
        businessReference: 'AGR-2026-7',
        description: 'Impossible de créer une session : l’agrément est bloquant.',
        suggestionsShown: '',
      };
      const step = await demandeur.postMultipart(url, typed, [['files', 'agrement.png', PNG]]);
      assert.equal(step.statusCode, 200);
      assert.match(step.body, /Avant d’enregistrer, ces réponses peuvent vous aider/);
      assert.match(step.body, /id="suggestions-step"/);
      assert.match(step.body, new RegExp(`type=faq&amp;id=${faqId}"`));
      assert.equal(await count(db, sql`select count(*) as n from requests`), requestsBefore);
      assert.match(step.body, /value="AGR-2026-7"/);
      assert.match(step.body, /value="Mon agrément est bloquant"/);
      assert.match(step.body, /l’agrément est bloquant\.<\/textarea>/);
      assert.match(step.body, new RegExp(`name="token" value="${form.token}"`));
      const staged = /<input[^>]*name="keepFile"[^>]*value="(\d+)"[^>]*checked/.exec(step.body)?.[1];
      assert.ok(staged, 'the file is staged and offered again');
      // The step comes before the button.
      assert.ok(step.body.indexOf('id="suggestions-step"') < step.body.indexOf('>Enregistrer<'));

      const next = readForm(step.body);
      const filed = await demandeur.postMultipart(url, { ...typed, _csrf: next.csrf, keepFile: staged });
      assert.equal(filed.statusCode, 303, filed.body.slice(0, 300));
      const number = Number(/\/demandes\/(\d+)\?cree=1$/.exec(String(filed.headers.location))?.[1]);
      assert.ok(number);
      const replay = await demandeur.postMultipart(url, { ...typed, _csrf: next.csrf, keepFile: staged });
      assert.equal(replay.statusCode, 303);
      assert.equal(replay.headers.location, `/demandes/${number}?deja=1`);
      assert.equal(await count(db, sql`select count(*) as n from requests`), requestsBefore + 1);
      const [request] = await rows<{ id: number }>(db, sql`select id from requests where number = ${number}`);
      assert.equal(
        await count(db, sql`select count(*) as n from attachments where request_id = ${request?.id}`),
        1,
        'the staged file went with the request',
      );
      const filedRecords = await rows<{ request_id: number }>(
        db,
        sql`select request_id from knowledge_suggestions where form_token = ${form.token} and kind = 'filed'`,
      );
      assert.deepEqual(
        filedRecords.map((r) => Number(r.request_id)),
        [Number(request?.id)],
      );
    });

    test('suggestions seen while typing count as the step; a subject without suggestions files at once', async () => {
      for (const [subject, seen] of [
        [SUBJECT, '1'],
        ['Écran blanc après connexion xqzwv', ''],
      ] as const) {
        const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
        const response = await demandeur.postMultipart(`/demandes/nouvelle`, {
          _csrf: form.csrf,
          token: form.token,
          subject,
          blocking: 'non',
          applicationId: String(ceres),
          description: 'Une description assez longue du problème.',
          suggestionsShown: seen,
        });
        assert.equal(response.statusCode, 303, subject);
      }
    });

    test('when the suggestions cannot be read or recorded, the request is filed all the same', async () => {
      await db.execute(sql`alter table knowledge_suggestions rename to knowledge_suggestions_off`);
      try {
        const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
        const response = await demandeur.postMultipart(`/demandes/nouvelle`, {
          _csrf: form.csrf,
          token: form.token,
          subject: SUBJECT,
          blocking: 'non',
          applicationId: String(ceres),
          description: 'Une description assez longue du problème.',
        });
        assert.equal(response.statusCode, 303, response.body.slice(0, 300));
        assert.match(String(response.headers.location), /\/demandes\/\d+\?cree=1$/);
      } finally {
        await db.execute(sql`alter table knowledge_suggestions_off rename to knowledge_suggestions`);
      }
    });

    test('the new-request page has the live region; the desk’s form for a caller has none', async () => {
      const page = await demandeur.get('/demandes/nouvelle');
      assert.match(page.body, /id="suggestions-region" aria-live="polite"/);
      const agent = await new Visitor(portal.app).login('agent');
      assert.equal((await agent.get(`/demandes/suggestions?objet=agrement&application=${ceres}`)).statusCode, 403);
    });
  });
}
