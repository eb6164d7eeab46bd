/**
 * « Demandes liées » and duplicates over HTTP: the desk links and unlinks requests (internal
 * events in both histories), mistakes are shown next to the field with nothing written, requesters
 * see only the linked requests they may see, and « Marquer comme doublon » closes with a pointer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { actAs, count, createUser, errorSummary, fieldError, fileAs, footprint, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`linked requests and duplicates (${kind})`, () => {
    let portal: TestPortal;
    let demandeur: Visitor;
    let direccte: Visitor;
    let agent: Visitor;
    let outsider: Visitor;

    before(async () => {
      portal = await createTestPortal(kind);
      // An agent of another application only: CERES requests are out of their sight.
      await createUser(portal.database.db, 'agent-alt', 'agent', ['PORTAIL_ALTERNANCE']);
      demandeur = await new Visitor(portal.app).login('demandeur');
      direccte = await new Visitor(portal.app).login('direccte');
      agent = await new Visitor(portal.app).login('agent');
      outsider = await new Visitor(portal.app).login('agent-alt');
    });
    after(() => portal?.close());

    const db = () => portal.database.db;

    async function link(visitor: Visitor, number: number, typed: string) {
      const csrf = await visitor.token(`/demandes/${number}`);
      return visitor.post(`/demandes/${number}/liens`, { _csrf: csrf, linkNumber: typed });
    }

    async function markDuplicate(visitor: Visitor, number: number, original: string, message = '') {
      const page = (await visitor.get(`/demandes/${number}`)).body;
      const form = /<form[^>]*id="duplicate-form"[\s\S]*?<\/form>/.exec(page)?.[0] ?? '';
      const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '';
      assert.ok(form, 'the page offers « Marquer comme doublon »');
      return visitor.post(`/demandes/${number}/actions`, {
        _csrf: value('_csrf'),
        action: 'mark_duplicate',
        version: value('version'),
        token: value('token'),
        duplicateOfNumber: original,
        message,
      });
    }

    const linkedSection = (html: string) => /<h3[^>]*id="linked-title"[\s\S]*?(?=<h2|<\/section>)/.exec(html)?.[0] ?? '';
    const events = (number: number, kind: string) =>
      rows<{ body: string; internal: boolean }>(
        db(),
        sql`select e.body, e.internal from request_events e join requests r on r.id = e.request_id
            where r.number = ${number} and e.kind = ${kind} order by e.id`,
      );

    test('an agent links two requests: each lists the other, both histories have an internal event', async () => {
      const a = await fileAs(portal, 'demandeur', { subject: 'Export des sessions vide' });
      const b = await fileAs(portal, 'demandeur', { subject: 'Export des candidats vide' });
      const response = await link(agent, a, ` ${b} `);
      assert.equal(response.statusCode, 303);
      const pageA = (await agent.get(`/demandes/${a}`)).body;
      assert.match(linkedSection(pageA), new RegExp(`href="/demandes/${b}">n° ${b} - Export des candidats vide</a>`));
      assert.match(linkedSection(pageA), /Nouvelle/);
      assert.match(linkedSection((await agent.get(`/demandes/${b}`)).body), new RegExp(`href="/demandes/${a}"`));
      assert.deepEqual(await events(a, 'link'), [{ body: `Demande liée à la n° ${b}.`, internal: true }]);
      assert.deepEqual(await events(b, 'link'), [{ body: `Demande liée à la n° ${a}.`, internal: true }]);
      assert.match(pageA, new RegExp(`Demande liée à la n° ${b}`));
      // The pair is stored once, smallest id first.
      const stored = await rows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from request_links l join requests r1 on r1.id = l.request_id
            join requests r2 on r2.id = l.linked_request_id where r1.number = ${Math.min(a, b)} and r2.number = ${Math.max(a, b)}`,
      );
      assert.equal(stored[0]?.n, 1);

      // The requester sees the link (both are theirs) but not the internal event.
      const mine = (await demandeur.get(`/demandes/${a}`)).body;
      assert.match(linkedSection(mine), new RegExp(`href="/demandes/${b}"`));
      assert.doesNotMatch(mine, /Demande liée à la n°/);
      assert.doesNotMatch(mine, /Retirer le lien|Lier à la demande/);
    });

    test('mistakes are shown next to the field, the typed text kept, nothing written', async () => {
      const a = await fileAs(portal, 'demandeur');
      const b = await fileAs(portal, 'demandeur');
      await link(agent, a, String(b));
      const cases: [string, RegExp][] = [
        ['douze', /en chiffres/],
        ['999999999', /Aucune demande ne porte ce numéro/],
        [String(a), /une autre demande que celle-ci/],
        [String(b), /déjà liées/],
      ];
      for (const [typed, message] of cases) {
        const before = await footprint(db(), a);
        const links = await count(db(), sql`select count(*) as n from request_links`);
        const response = await link(agent, a, typed);
        assert.equal(response.statusCode, 422, typed);
        assert.match(fieldError(response.body, 'linkNumber', 'link-form'), message);
        assert.match(errorSummary(response.body), new RegExp(`Lier à la demande n° : .*${message.source}`));
        assert.match(response.body, new RegExp(`name="linkNumber" value="${typed}"`));
        assert.match(response.body, /<title>Erreur – /);
        assert.deepEqual(await footprint(db(), a), before);
        assert.equal(await count(db(), sql`select count(*) as n from request_links`), links);
      }
    });

    test('a request the agent cannot see answers like an unknown one; an unseen page is a 404', async () => {
      const mine = await fileAs(portal, 'direccte', { app: 'PORTAIL_ALTERNANCE' });
      const ceres = await fileAs(portal, 'demandeur');
      const response = await link(outsider, mine, String(ceres));
      assert.equal(response.statusCode, 422);
      assert.match(fieldError(response.body, 'linkNumber', 'link-form'), /Aucune demande ne porte ce numéro/);
      const csrf = await outsider.token(`/demandes/${mine}`);
      const refused = await outsider.post(`/demandes/${ceres}/liens`, { _csrf: csrf, linkNumber: String(mine) });
      assert.equal(refused.statusCode, 404);
      const byRequester = await demandeur.post(`/demandes/${mine}/liens`, {
        _csrf: await demandeur.token(`/demandes/${mine}`),
        linkNumber: String(ceres),
      });
      assert.equal(byRequester.statusCode, 403);
      assert.equal(
        await count(
          db(),
          sql`select count(*) as n from request_links where request_id in (select id from requests where number in (${mine}, ${ceres}))`,
        ),
        0,
      );
    });

    test('« Retirer le lien » removes it, with an internal event on both sides', async () => {
      const a = await fileAs(portal, 'demandeur');
      const b = await fileAs(portal, 'demandeur');
      await link(agent, a, String(b));
      const csrf = await agent.token(`/demandes/${b}`);
      const response = await agent.post(`/demandes/${b}/liens/retirer`, { _csrf: csrf, number: String(a) });
      assert.equal(response.statusCode, 303);
      assert.match(linkedSection((await agent.get(`/demandes/${a}`)).body), /Aucune demande liée actuellement/);
      assert.deepEqual(await events(a, 'unlink'), [{ body: `Lien retiré avec la n° ${b}.`, internal: true }]);
      assert.deepEqual(await events(b, 'unlink'), [{ body: `Lien retiré avec la n° ${a}.`, internal: true }]);
      const again = await agent.post(`/demandes/${b}/liens/retirer`, { _csrf: csrf, number: String(a) });
      assert.equal(again.statusCode, 404);
    });

    test('a requester sees only the linked requests they may see', async () => {
      const centre = await fileAs(portal, 'demandeur', { subject: 'Jury introuvable' });
      const region = await fileAs(portal, 'direccte', { subject: 'Agrément bloqué' });
      const other = await fileAs(portal, 'demandeur', { subject: 'Jury toujours introuvable' });
      await link(agent, centre, String(region));
      await link(agent, centre, String(other));
      const seenByCentre = linkedSection((await demandeur.get(`/demandes/${centre}`)).body);
      assert.match(seenByCentre, new RegExp(`href="/demandes/${other}"`));
      assert.doesNotMatch(seenByCentre, new RegExp(`/demandes/${region}"|Agrément bloqué`));
      const seenByRegion = linkedSection((await direccte.get(`/demandes/${region}`)).body);
      assert.match(seenByRegion, /Aucune demande liée actuellement/);
      const seenByAgent = linkedSection((await agent.get(`/demandes/${centre}`)).body);
      assert.match(seenByAgent, new RegExp(`href="/demandes/${region}"`));
      assert.match(seenByAgent, new RegExp(`href="/demandes/${other}"`));
    });

    test('« Marquer comme doublon » closes with a pointer the requester sees only if they may see the original', async () => {
      const original = await fileAs(portal, 'direccte', { subject: 'Agréments introuvables' });
      const copy = await fileAs(portal, 'demandeur', { subject: 'Agréments introuvables (bis)' });
      const response = await markDuplicate(agent, copy, `n° ${original}`, 'Déjà suivie dans une autre demande.');
      assert.equal(response.statusCode, 303, response.body.slice(0, 300));
      const [stored] = await rows<{ status: string; dup: number }>(
        db(),
        sql`select r.status, o.number as dup from requests r join requests o on o.id = r.duplicate_of_id where r.number = ${copy}`,
      );
      assert.deepEqual({ ...stored, dup: Number(stored?.dup) }, { status: 'closed', dup: original });
      const desk = (await agent.get(`/demandes/${copy}`)).body;
      assert.match(desk, new RegExp(`Clôturée comme doublon de la demande n° ${original}`));
      assert.match(linkedSection(desk), new RegExp(`href="/demandes/${original}"`));
      assert.match(linkedSection((await agent.get(`/demandes/${original}`)).body), new RegExp(`href="/demandes/${copy}"`));

      const requester = (await demandeur.get(`/demandes/${copy}`)).body;
      assert.match(requester, /Clôturée comme doublon d’une autre demande/);
      assert.match(requester, /Déjà suivie dans une autre demande\./);
      assert.doesNotMatch(requester, new RegExp(`n° ${original}\\b`));
      assert.match(requester, /Clôturée/);

      // Both the same requester's: the pointer is shown to them.
      const first = await fileAs(portal, 'demandeur');
      const second = await fileAs(portal, 'demandeur');
      assert.equal((await markDuplicate(agent, second, String(first))).statusCode, 303);
      assert.match(
        (await demandeur.get(`/demandes/${second}`)).body,
        new RegExp(`Clôturée comme doublon de la demande n° ${first}`),
      );
    });

    test('« Marquer comme doublon » refuses a bad original next to its field and writes nothing', async () => {
      const a = await fileAs(portal, 'demandeur');
      const b = await fileAs(portal, 'demandeur');
      const pse = await fileAs(portal, 'direccte', { app: 'PORTAIL_ALTERNANCE' });
      const invisible = await fileAs(portal, 'demandeur');
      assert.equal((await markDuplicate(agent, a, String(b))).statusCode, 303);
      // b is open, a is closed as its duplicate: b cannot be marked as a duplicate of a.
      const cases: [number, string, RegExp][] = [
        [b, '', /en chiffres/],
        [b, '123456789', /Aucune demande ne porte ce numéro/],
        [b, String(b), /une autre demande que celle-ci/],
        [b, String(a), /clôturée comme doublon de celle-ci/],
      ];
      for (const [number, typed, message] of cases) {
        const before = await footprint(db(), number);
        const response = await markDuplicate(agent, number, typed);
        assert.equal(response.statusCode, 422, typed);
        assert.match(fieldError(response.body, 'duplicateOfNumber', 'duplicate-form'), message);
        assert.match(errorSummary(response.body), /Numéro de la demande d’origine : /);
        if (typed) assert.match(response.body, new RegExp(`name="duplicateOfNumber" value="${typed}"`));
        assert.deepEqual(await footprint(db(), number), before);
      }
      const before = await footprint(db(), pse);
      const response = await markDuplicate(outsider, pse, String(invisible));
      assert.equal(response.statusCode, 422);
      assert.match(fieldError(response.body, 'duplicateOfNumber', 'duplicate-form'), /Aucune demande ne porte ce numéro/);
      assert.deepEqual(await footprint(db(), pse), before);
    });

    test('a closed request offers no « Marquer comme doublon », and the action is refused', async () => {
      const a = await fileAs(portal, 'demandeur');
      const b = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', a, 'resolve', { message: 'Réponse.' });
      await actAs(portal, 'demandeur', a, 'accept');
      const page = (await agent.get(`/demandes/${a}`)).body;
      assert.doesNotMatch(page, /id="duplicate-form"/);
      const csrf = await agent.token(`/demandes/${a}`);
      const before = await footprint(db(), a);
      const response = await agent.post(`/demandes/${a}/actions`, {
        _csrf: csrf,
        action: 'mark_duplicate',
        duplicateOfNumber: String(b),
      });
      assert.equal(response.statusCode, 409);
      assert.deepEqual(await footprint(db(), a), before);
    });
  });
}
