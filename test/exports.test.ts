/**
 * CSV exports of the desk queue and of the staff search, downloaded as an agent through HTTP: the
 * byte order mark and the header, every row of the filtered list across pages (more than one page),
 * nothing the agent may not see (another application), formulas neutralised, the links keeping the
 * filters, and the gates (a requester refused, an anonymous visitor sent to the login). On both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Actor } from '../src/domain/actor.js';
import { streamRequests } from '../src/domain/requests/list-queries.js';
import { streamRequestSearch } from '../src/domain/search/request-search.js';
import { actAs, applicationId, createUser, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

/** The queue's page size (queue-routes.tsx): the list below holds more. */
const QUEUE_PAGE = 50;
const FILED = QUEUE_PAGE + 6;

/** A small RFC 4180 reader for `;`-separated files: quoted cells may hold `;`, `""` and line ends. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ';' && c !== '\r')) {
      cell += c;
    } else if (c === ';') {
      record.push(cell);
      cell = '';
    } else {
      assert.equal(text[i + 1], '\n', 'CRLF line ends');
      records.push([...record, cell]);
      record = [];
      cell = '';
      i++;
    }
  }
  assert.equal(cell + record.join(''), '', 'the file ends with a line end');
  return records;
}

/** A download: status, headers, and the records after the byte order mark. */
async function download(visitor: Visitor, url: string) {
  const response = await visitor.get(url);
  assert.equal(response.statusCode, 200, url);
  assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(String(response.headers['content-disposition']), /^attachment; filename="[a-z-]+-\d{4}-\d{2}-\d{2}\.csv"$/);
  assert.equal(response.headers['cache-control'], 'no-store');
  const body = response.rawPayload.toString('utf8');
  assert.ok(body.startsWith('\uFEFF'), 'byte order mark');
  const [header = [], ...records] = parseCsv(body.slice(1));
  return { response, header, records, numbers: records.map((r) => Number(r[0])) };
}

const sorted = (numbers: number[]) => [...numbers].sort((a, b) => a - b);

