/**
 * Load benchmark of the portal on the database it is given, written to docs/benchmarks.md.
 *   DATABASE_URL=postgres://… npm run bench    PostgreSQL (section « PostgreSQL — N demandes »)
 *   DATA_DIR=/path/to/data npm run bench        an existing embedded database (« Base embarquée — … »)
 *   npm run bench                               a new embedded database with the demo data, plus the
 *                                               start-up and identity-timing measurements
 *   npm run bench -- --start-up                 those two measurements only
 * BENCH_SECONDS (10) per line and per connection count, after 1 s of warm-up; BENCH_PORT (3900);
 * The portal runs compiled, as `npm start` runs it (built first); BENCH_SERVER=src runs src/ through tsx.
 * The filing and comment lines write real requests and comments into the database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataProbe, probeData } from './data.js';
import { formLine, getLine, type LineResult } from './load.js';
import { login, optionValues, pageText, submitForm } from './portal-client.js';
import { frenchNumber, type Line, loadNow, machine, tables, writeSections } from './report.js';
import {
  buildPortal,
  compiled,
  cpuSeconds,
  peakMemoryMb,
  type Server,
  startBareFastify,
  startServer,
  startWithNpm,
  stopServer,
} from './server.js';
import { measureIdentityTiming } from './timing.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3900);
const CONNECTIONS = [10, 50];
const REQUESTER = 'demandeur';
const AGENT = 'agent';
/** The demo pilote: the figures of CERES. */
const PILOT = 'pilote';
/** Words of the requests' subjects and comments (demo data and generated volume). */
const REQUEST_QUERIES = [
  'agrément',
  'attestation de réussite',
  'session',
  'export',
  'procès-verbal',
  'récépissé',
  'candidat',
  'convention de formation',
];
const KNOWLEDGE_QUERIES = ['agrément', 'exporter', 'attestation de réussite', 'doublon', 'mot de passe', 'session d’examen'];
const COMMENT_TARGETS = 50;

const databaseUrl = process.env.DATABASE_URL || undefined;
const givenDataDir = process.env.DATA_DIR || undefined;
const fresh = !databaseUrl && !givenDataDir;
/** `npm run bench -- --start-up`: the start-up and identity sections only, on a new embedded database. */
const startUpOnly = fresh && process.argv.includes('--start-up');
const dataDir = givenDataDir ?? mkdtempSync(join(tmpdir(), 'guichet-bench-'));
const serverEnv = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

type StartUp = { first: number; again: number; npm: number; bare: number; load: string };

/** Starts of each kind on a noisy machine: the median of five is kept. */
const STARTS = 5;

/** The portal's starts, on a new data folder then on its data, through npm, and bare Fastify's. */
async function measureStartUp(): Promise<StartUp> {
  const load = loadNow();
  const first = await startServer(PORT, serverEnv);
  await stopServer(first);
  const timed = async (start: () => Promise<Server>) => {
    const times: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const server = await start();
      times.push(server.startMs);
      await stopServer(server);
    }
    return median(times);
  };
  return {
    first: first.startMs,
    again: await timed(() => startServer(PORT, serverEnv)),
    npm: await timed(() => startWithNpm(PORT, serverEnv)),
    bare: await timed(() => startBareFastify(PORT)),
    load,
  };
}

type Session = { base: string; requester: string; agent: string; pilot: string };

async function queuePath(session: Session): Promise<string> {
  const page = await pageText(session.base, '/guichet', session.agent);
  const application = optionValues(page, 'application')[0];
  return `/guichet?statut=in_progress${application ? `&application=${application}` : ''}`;
}

/** The request page shown: one of the requester's with a few events, or one filed now with four comments. */
async function shownRequest(session: Session, probe: DataProbe): Promise<{ number: number; events?: number }> {
  if (probe.requestShown) return probe.requestShown;
  const { base, requester } = session;
  const form = await pageText(base, '/demandes/nouvelle', requester);
  const location = await submitForm(base, requester, {
    page: '/demandes/nouvelle',
    action: '/demandes/nouvelle',
    fields: filingFields(optionValues(form, 'applicationId')[0] ?? '', 0),
  });
  const number = Number(/^\/demandes\/(\d+)/.exec(location)?.[1]);
  for (let i = 1; i <= 4; i++) {
    await submitForm(base, requester, { ...commentForm(number), fields: commentFields(i) });
  }
  return { number };
}

