/**
 * The development demo requests: every status, the guide's 67098 and 67080 (with its answer), once
 * per database, numbers that later filings never reuse, and the requester's pages (« Mes demandes »,
 * a request with an internal note that they never see).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { seed } from '../src/db/seed/seed.js';
import { STATUSES } from '../src/domain/vocabulary.js';
import { count, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from './support/portal.js';

/** Everything a second seed must leave as it is. */
async function totals(portal: TestPortal) {
  const db = portal.database.db;
  return {
    requests: await count(db, sql`select count(*) as n from requests`),
    events: await count(db, sql`select count(*) as n from request_events`),
    outbox: await count(db, sql`select count(*) as n from outbox`),
    sequence: await count(db, sql`select last_value as n from request_number_seq`),
  };
}

/** The number of the request whose history holds an event of `kind` with this text. */
async function numberWith(portal: TestPortal, kind: string, text: string): Promise<number> {
  const [row] = await rows<{ number: string }>(
    portal.database.db,
    sql`select r.number from requests r join request_events e on e.request_id = r.id
        where e.kind = ${kind} and e.body like ${`%${text}%`}`,
  );
  assert.ok(row, `no ${kind} event with « ${text} »`);
  return Number(row.number);
}

for (const kind of DATABASE_KINDS) {
  describe(`demo requests (${kind})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    test('the seed of the tests files no request', async () => {
      assert.equal((await totals(portal)).requests, 0);
    });

    test('seeded on demand: a dozen requests, every status of the workflow', async () => {
      const result = await seed(portal.database.db, { demoPassword: PASSWORD, demoRequests: true });
      assert.equal(result.demoRequests, true);
      const found = await rows<{ status: string }>(portal.database.db, sql`select distinct status from requests order by status`);
      assert.deepEqual(found.map((r) => r.status).sort(), [...STATUSES].sort());
      const { requests } = await totals(portal);
      assert.ok(requests >= 12 && requests <= 15, `${requests} requests`);
      const facts = await count(portal.database.db, sql`select count(*) as n from request_facts`);
      assert.equal(facts, requests, '« Pilotage » counts them from the first page');
    });

    test('the guide’s 67098 is Nouvelle (22/01/2019), 67080 Traitée with its answer of the last working day, both on CERES', async () => {
      const guide = await rows<{ number: string; subject: string; status: string; app: string; filed: string; login: string }>(
        portal.database.db,
        sql`select r.number, r.subject, r.status, a.code as app, u.login,
                   case when r.number = 67080 then (r.resolved_at > now() - interval '5 days')::text
                        else to_char(r.created_at at time zone 'Europe/Paris', 'DD/MM/YYYY') end as filed
            from requests r join applications a on a.id = r.application_id join users u on u.id = r.requester_id
            where r.number in (67080, 67098) order by r.number`,
      );
      assert.deepEqual(
        guide.map((r) => [Number(r.number), r.subject, r.status, r.app, r.filed, r.login]),
        [
          // Answered lately: the auto-close job leaves it « Traitée » for the days the settings give.
          [67080, 'BLOQUANT - base des agréments', 'resolved', 'CERES', 'true', 'demandeur'],
          [67098, 'Agréments', 'new', 'CERES', '22/01/2019', 'demandeur'],
        ],
      );
      const history = await rows<{ kind: string; body: string | null }>(
        portal.database.db,
        sql`select e.kind, e.body from request_events e join requests r on r.id = e.request_id
            where r.number = 67080 and not e.internal order by e.id`,
      );
      assert.deepEqual(
        history.map((e) => e.kind),
        ['created', 'take', 'ask_info', 'resolve'],
      );
      assert.equal(history[2]?.body, 'pour information');
      assert.equal(history[3]?.body, 'Bonjour,\nmerci de prendre connaissance du guide utilisateur.');
    });

    test('a second seed adds nothing', async () => {
      const before = await totals(portal);
      const result = await seed(portal.database.db, { demoPassword: PASSWORD, demoRequests: true });
      assert.equal(result.demoRequests, false);
      assert.deepEqual(await totals(portal), before);
    });

    test('the next request filed takes a number above the demo ones', async () => {
      const highest = await count(portal.database.db, sql`select max(number) as n from requests`);
      assert.ok(highest >= 67098);
      const number = await fileAs(portal, 'demandeur', { subject: 'Après la démonstration' });
      assert.ok(number > highest, `n° ${number} after ${highest}`);
    });

    test('demandeur finds 67098 and 67080 in « Mes demandes », and the answer with its document', async () => {
      const requester = await new Visitor(portal.app).login('demandeur');
      const list = await requester.get('/demandes');
      assert.equal(list.statusCode, 200);
      for (const number of [67098, 67080]) assert.match(list.body, new RegExp(`/demandes/${number}\\b`));
      // Only their own: the DIRECCTE's requests are not theirs.
      assert.doesNotMatch(list.body, /connexion impossible au Portail de l’Alternance/);
      const answered = await requester.get('/demandes/67080');
      assert.equal(answered.statusCode, 200);
      assert.match(answered.body, /merci de prendre connaissance du guide utilisateur/);
      assert.match(answered.body, /Guide utilisateur CERES – Agréments/);
    });

    test('the requester never sees the internal notes of their requests', async () => {
      const cases = [
        {
          login: 'demandeur',
          number: await numberWith(portal, 'internal_note', 'deux autres centres'),
          note: 'deux autres centres',
        },
        { login: 'direccte', number: await numberWith(portal, 'internal_note', 'analyse technique'), note: 'analyse technique' },
      ];
      const agent = await new Visitor(portal.app).login('agent');
      for (const { login, number, note } of cases) {
        const requester = await new Visitor(portal.app).login(login);
        const page = await requester.get(`/demandes/${number}`);
        assert.equal(page.statusCode, 200);
        assert.ok(!page.body.includes(note), `${login} sees the note of n° ${number}`);
        // The note is there, for the desk.
        assert.ok((await agent.get(`/demandes/${number}`)).body.includes(note), `the agent misses the note of n° ${number}`);
      }
    });
  });
}
