/**
 * « Mes demandes »: each filter, the words search (accents and plurals folded, prefixes), number search,
 * every sort with keyset pages, the capped count, the CSV export (BOM, `;`, quoting, formulas neutralised,
 * filters applied, batches), and what another person filed never shown nor exported.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Actor } from '../src/domain/actor.js';
import {
  COUNT_CAP,
  countMyRequests,
  DEFAULT_QUERY,
  listMyRequests,
  type MyRequestsQuery,
  type SortDirection,
  type SortKey,
  streamMyRequests,
} from '../src/domain/requests/my-requests.js';
import { clearSettingsCache } from '../src/domain/settings/settings.js';
import { actAs, actorOf, applicationId, createUser, errorSummary, fieldError, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

type Seed = { subject: string; app: string; created: string; updated: string };

/** The demandeur's requests, with dates set so that every sort gives a different order. */
const SEEDS = {
  a: { subject: 'Agréments', app: 'CERES', created: '2026-01-10T09:00:00Z', updated: '2026-01-20T10:00:00Z' },
  b: { subject: 'BLOQUANT - base des agréments', app: 'CERES', created: '2026-01-12T09:00:00Z', updated: '2026-01-13T10:00:00Z' },
  c: { subject: 'Connexion impossible', app: 'ARIANE', created: '2026-02-01T09:00:00Z', updated: '2026-01-13T10:00:00Z' },
  // 00:30 on 5 February in Paris: filed « le 05/02 » although it is still the 4th in UTC.
  d: {
    subject: '=SUM(A1) dans l’export des candidats',
    app: 'CERES',
    created: '2026-02-04T23:30:00Z',
    updated: '2026-02-06T10:00:00Z',
  },
  e: { subject: 'Édition ; "PDF" vide', app: 'ARIANE', created: '2026-02-10T09:00:00Z', updated: '2026-01-25T10:00:00Z' },
} satisfies Record<string, Seed>;
type Key = keyof typeof SEEDS;

const q = (over: Partial<MyRequestsQuery> = {}): MyRequestsQuery => ({ ...DEFAULT_QUERY, ...over });

async function setSetting(portal: TestPortal, key: string, value: unknown) {
  const db = portal.database.db;
  await db.execute(
    sql`insert into settings (key, value) values (${key}, ${JSON.stringify(value)}::jsonb)
        on conflict (key) do update set value = excluded.value`,
  );
  clearSettingsCache(db);
}

