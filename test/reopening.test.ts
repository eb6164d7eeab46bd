/**
 * Reopening a closed request: its requester within the delay after closing (« Paramètres »), by
 * saying why; the desk at any time. The request goes back to « En cours de traitement » with new
 * due dates; the history and the e-mails say so. Once the delay has run out, the requester files a
 * new request that is linked to the old one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { actAs, count, fieldError, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

type Row = {
  status: string;
  reopenable_until: Date | null;
  resolution_due_at: Date | null;
  resolved_at: Date | null;
};

for (const kind of DATABASE_KINDS) {
  describe(`reopening a closed request (${kind})`, () => {
    let portal: TestPortal;
    let requester: Visitor;
    let agent: Visitor;

    const requestOf = async (number: number) =>
      (
        await rows<Row>(
          portal.database.db,
          sql`select status, reopenable_until, resolution_due_at, resolved_at from requests where number = ${number}`,
        )
      )[0] as Row;
    const mails = (number: number, kind: string) =>
      count(
        portal.database.db,
        sql`select count(*) as n from outbox o join requests r on r.id = o.request_id where r.number = ${number} and o.kind = ${kind}`,
      );

    /** Posts an action as the page's form would, with the page's CSRF token and version. */
    async function post(visitor: Visitor, number: number, action: string, message: string) {
      const page = await visitor.get(`/demandes/${number}`);
      const csrf = decodeURIComponent(/name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '');
      const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1';
      return visitor.post(`/demandes/${number}/actions`, { _csrf: csrf, action, message, version });
    }

    /** Sends the new-request form as shown (its tokens, CERES), naming `suite`; past the suggestions step. */
    async function fileFollowUp(visitor: Visitor, html: string, suite: number, subject: string, description: string) {
      const value = (re: RegExp) => re.exec(html)?.[1] ?? '';
      const fields = {
        _csrf: value(/name="_csrf" value="([^"]+)"/),
        token: value(/name="token" value="([^"]+)"/),
        subject,
        blocking: 'non',
        applicationId: value(/<option value="(\d+)"[^>]*>CERES<\/option>/),
        description,
        suite: String(suite),
        suggestionsSeen: '1',
      };
      const first = await visitor.postMultipart('/demandes/nouvelle', fields);
      return first.statusCode === 303 ? first : visitor.postMultipart('/demandes/nouvelle', fields);
    }

    async function closedRequest(subject: string): Promise<number> {
      const number = await fileAs(portal, 'demandeur', { subject });
      await actAs(portal, 'agent', number, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'demandeur', number, 'accept');
      return number;
    }

    before(async () => {
      portal = await createTestPortal(kind);
      requester = await new Visitor(portal.app).login('demandeur');
      agent = await new Visitor(portal.app).login('agent');
    });
    after(() => portal?.close());

    test('closing sets the delay; the requester reopens within it, saying why, and the desk is told', async () => {
      const number = await closedRequest('Attestation toujours absente');
      const closed = await requestOf(number);
      assert.equal(closed.status, 'closed');
      const days = (new Date(closed.reopenable_until as Date).getTime() - Date.now()) / 86_400_000;
      assert.ok(days > 12 && days < 17, `ten working days ahead (${days.toFixed(1)} calendar days)`);
      const page = (await requester.get(`/demandes/${number}`)).body;
      assert.match(page, /id="reopen-title"[^>]*>\s*Rouvrir la demande/);
      assert.match(page, /vous pouvez rouvrir cette demande jusqu’au \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/i);

      const empty = await post(requester, number, 'reopen', '  ');
      assert.equal(empty.statusCode, 422);
      assert.match(fieldError(empty.body, 'message', 'form-reopen'), /obligatoire/);
      assert.equal((await requestOf(number)).status, 'closed', 'nothing written');

      const reopened = await post(requester, number, 'reopen', 'Le problème est revenu ce matin.');
      assert.equal(reopened.statusCode, 303);
      const after = await requestOf(number);
      assert.equal(after.status, 'in_progress');
      assert.equal(after.reopenable_until, null);
      assert.equal(after.resolved_at, null);
      assert.ok(new Date(after.resolution_due_at as Date).getTime() > Date.now(), 'due again from now');
      const history = (await agent.get(`/demandes/${number}`)).body;
      assert.match(history, /Demande rouverte/);
      assert.match(history, /Le problème est revenu ce matin\./);
      assert.equal(await mails(number, 'reopened_by_requester'), 1, 'the desk is told');
    });

    test('after the delay the requester may not reopen: a new request, linked to the old one', async () => {
      const number = await closedRequest('Export vide de nouveau');
      await portal.database.db.execute(
        sql`update requests set reopenable_until = now() - interval '1 minute' where number = ${number}`,
      );
      const page = (await requester.get(`/demandes/${number}`)).body;
      assert.doesNotMatch(page, /id="form-reopen"/);
      assert.match(page, new RegExp(`href="/demandes/nouvelle\\?suite=${number}"`));
      const refused = await post(requester, number, 'reopen', 'Je voudrais la rouvrir.');
      assert.notEqual(refused.statusCode, 303);
      assert.equal((await requestOf(number)).status, 'closed', 'nothing written');

      const form = await requester.get(`/demandes/nouvelle?suite=${number}`);
      assert.match(form.body, new RegExp(`fera suite à votre demande n° ${number}`));
      const filed = await fileFollowUp(
        requester,
        form.body,
        number,
        'Export vide, encore',
        'Le même export est de nouveau vide depuis hier soir.',
      );
      assert.equal(filed.statusCode, 303);
      const next = Number(/\/demandes\/(\d+)/.exec(String(filed.headers.location))?.[1]);
      const links = await count(
        portal.database.db,
        sql`select count(*) as n from request_links l join requests a on a.id = l.request_id join requests b on b.id = l.linked_request_id
            where (a.number, b.number) in ((${number}, ${next}), (${next}, ${number}))`,
      );
      assert.equal(links, 1, 'the two are linked');
      assert.match((await agent.get(`/demandes/${next}`)).body, new RegExp(`Suite de la demande n° ${number}, clôturée\\.`));
    });

    test('the desk reopens a closed request at any time, and the requester is told', async () => {
      const number = await closedRequest('Clôturée trop tôt');
      await portal.database.db.execute(sql`update requests set reopenable_until = null where number = ${number}`);
      const reopened = await post(agent, number, 'reopen', 'La réponse était incomplète : nous reprenons.');
      assert.equal(reopened.statusCode, 303);
      assert.equal((await requestOf(number)).status, 'in_progress');
      assert.equal(await mails(number, 'reopened_by_desk'), 1);
    });

    test('two reopenings at once: one is recorded, the other refused, one history event', async () => {
      const number = await closedRequest('Rouverte deux fois');
      const outcomes = await Promise.allSettled([
        actAs(portal, 'agent', number, 'reopen', { message: 'Première reprise.' }),
        actAs(portal, 'demandeur', number, 'reopen', { message: 'Seconde reprise.' }),
      ]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
      const events = await count(
        portal.database.db,
        sql`select count(*) as n from request_events e join requests r on r.id = e.request_id where r.number = ${number} and e.kind = 'reopen'`,
      );
      assert.equal(events, 1);
      assert.equal((await requestOf(number)).status, 'in_progress');
    });

    test('a follow-up names only the requester’s own closed request', async () => {
      const theirs = await closedRequest('Une demande de Hélène');
      const other = await new Visitor(portal.app).login('direccte');
      const form = await other.get(`/demandes/nouvelle?suite=${theirs}`);
      const filed = await fileFollowUp(other, form.body, theirs, 'Rien à voir', 'Une autre demande, d’une autre personne.');
      assert.equal(filed.statusCode, 303);
      const links = await count(
        portal.database.db,
        sql`select count(*) as n from request_links l join requests r on r.id in (l.request_id, l.linked_request_id) where r.number = ${theirs}`,
      );
      assert.equal(links, 0, 'not linked to somebody else’s request');
    });
  });
}