const filingFields = (applicationId: string, n: number) => ({
  subject: `Mesure de charge n° ${n}`,
  blocking: 'non',
  applicationId,
  description: 'Demande déposée par la mesure de charge : l’export des candidats échoue après la validation.',
  // As after the suggestions step: the filing itself is measured, not the step.
  suggestionsShown: '1',
});

const commentForm = (number: number) => ({
  page: `/demandes/${number}`,
  action: `/demandes/${number}/actions`,
  tokenSuffix: '-add_info',
});

const commentFields = (n: number) => ({ action: 'add_info', message: `Information complémentaire n° ${n} : l’erreur revient.` });

/** The benchmark's lines: a name, and how to run it at a number of connections. */
async function defineLines(session: Session, probe: DataProbe) {
  const { base, requester, agent, pilot } = session;
  const lastYear = new Date().getFullYear() - 1;
  const year = `periode=dates&du=${lastYear}-01-01&au=${lastYear}-12-31`;
  const shown = await shownRequest(session, probe);
  const queue = await queuePath(session);
  const form = await pageText(base, '/demandes/nouvelle', requester);
  const applicationId = optionValues(form, 'applicationId')[0] ?? '';
  const filed: number[] = [];
  const enc = encodeURIComponent;
  const get = (paths: string[], cookie?: string) => (c: number) => getLine(base, paths, cookie, c, SECONDS);
  // Pilotage keeps a computed report for a minute: the line's first view, alone, computes it; its
  // time is reported apart (the cost of a report nobody asked for in the last minute).
  const computed = (page: string, path: string) => async (c: number) => {
    const start = performance.now();
    await pageText(base, path, pilot);
    firstViews.push({ page, connections: c, ms: performance.now() - start });
    return getLine(base, [path], pilot, c, SECONDS);
  };
  return [
    { page: 'Connexion (anonyme, GET /connexion)', run: get(['/connexion']) },
    { page: 'Accueil (demandeur)', run: get(['/'], requester) },
    { page: 'Mes demandes (demandeur, 1re page)', run: get(['/demandes'], requester) },
    {
      page: `Suivi d’une demande (demandeur, ${shown.events === undefined ? 'déposée pour la mesure, 4 commentaires' : `${shown.events} évènements`})`,
      run: get([`/demandes/${shown.number}`], requester),
    },
    { page: `File du guichet filtrée (agent, \`${queue}\`)`, run: get([queue], agent) },
    {
      page: `Recherche des demandes (agent, ${REQUEST_QUERIES.length} requêtes en alternance)`,
      run: get(
        REQUEST_QUERIES.map((q) => `/recherche?type=demandes&q=${enc(q)}`),
        agent,
      ),
    },
    {
      page: `Recherche documentaire (demandeur, ${KNOWLEDGE_QUERIES.length} requêtes en alternance)`,
      run: get(
        KNOWLEDGE_QUERIES.map((q) => `/recherche?q=${enc(q)}`),
        requester,
      ),
    },
    ...[
      ['Pilotage (pilote, CERES, 30 derniers jours)', '/pilotage'],
      [`Pilotage (pilote, CERES, ${lastYear}, bloquantes)`, `/pilotage?${year}&bloquant=oui`],
      ['Pilotage (pilote, CERES, depuis l’ouverture, niveau 2)', '/pilotage?periode=ouverture&niveau=2'],
      [`Export de tous les tableaux du pilotage (pilote, ODS, ${lastYear})`, `/pilotage/export.ods?${year}`],
    ].map(([page = '', path = '']) => ({ page, run: computed(page, path) })),
    {
      page: 'Dépôt d’une demande (demandeur, POST multipart)',
      run: (c: number) =>
        formLine(
          base,
          requester,
          {
            page: () => '/demandes/nouvelle',
            action: () => '/demandes/nouvelle',
            fields: (n) => filingFields(applicationId, n),
            onAnswer: (status, headers) => {
              const number = Number(/^\/demandes\/(\d+)/.exec(headers.location ?? '')?.[1]);
              if (status === 303 && number && filed.length < COMMENT_TARGETS) filed.push(number);
            },
          },
          c,
          SECONDS,
        ),
    },
    {
      page: `Ajout d’un commentaire (demandeur, POST multipart, réparti sur ${COMMENT_TARGETS} demandes)`,
      run: (c: number) => {
        const targets = filed.length ? filed : [shown.number];
        return formLine(
          base,
          requester,
          {
            page: (n) => `/demandes/${targets[n % targets.length]}`,
            action: (page) => `${page}/actions`,
            tokenSuffix: '-add_info',
            fields: commentFields,
          },
          c,
          SECONDS,
        );
      },
    },
  ];
}

