/**
 * The satisfaction survey of a closed request: offered to its requester once the request is closed
 * (here after « Cette réponse me convient, je clos la demande », and after « Marquer comme doublon »),
 * answered once, refused with errors next to the fields, shown to staff; not offered when the setting
 * is off, when the request is not closed, or to anybody but its requester.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { clearSettingsCache } from '../src/domain/settings/settings.js';
import { actAs, actionFields, createUser, errorSummary, fieldError, fileAs, footprint, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const SURVEY = 'Votre avis sur le traitement de cette demande (facultatif)';

async function setSetting(portal: TestPortal, key: string, value: unknown) {
  const db = portal.database.db;
  await db.execute(
    sql`insert into settings (key, value) values (${key}, ${JSON.stringify(value)}::jsonb)
        on conflict (key) do update set value = excluded.value`,
  );
  clearSettingsCache(db);
}

/** The message shown under the rating's radio buttons (its fieldset names it in aria-labelledby). */
const ratingError = (html: string) =>
  (/id="rating-fieldset-messages"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '').trim();

for (const kind of DATABASE_KINDS) {
  describe(`satisfaction survey (${kind})`, () => {
    let portal: TestPortal;
    let requester: Visitor;

    before(async () => {
      portal = await createTestPortal(kind);
      requester = await new Visitor(portal.app).login('demandeur');
    });
    after(() => portal?.close());

    const surveyOf = async (number: number) =>
      (
        await rows<{ satisfaction: number | null; satisfaction_comment: string | null }>(
          portal.database.db,
          sql`select satisfaction, satisfaction_comment from requests where number = ${number}`,
        )
      )[0];
    const post = async (visitor: Visitor, number: number, form: Record<string, string>) => {
      const page = await visitor.get(`/demandes/${number}`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? (await visitor.token('/demandes'));
      return visitor.post(`/demandes/${number}/avis`, { _csrf: csrf, ...form });
    };

    test('the answer: closing first, then the refusal under its own heading with the comment it requires', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      const page = (await requester.get(`/demandes/${number}`)).body;
      const accept = page.indexOf('id="form-accept"');
      const heading = page.indexOf('id="refuse-title"');
      const refuse = page.indexOf('id="form-refuse"');
      assert.ok(accept > 0 && accept < heading && heading < refuse, 'accept, then the heading, then the refusal');
      const acceptForm = page.slice(accept, page.indexOf('</form>', accept));
      assert.doesNotMatch(acceptForm, /<textarea/, 'closing asks for nothing');
      assert.match(page.slice(refuse, page.indexOf('</form>', refuse)), /<textarea[^>]*required/);
      assert.match(
        page,
        /<form[^>]*aria-labelledby="refuse-title"[^>]*id="form-refuse"|id="form-refuse"[^>]*aria-labelledby="refuse-title"/,
      );
    });

    test('after « Cette réponse me convient, je clos la demande » the requester lands on the survey', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      const before = await requester.get(`/demandes/${number}`);
      assert.ok(!before.body.includes(SURVEY), 'not before the request is closed');
      const fields = actionFields(before.body, 'accept');
      const accepted = await requester.post(`/demandes/${number}/actions`, {
        _csrf: fields.csrf,
        action: 'accept',
        version: fields.version,
        token: fields.token,
      });
      assert.equal(accepted.statusCode, 303);
      const landing = await requester.get(String(accepted.headers.location));
      assert.ok(landing.body.includes(SURVEY));
      assert.match(landing.body, /<label class="fr-label" for="rating-1">1 – Pas du tout satisfait<\/label>/);
      assert.match(landing.body, /<label class="fr-label" for="rating-5">5 – Très satisfait<\/label>/);
      assert.match(landing.body, /<form method="post" action="\/demandes\/\d+\/avis"/);
    });

    test('answered once: errors next to the fields first, then stored with a staff-only history event', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'demandeur', number, 'accept');

      const missing = await post(requester, number, { comment: 'Rapide, merci.' });
      assert.equal(missing.statusCode, 422);
      assert.match(missing.body, /<title>Erreur – /);
      assert.equal(ratingError(missing.body), 'Choisissez une note de 1 à 5.');
      assert.match(errorSummary(missing.body), /Note : Choisissez une note de 1 à 5/);
      assert.match(missing.body, />Rapide, merci\.<\/textarea>/, 'the comment is kept');

      const long = await post(requester, number, { rating: '4', comment: 'x'.repeat(1001) });
      assert.equal(long.statusCode, 422);
      assert.match(fieldError(long.body, 'comment'), /1 000 caractères au plus/);
      assert.match(long.body, /id="rating-4" name="rating" value="4" checked/, 'the rating is kept');
      assert.equal(ratingError(long.body), '');

      const wrong = await post(requester, number, { rating: '6' });
      assert.equal(wrong.statusCode, 422);
      assert.deepEqual(await surveyOf(number), { satisfaction: null, satisfaction_comment: null }, 'nothing written');

      const sent = await post(requester, number, { rating: '4', comment: '  Réponse claire.\r\nMerci.  ' });
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/demandes/${number}#avis`);
      assert.deepEqual(await surveyOf(number), { satisfaction: 4, satisfaction_comment: 'Réponse claire.\nMerci.' });
      const thanks = await requester.get(`/demandes/${number}`);
      assert.ok(thanks.body.includes('Merci pour votre avis.'));
      assert.ok(thanks.body.includes('4 – Satisfait'));
      assert.ok(!thanks.body.includes(SURVEY), 'the form is gone');
      assert.ok(!thanks.body.includes('Avis du demandeur : '), 'the history event is for staff');

      const again = await post(requester, number, { rating: '1', comment: 'Finalement non.' });
      assert.equal(again.statusCode, 303);
      assert.deepEqual(await surveyOf(number), { satisfaction: 4, satisfaction_comment: 'Réponse claire.\nMerci.' });
      const events = await rows<{ internal: boolean; body: string }>(
        portal.database.db,
        sql`select e.internal, e.body from request_events e join requests r on r.id = e.request_id
            where r.number = ${number} and e.kind = 'satisfaction'`,
      );
      assert.deepEqual(events, [
        { internal: true, body: 'Avis du demandeur : 4/5 (Satisfait).\nCommentaire : Réponse claire.\nMerci.' },
      ]);

      const agent = await new Visitor(portal.app).login('agent');
      const desk = await agent.get(`/demandes/${number}`);
      assert.match(desk.body, /<h2 id="survey-title" class="fr-h4">Avis du demandeur<\/h2>/);
      assert.ok(desk.body.includes('4 – Satisfait'));
      assert.ok(desk.body.includes('Avis du demandeur : 4/5 (Satisfait).'), 'in the history too');
    });

    test('offered after a close as duplicate too', async () => {
      const original = await fileAs(portal, 'demandeur', { subject: 'Première demande' });
      const duplicate = await fileAs(portal, 'demandeur', { subject: 'La même demande' });
      await actAs(portal, 'agent', duplicate, 'mark_duplicate', { duplicateOfNumber: original });
      assert.ok((await requester.get(`/demandes/${duplicate}`)).body.includes(SURVEY));
      assert.equal((await post(requester, duplicate, { rating: '2' })).statusCode, 303);
      assert.equal((await surveyOf(duplicate))?.satisfaction, 2);
    });

    test('not offered, and refused, when the request is not closed', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      assert.ok(!(await requester.get(`/demandes/${number}`)).body.includes(SURVEY));
      const refused = await post(requester, number, { rating: '5' });
      assert.equal(refused.statusCode, 409);
      assert.equal((await surveyOf(number))?.satisfaction, null);
    });

    test('not offered, and refused, when the setting is off', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'demandeur', number, 'accept');
      await setSetting(portal, 'satisfactionSurvey', false);
      try {
        assert.ok(!(await requester.get(`/demandes/${number}`)).body.includes(SURVEY));
        const before = await footprint(portal.database.db, number);
        assert.equal((await post(requester, number, { rating: '5' })).statusCode, 409);
        assert.deepEqual(await footprint(portal.database.db, number), before);
      } finally {
        await setSetting(portal, 'satisfactionSurvey', true);
      }
      assert.ok((await requester.get(`/demandes/${number}`)).body.includes(SURVEY), 'offered again once on');
    });

    test('nobody but the requester: another requester, a colleague of the structure, staff', async () => {
      const db = portal.database.db;
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'demandeur', number, 'accept');
      const colleague = await createUser(db, 'collegue-avis', 'requester', ['CERES']);
      await db.execute(
        sql`update users set structure_id = (select structure_id from users where login = 'demandeur') where id = ${colleague.id}`,
      );
      await setSetting(portal, 'shareWithinStructure', true);
      try {
        const before = await footprint(db, number);
        const mate = await new Visitor(portal.app).login('collegue-avis');
        const page = await mate.get(`/demandes/${number}`);
        assert.equal(page.statusCode, 200, 'the colleague reads the request');
        assert.ok(!page.body.includes(SURVEY));
        assert.equal((await post(mate, number, { rating: '1' })).statusCode, 404);
        const other = await new Visitor(portal.app).login('direccte');
        assert.equal((await post(other, number, { rating: '1' })).statusCode, 404);
        const admin = await new Visitor(portal.app).login('admin');
        assert.ok(!(await admin.get(`/demandes/${number}`)).body.includes(SURVEY));
        assert.equal((await post(admin, number, { rating: '1' })).statusCode, 404);
        assert.deepEqual(await footprint(db, number), before);
        assert.equal((await post(requester, number, { rating: '5' })).statusCode, 303);
        assert.ok(!(await mate.get(`/demandes/${number}`)).body.includes('5 – Très satisfait'), 'nor the answer');
      } finally {
        await setSetting(portal, 'shareWithinStructure', false);
      }
    });

    test('without a CSRF token nothing is recorded', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'demandeur', number, 'accept');
      const response = await requester.post(`/demandes/${number}/avis`, { rating: '5' });
      assert.equal(response.statusCode, 403);
      assert.equal((await surveyOf(number))?.satisfaction, null);
    });
  });
}
