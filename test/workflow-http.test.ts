/**
 * The workflow over HTTP: a transition the state machine forbids, posted straight to the
 * action endpoint, is refused and writes nothing; a stale form is a clear conflict.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actAs, actionFields, actorOf, fileAs, footprint, storedFiles } from './support/factories.js';
import { PNG, Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`workflow over HTTP (${kind})`, () => {
    let portal: TestPortal;
    let demandeur: Visitor;
    let direccte: Visitor;
    let agent: Visitor;
    let expert: Visitor;

    before(async () => {
      portal = await createTestPortal(kind);
      demandeur = await new Visitor(portal.app).login('demandeur');
      direccte = await new Visitor(portal.app).login('direccte');
      agent = await new Visitor(portal.app).login('agent');
      expert = await new Visitor(portal.app).login('expert');
    });
    after(() => portal?.close());

    /** Posts an action as the page's form would, with the page's CSRF token and version. */
    async function post(visitor: Visitor, number: number, action: string, extra: Record<string, string> = {}) {
      const page = await visitor.get(`/demandes/${number}`);
      const csrf = decodeURIComponent(
        /name="_csrf" value="([^"]+)"|_csrf=([^"&]+)/.exec(page.body)?.slice(1).find(Boolean) ?? '',
      );
      const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1';
      return visitor.post(`/demandes/${number}/actions`, {
        _csrf: csrf || (await visitor.token('/')),
        action,
        message: 'Un message.',
        version,
        ...extra,
      });
    }

    /** Asserts that `attempt` is refused with `status` and leaves the database as it was. */
    async function refusedWithoutWrites(
      number: number,
      status: number,
      attempt: () => Promise<{ statusCode: number; body: string }>,
    ) {
      const db = portal.database.db;
      const before = await footprint(db, number);
      const filesBefore = storedFiles(portal);
      const response = await attempt();
      assert.equal(response.statusCode, status, response.body.slice(0, 300));
      assert.deepEqual(await footprint(db, number), before);
      assert.deepEqual(storedFiles(portal), filesBefore);
      return response;
    }

    test('a requester posting “resolve” on their own request gets a 409 page and nothing changes', async () => {
      const number = await fileAs(portal, 'demandeur');
      const response = await refusedWithoutWrites(number, 409, () => post(demandeur, number, 'resolve'));
      assert.match(response.body, /Action impossible/);
      assert.match(response.body, /n’est pas possible/);
    });

    test('a requester posting staff actions (take, escalate, internal note, reassign) is refused', async () => {
      const number = await fileAs(portal, 'demandeur');
      for (const action of ['take', 'escalate', 'internal_note', 'reassign', 'ask_info']) {
        await refusedWithoutWrites(number, 409, () => post(demandeur, number, action, { assigneeId: '1' }));
      }
    });

    test('an agent posting “accept” on a resolved request is refused', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      await refusedWithoutWrites(number, 409, () => post(agent, number, 'accept'));
      await refusedWithoutWrites(number, 409, () => post(agent, number, 'refuse'));
    });

    test('“resolve” on a closed request is refused', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'demandeur', number, 'accept');
      const response = await refusedWithoutWrites(number, 409, () => post(agent, number, 'resolve'));
      assert.match(response.body, /n’est pas possible/);
      await refusedWithoutWrites(number, 409, () => post(demandeur, number, 'add_info'));
      await refusedWithoutWrites(number, 409, () => post(demandeur, number, 'refuse'));
    });

    test('an expert acting on a level-1 request gets the 404 of a request they cannot see', async () => {
      const number = await fileAs(portal, 'demandeur');
      await refusedWithoutWrites(number, 404, () => post(expert, number, 'take'));
    });

    test('another requester acting on the request gets a 404 and nothing changes', async () => {
      const number = await fileAs(portal, 'demandeur');
      await refusedWithoutWrites(number, 404, () => post(direccte, number, 'add_info'));
    });

    test('the scheduler’s auto-close and unknown actions cannot be posted', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      await refusedWithoutWrites(number, 404, () => post(agent, number, 'auto_close'));
      await refusedWithoutWrites(number, 404, () => post(agent, number, 'delete'));
    });

    test('a forbidden action sent with a file stores no file', async () => {
      const number = await fileAs(portal, 'demandeur');
      const csrf = await demandeur.token(`/demandes/${number}`);
      await refusedWithoutWrites(number, 409, () =>
        demandeur.postMultipart(
          `/demandes/${number}/actions`,
          { _csrf: csrf, action: 'resolve', message: 'Je me réponds.', token: 'aaaaaaaaaaaaaaaaaaaaaa-resolve' },
          [['files', 'capture.png', PNG]],
        ),
      );
    });

    test('a forbidden action without its message is still refused and writes nothing', async () => {
      const number = await fileAs(portal, 'demandeur');
      const response = await refusedWithoutWrites(number, 409, () => post(demandeur, number, 'resolve', { message: '' }));
      assert.match(response.body, /n’est pas possible/);
    });

    test('an allowed action without its message is a 422 with the error next to the field, nothing written', async () => {
      const number = await fileAs(portal, 'demandeur');
      const form = actionFields((await agent.get(`/demandes/${number}`)).body, 'resolve');
      const response = await refusedWithoutWrites(number, 422, () =>
        agent.postMultipart(`/demandes/${number}/actions`, {
          _csrf: form.csrf,
          action: 'resolve',
          version: form.version,
          token: form.token,
          message: '   ',
        }),
      );
      const resolveForm = /<form[^>]*id="form-resolve"[\s\S]*?<\/form>/.exec(response.body)?.[0] ?? '';
      assert.match(resolveForm, /Ce champ est obligatoire/);
    });

    test('a stale version gives a clear conflict, keeps the typed text and writes nothing', async () => {
      const number = await fileAs(portal, 'demandeur');
      const page = await agent.get(`/demandes/${number}`);
      const form = actionFields(page.body, 'resolve');
      // Meanwhile, somebody else takes the request.
      await actAs(portal, 'admin', number, 'take');
      const response = await refusedWithoutWrites(number, 409, () =>
        agent.post(`/demandes/${number}/actions`, {
          _csrf: form.csrf,
          action: 'resolve',
          version: form.version,
          token: form.token,
          message: 'Ma réponse soigneusement rédigée.',
        }),
      );
      assert.match(response.body, /modifiée par une autre personne/);
      assert.match(response.body, /Ma réponse soigneusement rédigée\./);
      // With the current version, the same answer goes through.
      const fresh = actionFields((await agent.get(`/demandes/${number}`)).body, 'resolve');
      const ok = await agent.post(`/demandes/${number}/actions`, {
        _csrf: fresh.csrf,
        action: 'resolve',
        version: fresh.version,
        token: fresh.token,
        message: 'Ma réponse soigneusement rédigée.',
      });
      assert.equal(ok.statusCode, 303);
    });

    test('when the other person’s action closed the form, the conflict page still shows the typed text', async () => {
      const number = await fileAs(portal, 'demandeur');
      const form = actionFields((await agent.get(`/demandes/${number}`)).body, 'ask_info');
      // Meanwhile, somebody else answers: « Demander un complément » is no longer offered.
      await actAs(portal, 'admin', number, 'resolve', { message: 'Réglé par téléphone.' });
      const response = await refusedWithoutWrites(number, 409, () =>
        agent.post(`/demandes/${number}/actions`, {
          _csrf: form.csrf,
          action: 'ask_info',
          version: form.version,
          token: form.token,
          message: 'Pouvez-vous préciser le numéro du dossier ?',
        }),
      );
      assert.doesNotMatch(response.body, /name="action" value="ask_info"/);
      assert.match(response.body, /Votre texte, que vous pouvez copier/);
      assert.match(response.body, /Pouvez-vous préciser le numéro du dossier \?/);
    });

    test('information added while « En attente de complément » puts the request back « En cours de traitement »', async () => {
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'ask_info', { message: 'Quel est le code du titre ?' });
      let page = await demandeur.get(`/demandes/${number}`);
      assert.match(page.body, /En attente de complément/);
      const form = actionFields(page.body, 'add_info');
      const response = await demandeur.postMultipart(`/demandes/${number}/actions`, {
        _csrf: form.csrf,
        action: 'add_info',
        version: form.version,
        token: form.token,
        message: 'Le code du titre est RNCP1234.',
      });
      assert.equal(response.statusCode, 303, response.body.slice(0, 300));
      page = await demandeur.get(`/demandes/${number}?fait=1`);
      assert.match(page.body, /Votre action a bien été enregistrée/);
      assert.match(page.body, /Le code du titre est RNCP1234\./);
      const { request: row } = await footprint(portal.database.db, number);
      assert.equal(row?.status, 'in_progress');
      assert.match(page.body, /En cours de traitement/);
      assert.doesNotMatch(page.body.replace(/<ol class="guichet-history"[\s\S]*<\/ol>/, ''), /En attente de complément/);
    });

    test('files sent without a form token are attached all the same, not lost', async () => {
      const number = await fileAs(portal, 'demandeur');
      const csrf = await demandeur.token(`/demandes/${number}`);
      const response = await demandeur.postMultipart(
        `/demandes/${number}/actions`,
        { _csrf: csrf, action: 'add_info', message: 'Capture jointe.' },
        [['files', 'sans-jeton.png', PNG]],
      );
      assert.equal(response.statusCode, 303, response.body.slice(0, 300));
      const page = await demandeur.get(`/demandes/${number}`);
      assert.match(page.body, /sans-jeton\.png/);
      const stored = storedFiles(portal);
      const { attachments } = await footprint(portal.database.db, number);
      assert.equal(stored.length, attachments);
    });

    test('a request can only be reassigned to staff who handle its level', async () => {
      const db = portal.database.db;
      const number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'escalate', { message: 'Pour le niveau 2.' });
      const agentId = (await actorOf(db, 'agent')).id;
      const requesterId = (await actorOf(db, 'direccte')).id;
      for (const assigneeId of [agentId, requesterId, 99999]) {
        const form = actionFields((await expert.get(`/demandes/${number}`)).body, 'reassign');
        const response = await refusedWithoutWrites(number, 409, () =>
          expert.post(`/demandes/${number}/actions`, {
            _csrf: form.csrf,
            action: 'reassign',
            version: form.version,
            token: form.token,
            assigneeId: String(assigneeId),
          }),
        );
        assert.match(response.body, /La personne choisie ne peut pas prendre en charge cette demande/);
      }
      const expertId = (await actorOf(db, 'expert')).id;
      const form = actionFields((await expert.get(`/demandes/${number}`)).body, 'reassign');
      const ok = await expert.post(`/demandes/${number}/actions`, {
        _csrf: form.csrf,
        action: 'reassign',
        version: form.version,
        token: form.token,
        assigneeId: String(expertId),
      });
      assert.equal(ok.statusCode, 303);
      assert.equal(Number((await footprint(db, number)).request?.assignee_id), expertId);
    });

    test('« Prendre en charge » asks nothing: a button of its own, the actions with a form in accordions', async () => {
      const number = await fileAs(portal, 'demandeur');
      const page = (await agent.get(`/demandes/${number}`)).body;
      const take = page.indexOf('id="form-take"');
      assert.ok(take > 0 && take < page.indexOf('fr-accordions-group'), 'before the accordions');
      assert.doesNotMatch(page, /aria-controls="accordion-take"/);
      assert.match(page, /aria-controls="accordion-resolve"/);
      assert.match(page.slice(take, page.indexOf('</form>', take)), /<button[^>]*type="submit"[^>]*>Prendre en charge</);
    });

    test('a replayed action form changes nothing the second time', async () => {
      const number = await fileAs(portal, 'demandeur');
      const form = actionFields((await agent.get(`/demandes/${number}`)).body, 'take');
      const fields = { _csrf: form.csrf, action: 'take', version: form.version, token: form.token };
      assert.equal((await agent.post(`/demandes/${number}/actions`, fields)).statusCode, 303);
      const before = await footprint(portal.database.db, number);
      assert.equal((await agent.post(`/demandes/${number}/actions`, fields)).statusCode, 303);
      assert.deepEqual(await footprint(portal.database.db, number), before);
    });
  });
}
