/**
 * Benchmarks: start-up time (new and existing data folder) and page throughput, measured on the
 * embedded database. Writes the figures to docs/benchmarks.md.
 *   npm run bench            (BENCH_SECONDS=5 by default per page)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEFAULT_DEMO_PASSWORD } from '../src/config.js';
import { measureIdentityTiming } from './timing.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PORT = 3900;
const base = `http://127.0.0.1:${PORT}`;

type Started = { child: ChildProcess; ms: number };

async function start(dataDir: string): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(PORT), LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: 'ignore',
  });
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, ms: performance.now() - t0 };
    } catch {}
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function stop(child: ChildProcess) {
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

/** Peak resident memory of a process, from /proc. */
function peakMemoryMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function login(login: string): Promise<string> {
  const page = await fetch(`${base}/connexion`);
  const csrfCookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${base}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, login, password: DEFAULT_DEMO_PASSWORD, next: '/' }),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  return [csrfCookie, ...session].join('; ');
}

async function fileRequest(cookie: string): Promise<number> {
  const form = await (await fetch(`${base}/demandes/nouvelle`, { headers: { cookie } })).text();
  const csrf = decodeURIComponent(/_csrf=([^"&]+)/.exec(form)?.[1] ?? '');
  const token = /name="token" value="([^"]+)"/.exec(form)?.[1] ?? '';
  const ceres = /<option value="(\d+)"[^>]*>CERES<\/option>/.exec(form)?.[1] ?? '';
  const body = new FormData();
  for (const [k, v] of Object.entries({
    token,
    subject: 'Mesure',
    blocking: 'non',
    applicationId: ceres,
    description: 'Demande créée pour la mesure.',
  })) {
    body.append(k, v);
  }
  const response = await fetch(`${base}/demandes/nouvelle?_csrf=${encodeURIComponent(csrf)}`, {
    method: 'POST',
    body,
    headers: { cookie },
    redirect: 'manual',
  });
  return Number(/\/demandes\/(\d+)/.exec(response.headers.get('location') ?? '')?.[1]);
}

type Row = { page: string; rps: number; p50: number; p97: number; p99: number; errors: number };

async function load(page: string, path: string, cookie?: string): Promise<Row> {
  const result = await autocannon({
    url: `${base}${path}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: cookie ? { cookie } : {},
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    page,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p97: result.latency.p97_5,
    p99: result.latency.p99,
    errors,
  };
}

/** The search latency section is written by bench/search.ts: kept as it is. */
function searchSection(): string {
  const text = readFileSync('docs/benchmarks.md', 'utf8');
  const start = text.indexOf('## Search latency');
  return start < 0 ? '' : `\n${text.slice(start)}`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const dataDir = mkdtempSync(join(tmpdir(), 'guichet-bench-'));
try {
  const first = await start(dataDir);
  await stop(first.child);
  const again: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await start(dataDir);
    again.push(s.ms);
    await stop(s.child);
  }
  const { child } = await start(dataDir);
  const requester = await login('demandeur');
  const agent = await login('agent');
  const number = await fileRequest(requester);
  const rows = [
    await load('Connexion (anonyme)', '/connexion'),
    await load('Accueil (demandeur)', '/', requester),
    await load('Mes demandes', '/demandes', requester),
    await load('Suivi de la demande', `/demandes/${number}`, requester),
    await load('Guichet (agent)', '/guichet', agent),
    await load('Recherche (demandeur)', `/recherche?q=${encodeURIComponent('agréments bloquants')}`, requester),
    await load('Recherche des demandes (agent)', '/recherche?q=mesure&type=demandes', agent),
  ];
  const memory = peakMemoryMb(child.pid!);
  await stop(child);
  const timing = await measureIdentityTiming();

  const report = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, embedded database (PGlite), demo data plus one request.`,
    '',
    '## Start-up (process start until /readyz answers)',
    '',
    '| data folder | time |',
    '|---|---|',
    `| new (initdb, migrations, seed, demo accounts) | ${(first.ms / 1000).toFixed(1)} s |`,
    `| existing (median of 3) | ${(median(again) / 1000).toFixed(1)} s |`,
    '',
    `## Pages (${CONNECTIONS} connections, ${SECONDS} s each, autocannon)`,
    '',
    '| page | requests/s | p50 (ms) | p97.5 (ms) | p99 (ms) | errors |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.page} | ${r.rps} | ${r.p50} | ${r.p97} | ${r.p99} | ${r.errors} |`),
    '',
    `Peak resident memory of the portal process: ${Math.round(memory)} MB.`,
    '',
    '## Known and unknown identities take the same time',
    '',
    'Login and « Mot de passe oublié ? » do the same work whether the account exists or not (a dummy Argon2id hash for an unknown account). In-process, 60 attempts each:',
    '',
    '| case | median (ms) | mean (ms) |',
    '|---|---|---|',
    ...timing.map((t) => `| ${t.case} | ${t.medianMs} | ${t.meanMs} |`),
    '',
  ].join('\n');
  writeFileSync('docs/benchmarks.md', `${report}${searchSection()}`);
  console.log(report);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
