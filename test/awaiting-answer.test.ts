/**
 * A requester asked for a complement finds it where they look: the home page lists the requests
 * the desk waits on them for, « Mes demandes » marks them, and the request page shows the desk's
 * question first, the answer box right under it. Once they have answered, all of it goes away.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actAs, fileAs } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const QUESTION = 'Quel est le numéro de la session concernée ?';

/** Where `needle` first appears in `html`; fails when it does not. */
function at(html: string, needle: string): number {
  const index = html.indexOf(needle);
  assert.ok(index >= 0, `« ${needle} » is on the page`);
  return index;
}

for (const kind of DATABASE_KINDS) {
  describe(`a request awaiting the requester's answer (${kind})`, () => {
    let portal: TestPortal;
    let waiting: number;
    let other: number;
    let requester: Visitor;

    before(async () => {
      portal = await createTestPortal(kind);
      waiting = await fileAs(portal, 'demandeur', { subject: 'Attestation introuvable' });
      other = await fileAs(portal, 'demandeur', { subject: 'Export des candidats' });
      await actAs(portal, 'agent', waiting, 'ask_info', { message: QUESTION });
      requester = await new Visitor(portal.app).login('demandeur');
    });
    after(() => portal?.close());

    test('the home page lists it first, with the button to file a new request above the welcome text', async () => {
      const home = (await requester.get('/')).body;
      const callout = at(home, 'L’assistance attend votre réponse');
      assert.ok(callout < at(home, 'Bienvenue'), 'before the welcome text');
      assert.ok(at(home, 'Déposer une nouvelle demande') < at(home, 'Bienvenue'));
      assert.match(home, new RegExp(`href="/demandes/${waiting}">Demande n° ${waiting} : Attestation introuvable</a>`));
      assert.doesNotMatch(home, new RegExp(`>Demande n° ${other} :`), 'only the waiting one');
    });

    test('« Mes demandes » marks it, and only it', async () => {
      const list = (await requester.get('/demandes')).body;
      assert.equal(list.match(/En attente de votre réponse/g)?.length, 1);
      const row = list.slice(list.indexOf(`href="/demandes/${waiting}"`));
      assert.match(row.slice(0, row.indexOf('</tr>')), /En attente de votre réponse/);
    });

    test('the request page shows the question, then the answer box, then the description', async () => {
      const page = (await requester.get(`/demandes/${waiting}`)).body;
      const question = at(page, 'id="question-title"');
      assert.ok(question < at(page, QUESTION), 'the question under its heading');
      assert.ok(at(page, QUESTION) < at(page, 'id="form-add_info"'), 'the answer box under the question');
      assert.ok(at(page, 'id="form-add_info"') < at(page, 'id="description-title"'), 'the description after');
    });

    test('the desk sees its question in the history only', async () => {
      const agent = await new Visitor(portal.app).login('agent');
      const page = (await agent.get(`/demandes/${waiting}`)).body;
      assert.doesNotMatch(page, /id="question-title"/);
      assert.ok(at(page, 'id="description-title"') < at(page, QUESTION));
    });

    test('another requester is told nothing', async () => {
      const direccte = await new Visitor(portal.app).login('direccte');
      assert.doesNotMatch((await direccte.get('/')).body, /L’assistance attend votre réponse/);
    });

    test('once answered, the home page, the list and the page no longer ask', async () => {
      await actAs(portal, 'demandeur', waiting, 'add_info', { message: 'La session 2019-014.' });
      assert.doesNotMatch((await requester.get('/')).body, /L’assistance attend votre réponse/);
      assert.doesNotMatch((await requester.get('/demandes')).body, /En attente de votre réponse/);
      const page = (await requester.get(`/demandes/${waiting}`)).body;
      assert.doesNotMatch(page, /id="question-title"/);
      assert.ok(at(page, 'id="description-title"') < at(page, 'id="form-add_info"'), 'the answer box back in its place');
    });
  });
}
