/**
 * Search latency on the seeded demo data, in-process (no HTTP load generator: it measures one
 * search at a time, as a person types). Optionally adds generated requests with a comment each so
 * that the agents' search has some volume. Writes the « Search latency » section of docs/benchmarks.md.
 *   npx tsx bench/search.ts          (SEARCH_RUNS=200, SEARCH_REQUESTS=2000 by default)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Actor } from '../src/domain/actor.js';
import { documentStore } from '../src/domain/knowledge/documents-files.js';
import { searchKnowledge } from '../src/domain/search/knowledge-search.js';
import { searchRequests } from '../src/domain/search/request-search.js';
import { runDocumentText } from '../src/jobs/document-text.js';
import { actorOf } from '../test/support/factories.js';
import { Visitor } from '../test/support/http.js';
import { createTestPortal } from '../test/support/portal.js';

const RUNS = Number(process.env.SEARCH_RUNS ?? 200);
const EXTRA_REQUESTS = Number(process.env.SEARCH_REQUESTS ?? 2000);
const QUERIES = [
  'agréments bloquants',
  'editions',
  'agré',
  'session',
  'mot de passe',
  'attestation de réussite',
  'jury',
  'certification',
  'connexion impossible',
  'récépissé',
];

/** Requests with varied French subjects, descriptions and one comment each, straight in SQL. */
async function addRequests(db: Parameters<typeof searchKnowledge>[0], count: number) {
  if (count <= 0) return;
  const words = ['agrément', 'session', 'jury', 'attestation', 'candidat', 'édition', 'export', 'connexion', 'titre', 'contrôle'];
  const wordsSql = sql.raw(`array[${words.map((w) => `'${w}'`).join(',')}]`);
  await db.execute(sql`
    insert into requests (subject, description, application_id, requester_id, created_by_id, structure_id, status)
    select 'Problème de ' || (${wordsSql})[1 + i % 10] || ' n° ' || i,
      'Lors de l’' || (${wordsSql})[1 + (i / 10) % 10] || ', le portail affiche une erreur pour le ' || (${wordsSql})[1 + i % 7] || '.',
      a.id, u.id, u.id, u.structure_id, 'in_progress'
    from generate_series(1, ${count}) i
    cross join lateral (select id from applications order by id offset i % 3 limit 1) a
    cross join (select id, structure_id from users where login = 'demandeur') u`);
  await db.execute(sql`
    insert into request_events (request_id, kind, body, internal)
    select id, 'comment', 'Vérifiez le ' || subject || ' avant la prochaine session de jury.', id % 2 = 0
    from requests where subject like 'Problème de %'`);
}

async function measure(runs: number, fn: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  return { p50: at(0.5), p95: at(0.95), max: times.at(-1)!.toFixed(1) };
}

const loadBefore = loadavg()[0]!;
const portal = await createTestPortal('pglite');
try {
  const db = portal.database.db;
  await runDocumentText(db, documentStore(portal.config.dataDir)).catch(() => 0);
  await addRequests(db, EXTRA_REQUESTS);
  const requester: Actor = await actorOf(db, 'demandeur');
  const agent: Actor = await actorOf(db, 'agent');
  const [counts] = (
    await db.execute(sql`select (select count(*) from faq_entries) as faq, (select count(*) from documents) as docs,
      (select count(*) from requests) as requests, (select count(*) from request_events where body is not null) as comments`)
  ).rows as { faq: number; docs: number; requests: number; comments: number }[];
  const q = (i: number) => QUERIES[i % QUERIES.length]!;
  // Warm-up: the first queries plan and load the dictionaries.
  for (const text of QUERIES) {
    await searchKnowledge(db, requester, { text });
    await searchRequests(db, agent, { text });
  }
  const people = { requester: new Visitor(portal.app), agent: new Visitor(portal.app) };
  await people.requester.login('demandeur');
  await people.agent.login('agent');
  const rows = [
    ['searchKnowledge (demandeur, 20 résultats)', await measure(RUNS, (i) => searchKnowledge(db, requester, { text: q(i) }))],
    ['searchRequests (agent, 20 résultats)', await measure(RUNS, (i) => searchRequests(db, agent, { text: q(i) }))],
    [
      'GET /recherche (demandeur, page complète)',
      await measure(RUNS, (i) => people.requester.get(`/recherche?q=${encodeURIComponent(q(i))}`)),
    ],
    [
      'GET /recherche?type=demandes (agent, page complète)',
      await measure(RUNS, (i) => people.agent.get(`/recherche?q=${encodeURIComponent(q(i))}&type=demandes`)),
    ],
  ] as const;
  const section = [
    '## Search latency',
    '',
    `Measured by \`npx tsx bench/search.ts\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores; load average ${loadBefore.toFixed(1)} before and ${loadavg()[0]!.toFixed(1)} after: the machine may have been busy with other work, so read these as upper bounds): embedded database (PGlite) with the seeded demo data (${counts?.faq} FAQ entries, ${counts?.docs} documents) plus ${EXTRA_REQUESTS} generated requests with one comment each (${counts?.requests} requests, ${counts?.comments} comments in all). ${RUNS} searches per line, one at a time, cycling through ${QUERIES.length} French queries (${QUERIES.map((t) => `« ${t} »`).join(', ')}), after one warm-up round. « page complète » is the whole HTTP request in-process (\`app.inject\`: session, search, rendering).`,
    '',
    '| search | p50 (ms) | p95 (ms) | max (ms) |',
    '|---|---|---|---|',
    ...rows.map(([name, r]) => `| ${name} | ${r.p50} | ${r.p95} | ${r.max} |`),
    '',
  ].join('\n');
  writeSection(section);
  console.log(section);
} finally {
  await portal.close();
}

/** Replaces the « Search latency » section of docs/benchmarks.md (or appends it). */
function writeSection(section: string) {
  const file = 'docs/benchmarks.md';
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('## Search latency');
  if (start < 0) return writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
  const next = text.indexOf('\n## ', start + 1);
  writeFileSync(file, `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next + 1)}`);
}