for (const kind of DATABASE_KINDS) {
  describe(`Mes demandes (${kind})`, () => {
    let portal: TestPortal;
    let me: Actor;
    const n = {} as Record<Key, number>;
    let others: number;
    let colleagues: number;
    const keyOf = (number: number) => (Object.keys(n) as Key[]).find((k) => n[k] === number) ?? `#${number}`;
    const keys = async (query: MyRequestsQuery, limit = 100) =>
      (await listMyRequests(portal.database.db, me, query, { limit })).rows.map((r) => keyOf(r.number));

    before(async () => {
      portal = await createTestPortal(kind);
      const db = portal.database.db;
      for (const [key, seed] of Object.entries(SEEDS) as [Key, Seed][]) {
        n[key] = await fileAs(portal, 'demandeur', { subject: seed.subject, app: seed.app });
      }
      others = await fileAs(portal, 'direccte', { subject: 'Agréments de la région', app: 'CERES' });
      const colleague = await createUser(db, 'collegue', 'requester', ['CERES']);
      await db.execute(
        sql`update users set structure_id = (select structure_id from users where login = 'demandeur') where id = ${colleague.id}`,
      );
      colleagues = await fileAs(portal, 'collegue', { subject: 'Agréments du collègue', app: 'CERES' });
      await actAs(portal, 'agent', n.b, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'agent', n.c, 'take');
      await actAs(portal, 'agent', n.d, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'demandeur', n.d, 'accept');
      for (const [key, seed] of Object.entries(SEEDS) as [Key, Seed][]) {
        await db.execute(
          sql`update requests set created_at = ${seed.created}::timestamptz, updated_at = ${seed.updated}::timestamptz
              where number = ${n[key]}`,
        );
      }
      me = await actorOf(db, 'demandeur');
    });
    after(() => portal?.close());

    test('the default list: the person’s requests, last updated first (ties by the later filed)', async () => {
      assert.deepEqual(await keys(q()), ['d', 'e', 'a', 'c', 'b']);
    });

    test('filter by one or several statuses', async () => {
      assert.deepEqual(await keys(q({ statuses: ['new'] })), ['e', 'a']);
      assert.deepEqual(await keys(q({ statuses: ['new', 'closed'] })), ['d', 'e', 'a']);
      assert.deepEqual(await keys(q({ statuses: ['resolved'] })), ['b']);
      assert.deepEqual(await keys(q({ statuses: ['awaiting_info'] })), []);
    });

    test('filter by application', async () => {
      const ariane = await applicationId(portal.database.db, 'ARIANE');
      assert.deepEqual(await keys(q({ applicationId: ariane })), ['e', 'c']);
    });

    test('filter by period of filing, in Paris days', async () => {
      assert.deepEqual(await keys(q({ from: '2026-02-05' })), ['d', 'e']);
      assert.deepEqual(await keys(q({ to: '2026-02-04' })), ['a', 'c', 'b']);
      assert.deepEqual(await keys(q({ from: '2026-01-12', to: '2026-02-01' })), ['c', 'b']);
      assert.deepEqual(await keys(q({ from: '2026-02-05', to: '2026-02-05' })), ['d']);
    });

    test('words of the subject: accents, plurals and case folded, prefixes too; never another person’s', async () => {
      for (const words of ['agrément', 'agrements', 'AGRÉMENTS', 'agré', 'base agrément']) {
        const found = await keys(q({ search: words }));
        assert.deepEqual(found.sort(), words === 'base agrément' ? ['b'] : ['a', 'b'], words);
      }
      assert.deepEqual(await keys(q({ search: 'connexion' })), ['c']);
      assert.deepEqual(await keys(q({ search: 'édition pdf' })), ['e']);
      assert.deepEqual(await keys(q({ search: 'introuvable' })), []);
      // Characters of the search syntax are only words to look for.
      assert.deepEqual(await keys(q({ search: `"agréments" -bloquant & | ! :* ('` })), ['a']);
    });

    test('a number finds that request, and only when the person may see it', async () => {
      assert.deepEqual(await keys(q({ search: String(n.c) })), ['c']);
      assert.deepEqual(await keys(q({ search: `n° ${n.c}` })), ['c']);
      assert.deepEqual(await keys(q({ search: String(others) })), []);
      assert.deepEqual(await keys(q({ search: '99999999999999' })), []);
    });

    const SORTS: [SortKey, SortDirection, Key[]][] = [
      ['maj', 'desc', ['d', 'e', 'a', 'c', 'b']],
      ['maj', 'asc', ['b', 'c', 'a', 'e', 'd']],
      ['depot', 'desc', ['e', 'd', 'c', 'b', 'a']],
      ['depot', 'asc', ['a', 'b', 'c', 'd', 'e']],
      ['numero', 'desc', ['e', 'd', 'c', 'b', 'a']],
      ['numero', 'asc', ['a', 'b', 'c', 'd', 'e']],
    ];
    for (const [sort, direction, want] of SORTS) {
      test(`sort ${sort} ${direction}: one page, and pages of one and of two, hold the same rows in the same order`, async () => {
        const db = portal.database.db;
        const query = q({ sort, direction });
        assert.deepEqual(await keys(query), want);
        for (const limit of [1, 2]) {
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let i = 0; i < 10; i++) {
            const page = await listMyRequests(db, me, query, { limit, cursor });
            seen.push(...page.rows.map((r) => keyOf(r.number)));
            if (!page.next) break;
            cursor = page.next;
          }
          assert.deepEqual(seen, want, `pages of ${limit}`);
        }
      });
    }

    test('a cursor of another sort starts the list again rather than skipping rows', async () => {
      const db = portal.database.db;
      const first = await listMyRequests(db, me, q({ sort: 'numero', direction: 'asc' }), { limit: 2 });
      const page = await listMyRequests(db, me, q(), { limit: 2, cursor: first.next ?? undefined });
      assert.deepEqual(
        page.rows.map((r) => keyOf(r.number)),
        ['d', 'e'],
      );
    });

    test('the count follows the filters', async () => {
      const db = portal.database.db;
      assert.equal(await countMyRequests(db, me, q()), 5);
      assert.equal(await countMyRequests(db, me, q({ search: 'agrément' })), 2);
    });

    test('the export reads in batches and holds the list’s rows, in its order', async () => {
      const db = portal.database.db;
      const query = q({ sort: 'depot', direction: 'asc' });
      const seen: string[] = [];
      for await (const row of streamMyRequests(db, me, query, { batch: 2 })) seen.push(keyOf(row.number));
      assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
      const capped: string[] = [];
      for await (const row of streamMyRequests(db, me, query, { batch: 2, max: 3 })) capped.push(keyOf(row.number));
      assert.deepEqual(capped, ['a', 'b', 'c']);
    });

    test('the page: filters from the address, count, table, and a form that keeps them', async () => {
      const visitor = await new Visitor(portal.app).login('demandeur');
      const page = await visitor.get('/demandes?statut=new&statut=closed&tri=depot-asc');
      assert.equal(page.statusCode, 200);
      const html = page.body;
      assert.match(html, /3 demandes<\/strong> correspondant à ces critères/);
      const order = ['a', 'd', 'e'].map((k) => html.indexOf(`href="/demandes/${n[k as Key]}"`));
      assert.ok(order.every((i) => i > 0) && order[0]! < order[1]! && order[1]! < order[2]!, 'filed order');
      for (const k of ['b', 'c'] as Key[]) assert.ok(!html.includes(`href="/demandes/${n[k]}"`), k);
      assert.ok(!html.includes(String(others)));
      assert.match(html, /<input type="checkbox" id="statut-closed" name="statut" value="closed" checked/);
      assert.match(html, /<option value="depot-asc" selected/);
      assert.match(html, /href="\/demandes\/export\.csv\?statut=new&amp;statut=closed&amp;tri=depot-asc"/);
      assert.match(html, /<a class="fr-btn fr-btn--tertiary" href="\/demandes">Réinitialiser les filtres<\/a>/);
      assert.match(html, /<th scope="col">Déposée le<\/th>/);
    });

    test('the page: an empty state, and a bad date refused next to its field', async () => {
      const visitor = await new Visitor(portal.app).login('demandeur');
      const empty = await visitor.get('/demandes?q=introuvable');
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /Aucune demande ne correspond à ces critères/);
      assert.ok(!empty.body.includes('Exporter (CSV)'));
      const bad = await visitor.get('/demandes?du=2026-02-31&au=2026-01-01&q=agr%C3%A9ment');
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /<title>Erreur – Mes demandes/);
      assert.match(fieldError(bad.body, 'du'), /Saisissez une date valide/);
      assert.match(errorSummary(bad.body), /Déposée du : Saisissez une date valide/);
      assert.match(bad.body, /name="du" value="2026-02-31"/, 'what was typed is kept');
      assert.match(bad.body, /name="q" value="agrément"/);
      const reversed = await visitor.get('/demandes?du=2026-02-01&au=2026-01-01');
      assert.match(fieldError(reversed.body, 'au'), /La date de fin/);
    });

    test('the page: a next-page link keeps the filters and sort', async () => {
      const db = portal.database.db;
      const busy = await createUser(db, 'volumineux', 'requester', ['CERES']);
      const ceres = await applicationId(db, 'CERES');
      await db.execute(sql`insert into requests (subject, description, application_id, requester_id, created_by_id)
        select 'Demande ' || i, 'Texte', ${ceres}, ${busy.id}, ${busy.id} from generate_series(1, ${COUNT_CAP + 5}) i`);
      assert.equal(await countMyRequests(db, busy, q()), COUNT_CAP + 1, 'the count stops past the cap');
      const visitor = await new Visitor(portal.app).login('volumineux');
      const first = await visitor.get('/demandes?tri=numero-asc&q=demande');
      assert.match(first.body, /999\+ demandes/);
      const next = /href="(\/demandes\?[^"]*apres=[^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(next, 'a next-page link');
      assert.match(next, /q=demande/);
      assert.match(next, /tri=numero-asc/);
      const second = await visitor.get(next);
      const numbers = (html: string) =>
        [...html.matchAll(/<td[^>]*><a href="\/demandes\/(\d+)">\1<\/a><\/td>/g)].map((m) => Number(m[1]));
      const [a, b] = [numbers(first.body), numbers(second.body)];
      assert.equal(a.length, 20);
      assert.equal(b.length, 20);
      assert.ok(a.at(-1)! < b[0]!, 'the second page follows the first');
    });

    test('CSV: BOM, `;`, header, quoting, formulas neutralised, filters applied, nobody else’s', async () => {
      const visitor = await new Visitor(portal.app).login('demandeur');
      const all = await visitor.get('/demandes/export.csv?tri=numero-asc');
      assert.equal(all.statusCode, 200);
      assert.match(String(all.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(all.headers['content-disposition']), /^attachment; filename="mes-demandes-\d{4}-\d{2}-\d{2}\.csv"$/);
      const body = all.rawPayload.toString('utf8');
      assert.ok(body.startsWith('\uFEFF'), 'byte order mark');
      const lines = body.slice(1).split('\r\n');
      assert.equal(lines[0], 'Numéro;Objet;Application;Statut;Déposée le;Mise à jour le');
      assert.equal(lines.at(-1), '', 'ends with a line end');
      assert.equal(lines.length, 7);
      assert.equal(lines[1], `${n.a};Agréments;CERES;Nouvelle;10/01/2026 10:00;20/01/2026 11:00`);
      assert.equal(lines[4], `${n.d};'=SUM(A1) dans l’export des candidats;CERES;Clôturée;05/02/2026 00:30;06/02/2026 11:00`);
      assert.equal(lines[5], `${n.e};"Édition ; ""PDF"" vide";Ariane;Nouvelle;10/02/2026 10:00;25/01/2026 11:00`);
      assert.ok(!body.includes(String(others)) && !body.includes('collègue'));
      const filtered = await visitor.get(`/demandes/export.csv?application=${await applicationId(portal.database.db, 'ARIANE')}`);
      const numbers = filtered.body
        .split('\r\n')
        .slice(1, -1)
        .map((l) => Number(l.split(';')[0]));
      assert.deepEqual(numbers.sort(), [n.c, n.e].sort());
      const searched = await visitor.get(`/demandes/export.csv?q=${others}`);
      assert.equal(searched.body.split('\r\n').length, 2, 'only the header');
    });

    test('malformed parameters filter nothing and break nothing', async () => {
      const visitor = await new Visitor(portal.app).login('demandeur');
      const urls = [
        '/demandes?q=%00agr%C3%A9ment%00',
        `/demandes?q=${encodeURIComponent("'); drop table requests; --")}`,
        `/demandes?q=${'a'.repeat(5000)}`,
        '/demandes?apres=garbage&tri=numero-asc',
        `/demandes?apres=${Buffer.from("numero-asc|1'|1").toString('base64url')}&tri=numero-asc`,
        '/demandes?statut=x&statut=new&tri=evil&application=99999999999&vue=tout',
        '/demandes?statut[]=new&tri[]=maj',
        '/demandes/export.csv?q=%00&du=garbage&apres=x',
      ];
      for (const url of urls) assert.equal((await visitor.get(url)).statusCode, 200, url);
      assert.equal((await visitor.get('/demandes?du=2026-13-01')).statusCode, 422);
      const nul = await visitor.get('/demandes?q=%00agr%C3%A9ment%00');
      assert.match(nul.body, /2 demandes<\/strong>/);
    });

    test('staff have no « Mes demandes » export', async () => {
      const visitor = await new Visitor(portal.app).login('agent');
      assert.equal((await visitor.get('/demandes/export.csv')).statusCode, 403);
    });

    test('structure view: only with the setting on; read-only for colleagues; CSV alike', async () => {
      const visitor = await new Visitor(portal.app).login('demandeur');
      await setSetting(portal, 'shareWithinStructure', false);
      const off = await visitor.get('/demandes?vue=structure');
      assert.ok(!off.body.includes(`href="/demandes/${colleagues}"`));
      assert.ok(!off.body.includes('Toutes les demandes de ma structure'));
      assert.equal((await visitor.get(`/demandes/${colleagues}`)).statusCode, 404);
      assert.ok(!(await visitor.get('/demandes/export.csv?vue=structure')).body.includes(String(colleagues)));

      await setSetting(portal, 'shareWithinStructure', true);
      const mine = await visitor.get('/demandes');
      assert.ok(!mine.body.includes(`href="/demandes/${colleagues}"`), '« Mes demandes » stays mine');
      assert.match(mine.body, /<a class="fr-tag" href="\/demandes" aria-current="page">Mes demandes<\/a>/);
      const on = await visitor.get('/demandes?vue=structure');
      assert.match(on.body, /<h1>Toutes les demandes de ma structure<\/h1>/);
      assert.ok(on.body.includes(`href="/demandes/${colleagues}"`));
      assert.ok(!on.body.includes(`href="/demandes/${others}"`));
      assert.match(on.body, /<th scope="col">Demandeur<\/th>/);
      assert.match(on.body, /name="vue" value="structure"/, 'the filters keep the view');
      assert.ok((await visitor.get('/demandes/export.csv?vue=structure')).body.includes(String(colleagues)));
      const page = await visitor.get(`/demandes/${colleagues}`);
      assert.equal(page.statusCode, 200);
      assert.ok(!/id="form-/.test(page.body), 'no action form on a colleague’s request');
      await actAs(portal, 'agent', colleagues, 'ask_info', { message: 'Quelle session ?' });
      const asked = (await visitor.get(`/demandes/${colleagues}`)).body;
      assert.doesNotMatch(asked, /id="question-title"/, 'the question is for the colleague, who answers it');
      await setSetting(portal, 'shareWithinStructure', false);
    });

    test('the database answers the words search with the GIN index expression', async () => {
      const [row] = await rows<{ indexdef: string }>(
        portal.database.db,
        sql`select indexdef from pg_indexes where indexname = 'requests_subject_search_idx'`,
      );
      assert.match(row?.indexdef ?? '', /gin \(to_tsvector\('fr_unaccent'::regconfig, subject\)\)/);
    });
  });
}
