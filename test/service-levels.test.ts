/**
 * Service levels on both databases, with the portal's clock set: due dates at filing across a
 * weekend, a public holiday and a daylight-saving change; the clock stopped while a complement
 * is awaited; the first response; the desk's « En retard » / « Bientôt en retard » filters;
 * taking or assigning a selection; two agents acting on one request at once.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { setClock } from '../src/domain/clock.js';
import { listRequests } from '../src/domain/requests/list-queries.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings/settings.js';
import { addWorkingMinutes, calendarOf } from '../src/domain/time/working-time.js';
import { actAs, actorOf, createUser, fileAs, footprint, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

type Sla = {
  first_response_due_at: string | null;
  resolution_due_at: string | null;
  first_response_at: string | null;
  sla_paused_at: string | null;
  resolved_at: string | null;
  assignee_id: number | null;
  version: number;
};

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());
const at = (value: string) => new Date(value).toISOString();

/** The checkboxes of a selection: one name repeated, as a browser sends them (URLSearchParams takes pairs). */
const postPairs = (visitor: Visitor, url: string, pairs: [string, string][]) =>
  visitor.post(url, pairs as unknown as Record<string, string>);

const csrfOf = (html: string) =>
  decodeURIComponent(/name="_csrf" value="([^"]+)"|_csrf=([^"&]+)/.exec(html)?.slice(1).find(Boolean) ?? '');

/** The row of request `number` in a queue page, or '' when it is not listed. */
const rowOf = (html: string, number: number) =>
  new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*href="/demandes/${number}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