/** The first view of each Pilotage line, timed alone before the line's load. */
const firstViews: { page: string; connections: number; ms: number }[] = [];

type Run = { lines: Line[]; memoryMb: number; cpuPercent: number; cpuSeconds: number; wallSeconds: number };

async function runLoad(server: Server, probe: DataProbe): Promise<Run> {
  const pid = server.child.pid!;
  const session = {
    base: server.base,
    requester: await login(server.base, REQUESTER),
    agent: await login(server.base, AGENT),
    pilot: await login(server.base, PILOT),
  };
  const defined = await defineLines(session, probe);
  const lines: Line[] = defined.map((d) => ({ page: d.page, results: new Map<number, LineResult>() }));
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  for (const c of CONNECTIONS) {
    for (const [i, d] of defined.entries()) {
      const result = await d.run(c);
      lines[i]!.results.set(c, result);
      console.log(
        `${c} conn. | ${d.page}: ${result.rps.toFixed(0)}/s p50 ${result.p50} p95 ${result.p95} p99 ${result.p99} err ${result.errors}`,
      );
    }
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const used = cpuSeconds(pid) - cpu0;
  return { lines, memoryMb: peakMemoryMb(pid), cpuSeconds: used, cpuPercent: (100 * used) / wallSeconds, wallSeconds };
}

/** A load average above the number of cores: something else competed for the processors. */
/** The load after a run is the run's own; only the load before it tells of other work. */
const busy = (load: { before: string; after: string }) => Number(load.before) > cpus().length / 2;

function runSection(probe: DataProbe, run: Run, load: { before: string; after: string }): [string, string] {
  const { requests, events, users } = probe.counts;
  const key = databaseUrl ? 'PostgreSQL' : 'Base embarquée';
  const heading = `## ${key} — ${frenchNumber(requests)} demandes${fresh ? ' (données de démonstration)' : ''}`;
  const origin = databaseUrl ? 'server on the same machine' : fresh ? 'new data folder, demo data' : 'existing data folder';
  const section = [
    heading,
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine()}; ${probe.engine} (${origin}); ${frenchNumber(requests)} requests, ${frenchNumber(events)} request events, ${frenchNumber(users)} users before the run. Portal run ${compiled() ? 'compiled, from `dist/` as `npm start` runs it' : 'from `src/` through tsx'}, worker included. autocannon on the same machine over loopback; each line runs ${SECONDS} s after 1 s of unmeasured warm-up. Load average ${load.before} before the run (${load.after} after it, its own load)${busy(load) ? ': the machine was busy with other work, so these figures are pessimistic' : ''}.`,
    '',
    ...tables(run.lines, CONNECTIONS, SECONDS),
    ...firstViewTable(),
    `Portal process over the run: peak resident memory (VmHWM) ${Math.round(run.memoryMb)} MB; mean CPU ${Math.round(run.cpuPercent)} % of one core (${run.cpuSeconds.toFixed(0)} s of CPU in ${run.wallSeconds.toFixed(0)} s, warm-ups included).`,
    '',
    'How to read it: « réponses » are the responses received within the line’s time (requests still in flight when it ends are not counted); latencies are those of every measured response, percentiles by nearest rank; errors are connection errors, timeouts (10 s), and any answer but a 2xx for pages (a 303 redirect for POSTs). The two POST lines fetch the form page before each submission (a fresh CSRF token and one-time form token every time); only the POSTs are counted, so their requests/s is half the HTTP traffic. The filing sets `suggestionsShown` as after the suggestions step. The filings and comments stay in the database. No rate limit applies to the measured routes (they are set per route, on login, account and access requests only); the run logs in twice.',
    '',
  ].join('\n');
  return [key, section];
}

function firstViewTable(): string[] {
  if (!firstViews.length) return [];
  return [
    '### Pilotage : premier calcul d’un rapport (une vue seule, juste avant la ligne)',
    '',
    'A report is kept a minute for everyone asking the same figures; the lines above mostly read it. Each line starts with one view alone, which computes the report (the previous one has expired by then):',
    '',
    '| page | avant la ligne à | calcul et page (ms) |',
    '|---|---|---|',
    ...firstViews.map((v) => `| ${v.page} | ${v.connections} connexions | ${Math.round(v.ms)} |`),
    '',
  ];
}

function startUpSection(startUp: StartUp): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const times = (ms: number) => `${(ms / startUp.bare).toFixed(1).replace('.', ',')} ×`;
  return [
    '## Start-up (process start until /readyz answers)',
    '',
    `Measured by \`npm run bench\` without \`DATABASE_URL\` nor \`DATA_DIR\` (a new embedded database in a temporary folder) on ${new Date().toISOString().slice(0, 10)}: ${machine()}. Load average ${startUp.load} before the run. The machine's floor is Node starting, importing Fastify and answering /readyz (${seconds(startUp.bare)}, median of ${STARTS}); each start is also read as a multiple of it.`,
    '',
    '| start | time | floor × |',
    '|---|---|---|',
    `| new data folder (initdb, migrations, seed, demo accounts and requests) | ${seconds(startUp.first)} | ${times(startUp.first)} |`,
    `| existing data folder, \`node dist/server.js\` (median of ${STARTS}) | ${seconds(startUp.again)} | ${times(startUp.again)} |`,
    `| existing data folder, \`npm start\` as the README says (npm and the build's check included, median of ${STARTS}) | ${seconds(startUp.npm)} | ${times(startUp.npm)} |`,
    '',
  ].join('\n');
}

