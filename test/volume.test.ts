/**
 * The volume generator on both databases: what it adds, the consistency of statuses, dates and
 * service levels, the sequences it sets (a request filed afterwards gets the next number), and the
 * generated data read by the real queries (Mes demandes, the staff search, downloads, logging in).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { generateVolume, type VolumeSummary } from '../bench/volume/generate.js';
import { loadActor } from '../src/domain/accounts/actors.js';
import { countMyRequests, DEFAULT_QUERY, listMyRequests } from '../src/domain/requests/my-requests.js';
import { searchRequests } from '../src/domain/search/request-search.js';
import { actorOf, count, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const REQUESTS = 2000;

type Counts = { users: number; structures: number; faq: number; documents: number; versions: number; maxNumber: number };

async function counts(portal: TestPortal): Promise<Counts> {
  const [row] = await rows<Record<keyof Counts, number | string>>(
    portal.database.db,
    sql`select (select count(*) from users) as users, (select count(*) from structures) as structures,
      (select count(*) from faq_entries) as faq, (select count(*) from documents) as documents,
      (select count(*) from document_versions) as versions, (select coalesce(max(number), 0) from requests) as "maxNumber"`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as Counts;
}

async function indexes(portal: TestPortal) {
  return rows(
    portal.database.db,
    sql`select indexname, indexdef from pg_indexes where schemaname = current_schema() order by indexname`,
  );
}

for (const kind of DATABASE_KINDS) {
  describe(`volume generator (${kind})`, () => {
    let portal: TestPortal;
    let before0: Counts;
    let summary: VolumeSummary;
    let indexesBefore: unknown[];
    const lines: string[] = [];
    const db = () => portal.database.db;

    before(async () => {
      portal = await createTestPortal(kind);
      before0 = await counts(portal);
      indexesBefore = await indexes(portal);
      // The path of large loads (indexes set aside, then rebuilt), on a small one.
      summary = await generateVolume(portal.database, {
        requests: REQUESTS,
        rebuildIndexes: true,
        dataDir: portal.config.dataDir,
        log: (line) => lines.push(line),
      });
    });
    after(() => portal?.close());

    test('adds the requests, about four events each, the people, structures, FAQ and documents', async () => {
      const now = await counts(portal);
      assert.equal(summary.requests, REQUESTS);
      assert.equal(await count(db(), sql`select count(*) as n from requests`), REQUESTS);
      const events = await count(db(), sql`select count(*) as n from request_events`);
      assert.equal(events, summary.events);
      assert.ok(events / REQUESTS > 3.5 && events / REQUESTS < 5, `events per request: ${events / REQUESTS}`);
      assert.equal(
        await count(
          db(),
          sql`select count(*) as n from requests r where not exists (select 1 from request_events e where e.request_id = r.id and e.kind = 'created')`,
        ),
        0,
      );
      const withFiles = await count(db(), sql`select count(distinct request_id) as n from attachments`);
      assert.ok(withFiles > REQUESTS * 0.1 && withFiles < REQUESTS * 0.2, `requests with attachments: ${withFiles}`);
      assert.equal(now.users - before0.users, summary.users);
      assert.equal(now.structures - before0.structures, summary.structures);
      assert.ok(summary.users >= 400 && summary.structures >= 60);
      assert.equal(now.faq - before0.faq, 500);
      assert.equal(now.documents - before0.documents, 300);
      assert.equal(now.versions - before0.versions, 300, 'each document has its version');
      assert.ok(
        lines.some((l) => /lignes\/s/.test(l)),
        'progress is logged with rows per second',
      );
    });

    test('the indexes set aside during the load are all back, with the same definitions', async () => {
      assert.deepEqual(await indexes(portal), indexesBefore);
    });

    test('people: agents and experts cover applications, requesters belong to structures', async () => {
      const [people] = await rows<Record<string, number | string>>(
        db(),
        sql`select count(*) filter (where role = 'agent') as agents, count(*) filter (where role = 'expert') as experts,
          count(*) filter (where role = 'requester' and structure_id is null) as homeless,
          count(*) filter (where role = 'requester' and requester_kind = 'direccte') as regional,
          count(*) filter (where role in ('agent', 'expert') and not exists
            (select 1 from user_applications ua where ua.user_id = users.id)) as uncovered
        from users`,
      );
      assert.ok(Number(people!.agents) >= 60 && Number(people!.experts) >= 15);
      assert.equal(Number(people!.homeless), 0);
      assert.ok(Number(people!.regional) > 0);
      assert.equal(Number(people!.uncovered), 0);
      // Every structure of the 18 regions is used.
      assert.equal(await count(db(), sql`select count(distinct region_id) as n from structures`), 18);
    });

    test('statuses, service levels and dates are consistent, nothing in the future', async () => {
      const bad = await rows(
        db(),
        sql`select number, status from requests where
          (status in ('resolved', 'closed') and resolved_at is null)
          or (status not in ('resolved', 'closed') and resolved_at is not null)
          or (status = 'awaiting_info' and (sla_paused_at is null or first_response_at is null))
          or (status <> 'awaiting_info' and sla_paused_at is not null)
          or (status = 'new' and (assignee_id is not null or first_response_at is not null))
          or (status <> 'new' and assignee_id is null)
          or created_at > now() or updated_at > now() or resolved_at > now() or first_response_at > now()
          or updated_at < created_at or first_response_at < created_at or resolved_at < created_at
          or first_response_due_at is null or resolution_due_at is null or first_response_due_at > resolution_due_at
          or (level = 2 and status = 'new')`,
      );
      assert.deepEqual(bad, []);
      const late = await count(
        db(),
        sql`select count(*) as n from request_events e join requests r on r.id = e.request_id
          where e.created_at > now() or e.created_at < r.created_at or e.created_at > r.updated_at`,
      );
      assert.equal(late, 0);
      // The last event of a request leads to its status.
      const wrongEnd = await count(
        db(),
        sql`select count(*) as n from requests r join lateral (select to_status from request_events e
          where e.request_id = r.id and e.to_status is not null order by e.id desc limit 1) last on true
          where last.to_status <> r.status`,
      );
      assert.equal(wrongEnd, 0);
      const [shares] = await rows<Record<string, number | string>>(
        db(),
        sql`select avg((status in ('new', 'in_progress', 'awaiting_info'))::int)::float8 as open,
          avg((status = 'closed')::int) filter (where created_at < now() - interval '1 year')::float8 as old_closed,
          count(distinct status) filter (where created_at > now() - interval '60 days') as recent_statuses,
          min(created_at) < now() - interval '4 years' as five_years
        from requests`,
      );
      assert.ok(Number(shares!.open) > 0.01 && Number(shares!.open) < 0.05, `open share ${shares!.open}`);
      assert.ok(Number(shares!.old_closed) > 0.97, `old requests closed ${shares!.old_closed}`);
      assert.equal(Number(shares!.recent_statuses), 5);
      assert.equal(shares!.five_years, true);
    });

    test('numbers are unique and follow filing; a request filed afterwards gets the next number', async () => {
      assert.equal(await count(db(), sql`select count(distinct number) as n from requests`), REQUESTS);
      const disorder = await count(
        db(),
        sql`select count(*) as n from (select created_at, lag(created_at) over (order by number) as previous from requests) x
          where created_at < previous - interval '2 hours'`,
      );
      assert.equal(disorder, 0);
      const [max] = await rows<{ n: string }>(db(), sql`select max(number) as n from requests`);
      const number = await fileAs(portal, 'demandeur', { subject: 'Demande déposée après la génération' });
      assert.equal(number, Number(max!.n) + 1);
    });

    test('the demo accounts are heavy users', async () => {
      const own = await count(
        db(),
        sql`select count(*) as n from requests r join users u on u.id = r.requester_id where u.login = 'demandeur'`,
      );
      assert.ok(own >= REQUESTS * 0.08, `demandeur files ${own}`);
      const structure = await count(
        db(),
        sql`select count(*) as n from requests r join users u on u.structure_id = r.structure_id where u.login = 'demandeur'`,
      );
      assert.ok(structure > own, 'the structure files more than the person');
      const assigned = await count(
        db(),
        sql`select count(*) as n from requests r join users u on u.id = r.assignee_id where u.login = 'agent'`,
      );
      assert.ok(assigned > 0);
    });

    test('a generated requester finds their requests in « Mes demandes », and the subject search finds one', async () => {
      const [busiest] = await rows<{ id: number; n: string }>(
        db(),
        sql`select r.requester_id as id, count(*) as n from requests r join users u on u.id = r.requester_id
          where u.login not in ('demandeur', 'direccte') group by 1 order by 2 desc limit 1`,
      );
      const actor = (await loadActor(db(), busiest!.id))!;
      assert.equal(await countMyRequests(db(), actor, DEFAULT_QUERY), Math.min(Number(busiest!.n), 1000));
      const page = await listMyRequests(db(), actor, DEFAULT_QUERY, { limit: 20 });
      assert.equal(page.rows.length, Math.min(20, Number(busiest!.n)));
      const subject = page.rows[0]!.subject;
      const found = await listMyRequests(
        db(),
        actor,
        { ...DEFAULT_QUERY, search: subject.split(' ').slice(0, 3).join(' ') },
        { limit: 50 },
      );
      assert.ok(
        found.rows.some((r) => r.subject === subject),
        `« ${subject} » found`,
      );
    });

    test('the staff search finds a generated subject', async () => {
      const [one] = await rows<{ subject: string }>(db(), sql`select subject from requests order by id desc limit 1`);
      const result = await searchRequests(db(), await actorOf(db(), 'agent'), { text: one!.subject, limit: 50 });
      assert.ok(result.hits.length > 0);
      assert.ok(
        result.hits.some((h) => h.subject === one!.subject),
        `« ${one!.subject} » among ${result.hits.map((h) => h.subject).join(' | ')}`,
      );
    });

    test('a generated person logs in with the demo password; generated documents download', async () => {
      const [person] = await rows<{ login: string }>(
        db(),
        sql`select login from users where role = 'requester' and login not in ('demandeur', 'direccte') order by id desc limit 1`,
      );
      const visitor = await new Visitor(portal.app).login(person!.login);
      const [doc] = await rows<{ id: number }>(
        db(),
        sql`select id from documents where audience <> 'agents' order by id desc limit 1`,
      );
      const file = await visitor.get(`/base-documentaire/documents/${doc!.id}/fichier`);
      assert.equal(file.statusCode, 200);
      assert.match(file.body, /Ce document explique/);
    });
  });
}