for (const kind of DATABASE_KINDS) {
  describe(`service levels (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());
    afterEach(() => setClock(null));

    async function sla(number: number): Promise<Sla> {
      const [row] = await rows<Sla>(
        portal.database.db,
        sql`select first_response_due_at, resolution_due_at, first_response_at, sla_paused_at, resolved_at, assignee_id, version
            from requests where number = ${number}`,
      );
      if (!row) throw new Error(`no request ${number}`);
      return row;
    }

    async function fileAt(clock: string, blocking: boolean, subject = 'Connexion impossible') {
      setClock(new Date(clock));
      return fileAs(portal, 'demandeur', { blocking, subject });
    }

    test('due dates at filing: Friday evening, across the weekend, by blocking flag', async () => {
      const blocking = await sla(await fileAt('2026-12-04T17:00:00+01:00', true));
      // 4 working hours: 1 on Friday, 3 on Monday; 2 working days (18 h): Friday 1 h, Monday 9 h, Tuesday 8 h.
      assert.equal(iso(blocking.first_response_due_at), at('2026-12-07T12:00:00+01:00'));
      assert.equal(iso(blocking.resolution_due_at), at('2026-12-08T17:00:00+01:00'));
      const normal = await sla(await fileAt('2026-12-04T17:00:00+01:00', false));
      assert.equal(iso(normal.first_response_due_at), at('2026-12-07T17:00:00+01:00'));
      assert.equal(iso(normal.resolution_due_at), at('2026-12-11T17:00:00+01:00'));
      assert.equal(normal.first_response_at, null);
    });

    test('due dates at filing skip a public holiday (Christmas) and follow the autumn time change', async () => {
      const christmas = await sla(await fileAt('2026-12-24T17:00:00+01:00', true));
      assert.equal(iso(christmas.first_response_due_at), at('2026-12-28T12:00:00+01:00'));
      const autumn = await sla(await fileAt('2026-10-23T16:00:00+02:00', true));
      assert.equal(iso(autumn.first_response_due_at), '2026-10-26T10:00:00.000Z');
    });

    test('the first response is the first thing the requester sees; routing and notes are not', async () => {
      const number = await fileAt('2026-12-07T10:00:00+01:00', false);
      setClock(new Date('2026-12-07T10:30:00+01:00'));
      await actAs(portal, 'agent', number, 'take');
      await actAs(portal, 'agent', number, 'internal_note', { message: 'Je regarde.' });
      await actAs(portal, 'agent', number, 'escalate', { message: 'Pour le niveau 2.' });
      assert.equal((await sla(number)).first_response_at, null);
      setClock(new Date('2026-12-07T11:15:00+01:00'));
      await actAs(portal, 'expert', number, 'resolve', { message: 'Voici la réponse.' });
      let row = await sla(number);
      assert.equal(iso(row.first_response_at), at('2026-12-07T11:15:00+01:00'));
      assert.equal(iso(row.resolved_at), at('2026-12-07T11:15:00+01:00'));
      // Refused by the requester: open again, the resolution is no longer recorded; the first response stays.
      setClock(new Date('2026-12-08T09:30:00+01:00'));
      await actAs(portal, 'demandeur', number, 'refuse', { message: 'Toujours impossible.' });
      row = await sla(number);
      assert.equal(row.resolved_at, null);
      assert.equal(iso(row.first_response_at), at('2026-12-07T11:15:00+01:00'));
    });

    test('awaiting a complement stops the clock; the complement pushes the due dates by the working time spent', async () => {
      const number = await fileAt('2026-12-07T10:00:00+01:00', false);
      const filed = await sla(number);
      assert.equal(iso(filed.resolution_due_at), at('2026-12-14T10:00:00+01:00'));
      setClock(new Date('2026-12-07T11:00:00+01:00'));
      await actAs(portal, 'agent', number, 'ask_info', { message: 'Quel navigateur ?' });
      let row = await sla(number);
      assert.equal(iso(row.sla_paused_at), at('2026-12-07T11:00:00+01:00'));
      assert.equal(iso(row.first_response_at), at('2026-12-07T11:00:00+01:00'));
      // While paused the desk shows « Suspendu », never « En retard », even past the due date.
      setClock(new Date('2026-12-18T11:00:00+01:00'));
      const agent = await new Visitor(portal.app).login('agent');
      assert.match(rowOf((await agent.get('/guichet')).body, number), /Suspendu/);
      assert.doesNotMatch(rowOf((await agent.get('/guichet?echeance=en-retard')).body, number), /./);
      // Answered Friday 11 December 11:00: paused Monday 11:00 → Friday 11:00 = 4 working days.
      setClock(new Date('2026-12-11T11:00:00+01:00'));
      await actAs(portal, 'demandeur', number, 'add_info', { message: 'Firefox.' });
      row = await sla(number);
      assert.equal(row.sla_paused_at, null);
      assert.equal(iso(row.resolution_due_at), at('2026-12-18T10:00:00+01:00'));
      // The first response was given: its due date is history and does not move.
      assert.equal(iso(row.first_response_due_at), iso(filed.first_response_due_at));
    });

    test('the desk filters late and soon-late requests and badges them, on the list and the request page', async () => {
      const late = await fileAt('2026-12-07T09:00:00+01:00', true, 'Retard certain');
      const soon = await fileAt('2026-12-07T12:30:00+01:00', true, 'Bientôt en retard');
      const fine = await fileAt('2026-12-07T12:30:00+01:00', false, 'Dans les temps');
      // Monday 15:45: the first is due since 13:00; the second is due at 16:30 (45 min left, under 1 h);
      // the third at Tuesday 12:30 (5 h 45 left, more than a quarter of 9 h).
      setClock(new Date('2026-12-07T15:45:00+01:00'));
      const agent = await new Visitor(portal.app).login('agent');
      const all = (await agent.get('/guichet')).body;
      assert.match(rowOf(all, late), /fr-badge--error[^>]*>En retard</);
      assert.match(rowOf(all, soon), /fr-badge--warning[^>]*>Bientôt en retard</);
      assert.doesNotMatch(rowOf(all, fine), /En retard|Bientôt en retard/);
      assert.match(rowOf(all, fine), /Première réponse/);

      const lateList = (await agent.get('/guichet?echeance=en-retard')).body;
      assert.ok(rowOf(lateList, late));
      assert.equal(rowOf(lateList, soon), '');
      assert.equal(rowOf(lateList, fine), '');
      const soonList = (await agent.get('/guichet?echeance=bientot')).body;
      assert.equal(rowOf(soonList, late), '');
      assert.ok(rowOf(soonList, soon));
      assert.equal(rowOf(soonList, fine), '');

      const page = (await agent.get(`/demandes/${late}`)).body;
      assert.match(page, /Délais de traitement/);
      assert.match(page, /En retard/);
      // Requesters never see the desk's due dates.
      const requester = await new Visitor(portal.app).login('demandeur');
      assert.doesNotMatch((await requester.get(`/demandes/${late}`)).body, /Délais de traitement|En retard/);

      // Once answered, the next due date is the resolution's: no longer late on the first response.
      await actAs(portal, 'agent', late, 'ask_info', { message: 'Précisez.' });
      await actAs(portal, 'demandeur', late, 'add_info', { message: 'Voilà.' });
      assert.equal(rowOf((await agent.get('/guichet?echeance=en-retard')).body, late), '');
    });

    test('the SQL filters and the due-state rule agree, request by request, around every threshold', async () => {
      const db = portal.database.db;
      const now = new Date('2026-12-07T15:45:00+01:00');
      // Working minutes to the due date (Monday 15:45: 135 left today, then 9 h a day), by target and flag.
      const cases = [-600, -1, 1, 59, 61, 134, 136, 269, 271, 674, 676, 2000].flatMap((left) =>
        [true, false].flatMap((blocking) => [true, false].map((answered) => ({ left, blocking, answered }))),
      );
      const cal = calendarOf(DEFAULT_SETTINGS);
      const made: { number: number; paused: boolean }[] = [];
      for (const [i, c] of cases.entries()) {
        setClock(now);
        const number = await fileAs(portal, 'demandeur', { blocking: c.blocking, subject: `Seuil ${i}` });
        const due = c.left < 0 ? new Date(now.getTime() + c.left * 60_000) : addWorkingMinutes(now, c.left, cal);
        const paused = i % 7 === 3;
        await db.execute(sql`update requests set
            first_response_due_at = ${c.answered ? new Date('2026-12-01T10:00:00Z') : due},
            resolution_due_at = ${c.answered ? due : new Date('2027-01-29T10:00:00Z')},
            first_response_at = ${c.answered ? new Date('2026-12-01T09:00:00Z') : null},
            sla_paused_at = ${paused ? new Date('2026-12-07T10:00:00Z') : null},
            status = ${paused ? 'awaiting_info' : 'in_progress'}
          where number = ${number}`);
        made.push({ number, paused });
      }
      const admin = await actorOf(db, 'admin');
      const listed = async (due: 'late' | 'soon') =>
        new Set((await listRequests(db, admin, { due }, { limit: 1000 })).rows.map((r) => r.number));
      const [late, soon] = [await listed('late'), await listed('soon')];
      const all = await listRequests(db, admin, {}, { limit: 1000 });
      let seen = { late: 0, soon: 0 };
      for (const { number } of made) {
        const state = all.rows.find((r) => r.number === number)?.due?.state;
        assert.equal(late.has(number), state === 'late', `request ${number}: ${state}`);
        assert.equal(soon.has(number), state === 'soon', `request ${number}: ${state}`);
        seen = { late: seen.late + Number(state === 'late'), soon: seen.soon + Number(state === 'soon') };
      }
      // Both sides of each threshold were met.
      assert.ok(seen.late > 0 && seen.soon > 0 && seen.late + seen.soon < made.length);
    });

    test('« Mes demandes en charge » lists only the requests the agent handles', async () => {
      const mine = await fileAt('2026-12-07T09:00:00+01:00', false, 'À moi');
      const other = await fileAt('2026-12-07T09:00:00+01:00', false, 'À personne');
      await actAs(portal, 'agent', mine, 'take');
      const agent = await new Visitor(portal.app).login('agent');
      const page = (await agent.get('/guichet/en-charge')).body;
      assert.match(page, /<h1>Mes demandes en charge<\/h1>/);
      assert.ok(rowOf(page, mine));
      assert.equal(rowOf(page, other), '');
    });

    test('taking a selection: each request on its own, a request changed meanwhile is left as it is and reported', async () => {
      const db = portal.database.db;
      const colleague = await createUser(db, `agent-${kind}-1`, 'agent', ['CERES']);
      const numbers = [
        await fileAt('2026-12-07T09:00:00+01:00', false, 'Sélection A'),
        await fileAt('2026-12-07T09:00:00+01:00', false, 'Sélection B'),
        await fileAt('2026-12-07T09:00:00+01:00', false, 'Sélection C'),
      ];
      const [a, b, c] = numbers as [number, number, number];
      const agent = await new Visitor(portal.app).login('agent');
      const queue = (await agent.get('/guichet')).body;
      // The checkboxes' values, number and version, as the queue writes them (these three may sit past its first page).
      const values = await Promise.all(numbers.map(async (n) => `${n}:${(await sla(n)).version}`));
      assert.match(queue, /name="selection" value="\d+:\d+"/);
      // Another agent takes B after the page was shown.
      await actAs(portal, colleague.login, b, 'take');
      const takenByColleague = (await footprint(db, b)).request;
      const response = await postPairs(agent, '/guichet/selection', [
        ['_csrf', csrfOf(queue)],
        ['retour', '/guichet?echeance=en-retard'],
        ...values.map((v): [string, string] => ['selection', v]),
        ['operation', 'take'],
      ]);
      assert.equal(response.statusCode, 303);
      const location = String(response.headers.location);
      assert.match(location, /^\/guichet\?echeance=en-retard&selection=take/);
      const me = await actorOf(db, 'agent');
      assert.equal((await sla(a)).assignee_id, me.id);
      assert.equal((await sla(c)).assignee_id, me.id);
      assert.deepEqual((await footprint(db, b)).request, takenByColleague);
      const notice = (await agent.get(location)).body;
      assert.match(notice, /2 demande\(s\) prise\(s\) en charge\./);
      assert.match(notice, new RegExp(`entre-temps, laissées telles quelles : n° ${b}\\.`));
    });

    test('assigning a selection to a colleague; a person outside the level is refused for each request', async () => {
      const db = portal.database.db;
      const colleague = await createUser(db, `agent-${kind}-2`, 'agent', ['CERES']);
      const n = await fileAt('2026-12-07T09:00:00+01:00', false, 'À assigner');
      const agent = await new Visitor(portal.app).login('agent');
      const queue = (await agent.get('/guichet')).body;
      assert.match(queue, new RegExp(`<option value="${colleague.id}"[^>]*>`));
      const value = `${n}:${(await sla(n)).version}`;
      const expert = await actorOf(db, 'expert');
      const before = await footprint(db, n);
      // Nothing ticked, or nobody chosen: told so, nothing written.
      const empty = await postPairs(agent, '/guichet/selection', [
        ['_csrf', csrfOf(queue)],
        ['operation', 'take'],
      ]);
      assert.match((await agent.get(String(empty.headers.location))).body, /Aucune demande n’était cochée/);
      const nobody = await postPairs(agent, '/guichet/selection', [
        ['_csrf', csrfOf(queue)],
        ['selection', value],
        ['operation', 'assign'],
        ['assigneeId', ''],
      ]);
      assert.match((await agent.get(String(nobody.headers.location))).body, /Choisissez la personne à qui assigner la sélection/);
      assert.deepEqual(await footprint(db, n), before);
      const refused = await postPairs(agent, '/guichet/selection', [
        ['_csrf', csrfOf(queue)],
        ['selection', value],
        ['operation', 'assign'],
        ['assigneeId', String(expert.id)],
      ]);
      assert.match(String(refused.headers.location), new RegExp(`refusees=${n}`));
      assert.deepEqual(await footprint(db, n), before);
      const done = await postPairs(agent, '/guichet/selection', [
        ['_csrf', csrfOf(queue)],
        ['selection', value],
        ['operation', 'assign'],
        ['assigneeId', String(colleague.id)],
      ]);
      assert.match(String(done.headers.location), new RegExp(`faites=${n}`));
      assert.equal((await sla(n)).assignee_id, colleague.id);
    });

    test('Paramètres: fieldsets, a refused value next to its field, new targets and working days used at the next filing', async () => {
      const admin = await new Visitor(portal.app).login('admin');
      const page = (await admin.get('/admin/parametres')).body;
      for (const legend of ['Service', 'Comptes', 'Niveaux de service', 'Vie des demandes', 'Jours ouvrés *'])
        assert.match(page, new RegExp(`<legend[^>]*>${legend.replace('*', '\\*')}`));
      assert.match(page, /id="workingDay5"[^>]*checked/);
      assert.doesNotMatch(page, /id="workingDay6"[^>]*checked/);
      const csrf = csrfOf(page);
      const days = (list: number[]): [string, string][] =>
        [1, 2, 3, 4, 5, 6, 7].flatMap((d): [string, string][] =>
          list.includes(d)
            ? [
                [`workingDay${d}`, 'false'],
                [`workingDay${d}`, 'true'],
              ]
            : [[`workingDay${d}`, 'false']],
        );
      const refused = await postPairs(admin, '/admin/parametres', [
        ['_csrf', csrf],
        ...days([]),
        ['workdayStart', '18:00'],
        ['workdayEnd', '09:00'],
        ['blockingFirstResponseHours', '0'],
      ]);
      assert.equal(refused.statusCode, 422);
      assert.match(
        refused.body,
        /workingDays-messages[^>]*><p class="fr-message fr-message--error">Cochez au moins un jour ouvré\./,
      );
      assert.match(
        refused.body,
        /blockingFirstResponseHours-messages[^>]*><p class="fr-message fr-message--error">Une heure au moins\./,
      );
      assert.match(refused.body, /id="workdayStart"[^>]*value="18:00"/);
      // Start after end is refused next to the end, once the rest is right.
      const late = await postPairs(admin, '/admin/parametres', [
        ['_csrf', csrf],
        ...days([1, 2, 3, 4, 5]),
        ['workdayStart', '18:00'],
        ['workdayEnd', '09:00'],
      ]);
      assert.equal(late.statusCode, 422);
      assert.match(late.body, /workdayEnd-messages[^>]*><p class="fr-message fr-message--error">L’heure de fin doit suivre/);
      // Saturday worked, 8:00–12:00, blocking first response in 2 hours.
      const saved = await postPairs(admin, '/admin/parametres', [
        ['_csrf', csrf],
        ...days([1, 2, 3, 4, 5, 6]),
        ['workdayStart', '08:00'],
        ['workdayEnd', '12:00'],
        ['blockingFirstResponseHours', '2'],
      ]);
      assert.equal(saved.statusCode, 303);
      try {
        // Friday 11:00 + 2 h: 1 h on Friday, 1 h on Saturday from 8:00.
        const row = await sla(await fileAt('2026-12-04T11:00:00+01:00', true));
        assert.equal(iso(row.first_response_due_at), at('2026-12-05T09:00:00+01:00'));
      } finally {
        await postPairs(admin, '/admin/parametres', [
          ['_csrf', csrf],
          ...days([1, 2, 3, 4, 5]),
          ['workdayStart', '09:00'],
          ['workdayEnd', '18:00'],
          ['blockingFirstResponseHours', '4'],
        ]);
      }
    });

    test('two agents acting on one request at once: the second gets the conflict page, nothing is overwritten', async () => {
      const db = portal.database.db;
      const colleague = await createUser(db, `agent-${kind}-3`, 'agent', ['CERES']);
      const number = await fileAt('2026-12-07T09:00:00+01:00', false, 'Deux agents');
      const first = await new Visitor(portal.app).login('agent');
      const second = await new Visitor(portal.app).login(colleague.login);
      // Both open the request page, then both answer.
      const [page1, page2] = [(await first.get(`/demandes/${number}`)).body, (await second.get(`/demandes/${number}`)).body];
      const post = (visitor: Visitor, page: string, action: string, message: string) =>
        visitor.post(`/demandes/${number}/actions`, {
          _csrf: csrfOf(page),
          action,
          message,
          version: /name="version" value="(\d+)"/.exec(page)?.[1] ?? '',
        });
      const won = await post(first, page1, 'ask_info', 'Question du premier agent.');
      assert.equal(won.statusCode, 303);
      const afterFirst = await footprint(db, number);
      const lost = await post(second, page2, 'resolve', 'Réponse du second agent.');
      assert.equal(lost.statusCode, 409);
      assert.match(lost.body, /modifiée par une autre personne pendant que vous la consultiez/);
      assert.match(lost.body, /Réponse du second agent\./);
      assert.deepEqual(await footprint(db, number), afterFirst);
      const events = await rows<{ kind: string; body: string | null }>(
        db,
        sql`select kind, body from request_events e join requests r on r.id = e.request_id
            where r.number = ${number} order by e.id`,
      );
      assert.deepEqual(
        events.map((e) => e.kind),
        ['created', 'ask_info'],
      );
      assert.equal(events[1]?.body, 'Question du premier agent.');
    });
  });
}