for (const kind of DATABASE_KINDS) {
  describe(`exports of the desk queue and the staff search (${kind})`, () => {
    let portal: TestPortal;
    let ceresAgent: Actor;
    let ceres: number;
    let ariane: number;
    const ceresNumbers: number[] = [];
    let formula: number;
    let elsewhere: number;
    let noted: number;

    before(async () => {
      portal = await createTestPortal(kind);
      const db = portal.database.db;
      ceres = await applicationId(db, 'CERES');
      ariane = await applicationId(db, 'ARIANE');
      ceresAgent = await createUser(db, 'agent-ceres', 'agent', ['CERES']);
      for (let i = 1; i <= FILED; i++) {
        ceresNumbers.push(await fileAs(portal, 'demandeur', { subject: `Zirconium n° ${i} introuvable`, blocking: i === 1 }));
      }
      formula = await fileAs(portal, 'demandeur', { subject: '=HYPERLINK("http://x";"zirconium")' });
      ceresNumbers.push(formula);
      noted = await fileAs(portal, 'demandeur', { subject: 'Attestation vide', description: 'Rien à voir.' });
      ceresNumbers.push(noted);
      await actAs(portal, 'agent', noted, 'internal_note', { message: 'Le zirconium du serveur est en cause.' });
      elsewhere = await fileAs(portal, 'direccte', { subject: 'Zirconium sur ARIANE', app: 'ARIANE' });
    });

    after(() => portal.close());

    test('the queue: every row of the filtered list across pages, the columns the queue shows', async () => {
      const agent = await new Visitor(portal.app).login('agent-ceres');
      const page = await agent.get(`/guichet?application=${ceres}`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(`href="/guichet/export.csv?application=${ceres}"`), 'the link keeps the filters');
      assert.match(page.body, /apres=/, 'the list has more than one page');
      const { header, records, numbers } = await download(agent, `/guichet/export.csv?application=${ceres}`);
      assert.deepEqual(header, [
        'Numéro',
        'Objet',
        'Bloquant',
        'Application',
        'Statut',
        'Niveau',
        'Demandeur',
        'Gestionnaire',
        'Mise à jour le',
        'Échéance',
        'Échéance le',
        'État de l’échéance',
      ]);
      assert.ok(records.length > QUEUE_PAGE);
      assert.deepEqual(sorted(numbers), sorted(ceresNumbers));
      assert.equal(new Set(numbers).size, numbers.length, 'no row twice');
      const first = records.find((r) => Number(r[0]) === ceresNumbers[0]);
      assert.deepEqual(first?.slice(1, 8), [
        'Zirconium n° 1 introuvable',
        'Oui',
        'CERES',
        'Nouvelle',
        'N1',
        'Hélène RIVIÈRE',
        '',
      ]);
      assert.match(first?.[8] ?? '', /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      assert.equal(first?.[9], 'Première réponse');
      assert.match(first?.[10] ?? '', /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    });

    test('the queue: nothing of another application; a text read as a formula is neutralised', async () => {
      const agent = await new Visitor(portal.app).login('agent-ceres');
      const all = await download(agent, '/guichet/export.csv');
      assert.ok(!all.numbers.includes(elsewhere), 'an ARIANE request stays out');
      assert.deepEqual(sorted(all.numbers), sorted(ceresNumbers));
      assert.equal(all.records.find((r) => Number(r[0]) === formula)?.[1], '\'=HYPERLINK("http://x";"zirconium")');
      assert.equal((await download(agent, `/guichet/export.csv?application=${ariane}`)).records.length, 0);
      // The same list for an agent of every application: the ARIANE request is there.
      const everywhere = await download(await new Visitor(portal.app).login('agent'), '/guichet/export.csv');
      assert.ok(everywhere.numbers.includes(elsewhere));
    });

    test('« Mes demandes en charge »: only what the person handles, filters kept', async () => {
      const agent = await new Visitor(portal.app).login('agent-ceres');
      const [a, b] = ceresNumbers;
      await actAs(portal, 'agent-ceres', a!, 'take');
      await actAs(portal, 'agent-ceres', b!, 'take');
      const mine = await download(agent, '/guichet/en-charge/export.csv');
      assert.deepEqual(sorted(mine.numbers), sorted([a!, b!]));
      assert.equal(mine.records[0]?.[7], 'Test AGENT-CERES', 'the assignee (as the queue writes names)');
      const blocking = await download(agent, '/guichet/en-charge/export.csv?bloquant=oui');
      assert.deepEqual(blocking.numbers, [a]);
      assert.match(
        (await agent.get('/guichet/en-charge?bloquant=oui')).body,
        /href="\/guichet\/en-charge\/export\.csv\?bloquant=oui"/,
      );
    });

    test('the queue read in keyset batches gives the list in its order, each row once', async () => {
      const batched: number[] = [];
      for await (const row of streamRequests(portal.database.db, ceresAgent, {}, { batch: 7 })) batched.push(row.number);
      const expected = await rows<{ number: string }>(
        portal.database.db,
        sql`select number from requests where application_id = ${ceres} order by updated_at desc, id desc`,
      );
      assert.deepEqual(
        batched,
        expected.map((r) => Number(r.number)),
      );
      const capped: number[] = [];
      for await (const row of streamRequests(portal.database.db, ceresAgent, {}, { batch: 7, max: 10 })) capped.push(row.number);
      assert.deepEqual(capped, batched.slice(0, 10));
    });

    test('the search: every request it ranks (more than a page), nothing of another application', async () => {
      const agent = await new Visitor(portal.app).login('agent-ceres');
      const page = await agent.get('/recherche?q=zirconium&type=demandes');
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('href="/recherche/export.csv?q=zirconium"'), 'the link keeps the words');
      assert.match(page.body, /Résultats suivants/, 'the results have more than one page');
      const { header, records, numbers } = await download(agent, '/recherche/export.csv?q=zirconium');
      assert.deepEqual(header, ['Numéro', 'Objet', 'Application', 'Statut', 'Mise à jour le', 'Trouvé dans']);
      assert.deepEqual(sorted(numbers), sorted(ceresNumbers), 'every match the agent may see, across pages');
      assert.ok(!numbers.includes(elsewhere));
      const row = (n: number) => records.find((r) => Number(r[0]) === n);
      assert.equal(row(formula)?.[1], '\'=HYPERLINK("http://x";"zirconium")');
      assert.deepEqual(row(noted)?.slice(1), [
        'Attestation vide',
        'CERES',
        'Nouvelle',
        row(noted)?.[4] ?? '',
        'Un commentaire de l’historique (note interne)',
      ]);
      assert.equal(row(ceresNumbers[2]!)?.[5], 'Objet ou description');
      const filtered = await download(agent, `/recherche/export.csv?q=zirconium&application=${ariane}`);
      assert.equal(filtered.records.length, 0);
      assert.equal((await download(agent, '/recherche/export.csv')).records.length, 0, 'no words: the header');
    });

    test('the search read in slices gives the ranking of one search, each request once', async () => {
      const db = portal.database.db;
      const whole: number[] = [];
      for await (const hit of streamRequestSearch(db, ceresAgent, { text: 'zirconium' })) whole.push(hit.number);
      const sliced: number[] = [];
      for await (const hit of streamRequestSearch(db, ceresAgent, { text: 'zirconium' }, { batch: 4 })) sliced.push(hit.number);
      assert.equal(whole.length, ceresNumbers.length);
      assert.deepEqual(sliced, whole);
    });

    test('gates: a requester is refused, an anonymous visitor sent to the login', async () => {
      const demandeur = await new Visitor(portal.app).login('demandeur');
      for (const url of ['/guichet/export.csv', '/guichet/en-charge/export.csv', '/recherche/export.csv?q=zirconium']) {
        const response = await demandeur.get(url);
        assert.equal(response.statusCode, 403, url);
        assert.doesNotMatch(response.body, /Zirconium/i, url);
        const anonymous = await new Visitor(portal.app).get(url);
        assert.equal(anonymous.statusCode, 303, url);
        assert.match(String(anonymous.headers.location), /^\/connexion/);
      }
      assert.doesNotMatch((await demandeur.get('/recherche?q=zirconium')).body, /recherche\/export\.csv/);
    });
  });
}
