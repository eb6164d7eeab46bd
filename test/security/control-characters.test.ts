/**
 * Control characters in what people send: a NUL byte made PostgreSQL refuse the statement and
 * the page answered 500. They are removed as the input arrives; a subject keeps to one line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { actionFields, fieldError, fileAs, readForm, rows } from '../support/factories.js';
import { Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`security: control characters in input (${kind})`, () => {
    let portal: TestPortal;
    let demandeur: Visitor;
    let agent: Visitor;

    before(async () => {
      portal = await createTestPortal(kind);
      demandeur = await new Visitor(portal.app).login('demandeur');
      agent = await new Visitor(portal.app).login('agent');
    });
    after(() => portal?.close());

    test('searches and filters with a NUL byte answer the page', async () => {
      for (const url of ['/guichet/nouvelle-demande?recherche=abc%00', '/guichet?recherche=a%00b', '/recherche?q=agr%00ement']) {
        assert.equal((await agent.get(url)).statusCode, 200, url);
      }
      assert.equal((await demandeur.get('/demandes?recherche=%00%01')).statusCode, 200);
      assert.equal((await new Visitor(portal.app).get('/faq?q=%00')).statusCode, 200);
    });

    test('a new request with NUL bytes in its subject and description is filed without them', async () => {
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const response = await demandeur.postMultipart('/demandes/nouvelle', {
        _csrf: form.csrf,
        token: form.token,
        subject: 'Export\u0000 bloqué',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'L’export\u0000 des sessions\u0007 échoue.\nDepuis ce matin.',
        suggestionsShown: '1',
      });
      assert.equal(response.statusCode, 303, response.body.slice(0, 300));
      const number = Number(/\/demandes\/(\d+)/.exec(String(response.headers.location))?.[1]);
      const [row] = await rows<{ subject: string; description: string }>(
        portal.database.db,
        sql`select subject, description from requests where number = ${number}`,
      );
      assert.deepEqual(row, { subject: 'Export bloqué', description: 'L’export des sessions échoue.\nDepuis ce matin.' });
    });

    test('a subject on two lines is refused next to its field, what was typed kept', async () => {
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const response = await demandeur.postMultipart('/demandes/nouvelle', {
        _csrf: form.csrf,
        token: form.token,
        subject: 'Export\r\nBcc: victime@example.com',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'L’export des sessions échoue.',
        suggestionsShown: '1',
      });
      assert.equal(response.statusCode, 422);
      assert.equal(fieldError(response.body, 'subject'), 'Le sujet doit tenir sur une ligne.');
      assert.match(response.body, /L’export des sessions échoue\.<\/textarea>/);
    });

    test('an action’s message with a NUL byte is recorded without it', async () => {
      const number = await fileAs(portal, 'demandeur');
      const form = actionFields((await demandeur.get(`/demandes/${number}`)).body, 'add_info');
      const response = await demandeur.postMultipart(`/demandes/${number}/actions`, {
        _csrf: form.csrf,
        action: 'add_info',
        version: form.version,
        token: form.token,
        message: 'Voici\u0000 le code du titre.',
      });
      assert.equal(response.statusCode, 303, response.body.slice(0, 300));
      const [event] = await rows<{ body: string }>(
        portal.database.db,
        sql`select e.body from request_events e join requests r on r.id = e.request_id
            where r.number = ${number} and e.kind = 'add_info'`,
      );
      assert.equal(event?.body, 'Voici le code du titre.');
    });

    test('a login with a NUL byte is an ordinary login', async () => {
      const visitor = new Visitor(portal.app);
      const token = await visitor.token('/connexion');
      const wrong = await visitor.post('/connexion', { _csrf: token, login: 'inconnu\u0000', password: 'x', next: '/' });
      assert.equal(wrong.statusCode, 401);
      const right = await visitor.post('/connexion', { _csrf: token, login: 'demandeur\u0000', password: PASSWORD, next: '/' });
      assert.equal(right.statusCode, 303);
    });
  });
}