async function identitySection(): Promise<string> {
  const timing = await measureIdentityTiming();
  return [
    '## Known and unknown identities take the same time',
    '',
    `Login and « Mot de passe oublié ? » do the same work whether the account exists or not (a dummy Argon2id hash for an unknown account). In-process on the embedded database, 60 attempts each, measured by \`npm run bench\` in its new-database mode on ${new Date().toISOString().slice(0, 10)}:`,
    '',
    '| case | median (ms) | mean (ms) |',
    '|---|---|---|',
    ...timing.map((t) => `| ${t.case} | ${t.medianMs} | ${t.meanMs} |`),
    '',
  ].join('\n');
}

/** The load lines on the database given, unless only the start-up is asked for. */
async function loadSections(): Promise<Record<string, string>> {
  if (startUpOnly) return {};
  const probe = await probeData({ databaseUrl, dataDir }, REQUESTER);
  console.log(`${probe.engine}: ${JSON.stringify(probe.counts)}`);
  const before = loadNow();
  const server = await startServer(PORT, serverEnv);
  let run: Run;
  try {
    run = await runLoad(server, probe);
  } finally {
    await stopServer(server);
  }
  const [key, section] = runSection(probe, run, { before, after: loadNow() });
  return { [key]: section };
}

buildPortal();
try {
  const startUp = fresh ? await measureStartUp() : undefined;
  const sections = await loadSections();
  if (startUp) {
    sections['Start-up'] = startUpSection(startUp);
    sections['Known and unknown identities'] = await identitySection();
  }
  writeSections(sections);
  console.log(Object.values(sections).join('\n'));
} finally {
  if (!givenDataDir) rmSync(dataDir, { recursive: true, force: true });
}
