/**
 * Query plans at volume, on PostgreSQL (the server's plan is what production runs): a fresh database
 * filled with 200,000 requests and analysed; the real portal driven through its pages as the demo
 * roles, its jobs run once, every statement sent to the server recorded, then explained with its own
 * values: none may read a big table sequentially. Pages must send a bounded number of statements,
 * no more for many rows than for a few (no query per row).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { generateVolume } from '../bench/volume/generate.js';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { seed } from '../src/db/seed/seed.js';
import { FileStore } from '../src/domain/attachments/store.js';
import { documentStore } from '../src/domain/knowledge/documents-files.js';
import { mailContextOf } from '../src/domain/notifications/request-notifications.js';
import { runAutoClose } from '../src/jobs/auto-close.js';
import { sendDigests } from '../src/jobs/digest.js';
import { runDocumentText } from '../src/jobs/document-text.js';
import { runMaintenance } from '../src/jobs/maintenance.js';
import { OutboxWorker } from '../src/jobs/outbox-worker.js';
import { readForm } from './support/factories.js';
import { Visitor } from './support/http.js';
import { PASSWORD, serverUrl } from './support/portal.js';

const REQUESTS = 200_000;

/** Tables that grow with use: none of them may be read from end to end by a hot query. */
const BIG_TABLES = new Set(
  (
    'requests request_events attachments users structures sessions outbox faq_entries documents ' +
    'knowledge_suggestions audit_log inbound_messages request_facts request_status_spans'
  ).split(' '),
);

/**
 * Facts are read by a range of dates within an application: over a period covering most of its
 * history (« depuis l’ouverture »), reading the table is the planner's right choice. An index must
 * still serve the statement once seq scans are off (reported).
 */
const PERIOD_TABLES = new Set(['request_facts']);

/** Rows from which a table counts as big in the filled database (its plan is taken as it comes). */
const LARGE = 5000;

/** Statements a page may send: session, person, its queries (none per row listed). */
const PAGE_BOUND = 15;

type Statement = { text: string; values: unknown[]; source: string };

/** Every statement the portal sends to the server, with the page or job that sent it. */
class Recorder {
  readonly all: Statement[] = [];
  private source: string | null = null;
  private readonly original = pg.Client.prototype.query;

  install() {
    const recorder = this;
    const original = this.original;
    // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; the arguments pass through untouched.
    pg.Client.prototype.query = function (this: pg.Client, config: any, values?: any, callback?: any) {
      if (recorder.source && !(this as { unrecorded?: boolean }).unrecorded) {
        const text = typeof config === 'string' ? config : config?.text;
        const params = Array.isArray(values) ? values : (config?.values ?? []);
        if (typeof text === 'string') recorder.all.push({ text, values: params, source: recorder.source });
      }
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      return (original as any).call(this, config, values, callback);
    } as typeof pg.Client.prototype.query;
  }

  uninstall = () => {
    pg.Client.prototype.query = this.original;
  };

  /** Runs `work` recording under `source`; returns how many statements it sent. */
  async during<T>(source: string, work: () => Promise<T>): Promise<{ result: T; count: number }> {
    const start = this.all.length;
    this.source = source;
    try {
      const result = await work();
      return { result, count: this.all.length - start };
    } finally {
      this.source = null;
    }
  }
}

/** Transaction control, settings and inserts of literal rows have no plan worth checking. */
const UNPLANNED =
  /^\s*(begin|commit|rollback|savepoint|release|set|show|reset|select\s+(1|pg_advisory)|insert\s+into\s+\S+\s*(\([^)]*\))?\s*values)\b/i;

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };

function seqScans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' && node['Relation Name'] && BIG_TABLES.has(node['Relation Name']);
  return [...(own ? [node['Relation Name'] as string] : []), ...(node.Plans ?? []).flatMap(seqScans)];
}

function printPlan(node: PlanNode & Record<string, unknown>, depth = 0): string {
  const detail = ['Relation Name', 'Index Name', 'Filter', 'Index Cond', 'Plan Rows']
    .filter((k) => node[k] !== undefined)
    .map((k) => `${k}: ${node[k]}`)
    .join(', ');
  const line = `${'  '.repeat(depth)}-> ${node['Node Type']} (${detail})`;
  return [line, ...(node.Plans ?? []).map((p) => printPlan(p as PlanNode & Record<string, unknown>, depth + 1))].join('\n');
}

/** Outside CI, a machine without the server skips this file; in CI it fails. */
async function serverMissingLocally() {
  const probe = new pg.Client({ connectionString: serverUrl(), connectionTimeoutMillis: 3000 });
  return probe.connect().then(
    () => probe.end().then(() => false),
    (error) => {
      if (process.env.CI === 'true') throw error;
      return true;
    },
  );
}

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

function databaseUrl(database: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function fill(database: Database) {
  const started = Date.now();
  await generateVolume(database, { requests: REQUESTS });
  console.log(`filled ${REQUESTS} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Audit entries: enough for the journal's filtered pages to be planned as on a busy portal. */
const AUDIT_ENTRIES = 300_000;

/** The audit trail of a few years: logins of every account, administrative actions on accounts. */
async function fillAudit(client: pg.Client) {
  await client.query(`insert into audit_log (at, actor_id, action, target, ip)
    select now() - (${AUDIT_ENTRIES} - i) * interval '2 minutes',
      (select id from users order by id offset (i % (select count(*) from users)) limit 1),
      (array['login.success', 'login.success', 'logout', 'login.failure', 'user.update', 'settings.update'])[1 + i % 6],
      case when i % 3 = 0 then 'user:' || (i % 4000) end,
      '192.0.2.' || (i % 250)
    from generate_series(1, ${AUDIT_ENTRIES}) i`);
}

/**
 * QUERY_PLANS_TEMPLATE names a filled database kept on the server (made on first use): each run
 * copies it instead of filling again, which makes working on indexes quick (drop it when the
 * volume generator changes; later migrations are applied to each copy).
 */
async function keptTemplate(template: string) {
  const exists = await admin((c) => c.query('select 1 from pg_database where datname = $1', [template]));
  if (exists.rowCount) return;
  await admin((c) => c.query(`create database ${template}`));
  const database = await openDatabase({ dataDir: '', databaseUrl: databaseUrl(template), poolSize: 5 });
  try {
    await migrate(database);
    await seed(database.db, { demoPassword: PASSWORD });
    await fill(database);
  } finally {
    await database.close();
  }
}

const skip = (await serverMissingLocally()) ? 'no PostgreSQL server at TEST_DATABASE_URL (required in CI)' : false;

describe(`query plans with ${REQUESTS.toLocaleString('en')} requests (PostgreSQL)`, { skip }, () => {
  const name = `guichet_plans_${randomBytes(5).toString('hex')}`;
  const recorder = new Recorder();
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-plans-'));
  /** Statements sent by each page (and the requests it lists), by each form sent, by each job. */
  const pages = new Map<string, { statements: number; rows: number }>();
  const sent = new Map<string, number>();
  let database: Database;
  let app: FastifyInstance;
  let explainer: pg.Client & { unrecorded?: boolean };
  let config: ReturnType<typeof loadConfig>;
  /** The application most requests are about. */
  let ceres: number;

  before(async () => {
    const template = process.env.QUERY_PLANS_TEMPLATE;
    if (template) await keptTemplate(template);
    await admin((c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`));
    const url = databaseUrl(name);
    database = await openDatabase({ dataDir: '', databaseUrl: url, poolSize: 5 });
    await migrate(database);
    await seed(database.db, { demoPassword: PASSWORD });
    if (!template) await fill(database);
    explainer = new pg.Client({ connectionString: url });
    explainer.unrecorded = true;
    await explainer.connect();
    await fillAudit(explainer);
    // As autovacuum leaves the tables at rest: statistics, and the visibility map index-only scans need.
    await explainer.query('vacuum analyze');
    // A relay that refuses connections: the outbox claims, fails to send, and records it.
    const env = { NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SMTP_URL: 'smtp://127.0.0.1:9' };
    config = loadConfig({ ...env, SESSION_SECRET: randomBytes(32).toString('hex') });
    app = await buildApp({ config: { ...config, databaseUrl: 'postgres' }, database, logger: false });
    await app.ready();
    ceres = (await one<{ id: number }>(`select id from applications where code = 'CERES'`)).id;
    recorder.install();
    await drive();
  });

  after(async () => {
    recorder.uninstall();
    await app?.close();
    await explainer?.end();
    await database?.close();
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const one = async <T>(sql: string, values: unknown[] = []) => (await explainer.query(sql, values)).rows[0] as T;
  /** GETs a page as `visitor`, checks it answered, and keeps its statement count. */
  async function page(visitor: Visitor, label: string, url: string): Promise<string> {
    const { result, count } = await recorder.during(label, () => visitor.get(url));
    assert.equal(result.statusCode, 200, `${label} (${url}) answered ${result.statusCode}`);
    pages.set(label, { statements: count, rows: new Set(result.body.match(/href="\/demandes\/\d+"/g)).size });
    return result.body;
  }

  const nextLink = (html: string) => {
    const href = /href="([^"]*apres=[^"]+)"/.exec(html)?.[1];
    assert.ok(href, 'a link to the next page');
    return href.replace(/&amp;/g, '&');
  };

  async function drive() {
    const anonymous = new Visitor(app);
    await page(anonymous, 'login page', '/connexion');
    const requester = new Visitor(app);
    const agent = new Visitor(app);
    await recorder.during('login POST', () => requester.login('demandeur'));
    await recorder.during('login POST', () => agent.login('agent'));
    await page(requester, 'home (requester)', '/');
    await page(agent, 'home (agent)', '/');
    await requesterPages(requester);
    await deskPages(agent);
    await knowledgePages(requester, agent);
    await writes(requester, agent);
    await pilotagePages();
    await auditPages();
    await jobs();
  }

  /** « Pilotage » as the demo pilote (CERES) and as the administrator (every application, the desk). */
  async function pilotagePages() {
    const pilot = new Visitor(app);
    const admin = new Visitor(app);
    await recorder.during('login POST', () => pilot.login('pilote'));
    await recorder.during('login POST', () => admin.login('admin'));
    await page(pilot, 'pilotage, 30 days', '/pilotage');
    await page(
      pilot,
      'pilotage, a year, blocking, level 2',
      '/pilotage?periode=dates&du=2025-01-01&au=2025-12-31&bloquant=oui&niveau=2',
    );
    await page(pilot, 'pilotage, since the opening, by channel', '/pilotage?periode=ouverture&canal=telephone');
    await page(admin, 'pilotage (administrator)', '/pilotage?periode=mois');
    const { result } = await recorder.during('pilotage export', () =>
      pilot.get('/pilotage/export.ods?periode=dates&du=2025-01-01&au=2025-12-31'),
    );
    assert.equal(result.statusCode, 200);
  }

  /** « Journal d’audit »: each filter, a period, and all of them together (keyset pages on (at, id)). */
  async function auditPages() {
    const admin = new Visitor(app);
    await recorder.during('login POST', () => admin.login('admin'));
    const html = await page(admin, 'audit log', '/admin/journal');
    const next = /href="([^"]*avant=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(next, 'a link to the older entries');
    await page(admin, 'audit log page 2', next);
    const day = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const filters = ['personne=agent', 'action=login.failure', 'objet=user&identifiant=42', 'objet=user', `du=${day}&au=${day}`];
    for (const q of [...filters, `personne=agent&action=login.success&du=${day}`])
      await page(admin, `audit log ${q}`, `/admin/journal?${q}`);
    const { result } = await recorder.during('audit log export', () => admin.get('/admin/journal/export.csv?action=user.update'));
    assert.equal(result.statusCode, 200);
  }

  async function requesterPages(requester: Visitor) {
    let firstPage = '';
    for (const tri of ['maj-desc', 'maj-asc', 'depot-desc', 'depot-asc', 'numero-desc', 'numero-asc']) {
      const html = await page(requester, `Mes demandes tri=${tri}`, `/demandes?tri=${tri}`);
      if (tri === 'maj-desc') firstPage = html;
    }
    await page(requester, 'Mes demandes page 2', nextLink(firstPage));
    const filters = ['statut=in_progress', `application=${ceres}`, 'q=attestation', 'du=2025-01-01&au=2025-06-30'];
    for (const q of filters) await page(requester, `Mes demandes ${q}`, `/demandes?${q}`);
    const own = await one<{ oldest: number; newest: number }>(
      `select min(number) as oldest, max(number) as newest from requests where requester_id = (select id from users where login = 'demandeur')`,
    );
    // A request number as the search: one row listed.
    await page(requester, 'Mes demandes few rows', `/demandes?q=${own.oldest}`);
    await page(requester, 'request page (requester)', `/demandes/${own.newest}`);
  }

  async function deskPages(agent: Visitor) {
    const html = await page(agent, 'desk queue', '/guichet');
    await page(agent, 'desk queue page 2', nextLink(html));
    const statuses = ['new', 'in_progress', 'awaiting_info', 'resolved', 'closed'].map((s) => `statut=${s}`);
    const others = 'niveau=2 gestionnaire=moi gestionnaire=personne bloquant=oui echeance=en-retard echeance=bientot'.split(' ');
    for (const q of [...statuses, `application=${ceres}`, ...others]) await page(agent, `desk queue ${q}`, `/guichet?${q}`);
    await page(agent, 'desk queue, Mes demandes en charge', '/guichet/en-charge');
    await page(agent, 'desk queue few rows', '/guichet?statut=in_progress&bloquant=oui&gestionnaire=moi');
    const some = await one<{ number: number }>(`select number from requests order by id desc offset 5 limit 1`);
    await page(agent, 'request page (agent)', `/demandes/${some.number}`);
  }

  async function knowledgePages(requester: Visitor, agent: Visitor) {
    // A request's subject as typed by an agent. A single word of the generated vocabulary is found in
    // 4 % or more of all requests, where reading the table is the planner's right choice (reported).
    const { subject } = await one<{ subject: string }>(`select subject from requests order by id desc offset 10 limit 1`);
    const text = `q=${encodeURIComponent(subject)}`;
    const searches = [text, `${text}&type=demandes`, `${text}&type=demandes&decalage=20`, `${text}&application=${ceres}`];
    const knowledge = ['q=formation&type=faq', 'q=formation&type=document', 'q=67200'];
    for (const q of [...searches, ...knowledge]) await page(agent, `search ${q.replace(text, 'q=<subject>')}`, `/recherche?${q}`);
    await page(requester, 'search (requester)', '/recherche?q=attestation');
    await page(requester, 'FAQ list', '/faq');
    await page(requester, 'FAQ list application', `/faq?application=${ceres}`);
    const faq = await one<{ number: number }>(`select number from faq_entries where published order by number limit 1`);
    await page(requester, 'FAQ entry', `/faq/${faq.number}`);
    await page(requester, 'documents list', '/base-documentaire');
    await page(requester, 'documents list application', `/base-documentaire?application=${ceres}`);
    const doc = await one<{ id: number }>(`select id from documents where published order by id limit 1`);
    if (doc) await page(requester, 'document', `/base-documentaire/documents/${doc.id}`);
  }

  async function writes(requester: Visitor, agent: Visitor) {
    const form = await page(requester, 'filing form', '/demandes/nouvelle');
    const fields = readForm(form);
    const post = () =>
      requester.postMultipart(`/demandes/nouvelle`, {
        _csrf: fields.csrf,
        token: fields.token,
        subject: 'Attestation de formation introuvable',
        blocking: 'non',
        applicationId: fields.option('CERES'),
        description: 'L’attestation de la session de mars n’apparaît plus dans mon espace.',
      });
    // The first sending may stop on the suggestions step; the second one files.
    const held = await recorder.during('filing POST (suggestions)', post);
    sent.set('filing POST (suggestions)', held.count);
    const filed = held.result.statusCode === 303 ? held : await recorder.during('filing POST', post);
    assert.equal(filed.result.statusCode, 303, 'the request was filed');
    sent.set('filing POST', filed.count);
    const number = Number(/(?:\/demandes\/|enregistree=)(\d+)/.exec(String(filed.result.headers.location))?.[1]);
    // Work the filing left to finish after its answer (notices) must not count as the page's.
    await agent.get(`/demandes/${number}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const html = await page(agent, 'request page, 2 events', `/demandes/${number}`);
    const csrf = decodeURIComponent(/name="_csrf" value="([^"]+)"|_csrf=([^"&]+)/.exec(html)?.slice(1).find(Boolean) ?? '');
    for (let i = 0; i < 18; i++) {
      const version = /name="version" value="(\d+)"/.exec(await agent.get(`/demandes/${number}`).then((r) => r.body))?.[1];
      const fields = { _csrf: csrf, action: 'internal_note', message: `Note ${i}`, version: version ?? '1' };
      const note = await recorder.during('comment POST', () => agent.post(`/demandes/${number}/actions`, fields));
      assert.equal(note.result.statusCode, 303, `note ${i} was added`);
      sent.set('comment POST', note.count);
    }
    await page(agent, 'request page, 20 events', `/demandes/${number}`);
  }

  async function jobs() {
    const mail = mailContextOf(config);
    await explainer.query(`update users set notify_new_requests = 'digest', digest_sent_at = null where login = 'agent'`);
    const run = async (label: string, job: () => Promise<unknown>) => sent.set(label, (await recorder.during(label, job)).count);
    await run('job: outbox', () => new OutboxWorker(database.db, config, { info() {}, warn() {} }).runOnce());
    await run('job: auto-close', () => runAutoClose(database.db, mail));
    // After 08:00 in Paris, when digests go out.
    const morning = new Date(`${new Date().toISOString().slice(0, 10)}T10:00:00+01:00`);
    await run('job: digest', () => sendDigests(database.db, mail, morning));
    await run('job: document text', () => runDocumentText(database.db, documentStore(dataDir)));
    await run('job: maintenance', () => runMaintenance(database.db, new FileStore(join(dataDir, 'files'))));
  }

  const planOf = async (statement: Statement): Promise<PlanNode & Record<string, unknown>> => {
    const [row] = (await explainer.query(`explain (format json) ${statement.text}`, statement.values)).rows;
    return (row['QUERY PLAN'] as { Plan: PlanNode & Record<string, unknown> }[])[0]!.Plan;
  };

  /**
   * Tables the fill keeps small (the FAQ's 500 entries, 300 documents) are rightly read whole by
   * the planner; for them the plan is asked again without sequential scans: if one remains, no
   * index can serve the query once the table grows.
   */
  async function withoutSeqScan(statement: Statement) {
    await explainer.query('set enable_seqscan = off');
    return planOf(statement).finally(() => explainer.query('reset enable_seqscan'));
  }

  test('no hot statement reads a big table sequentially', async () => {
    const tables = [...BIG_TABLES];
    const { rows } = await explainer.query('select relname, reltuples from pg_class where relname = any($1)', [tables]);
    const sizes = new Map(rows.map((r) => [r.relname as string, Number(r.reltuples)]));
    const seen = new Set<string>();
    const failures: string[] = [];
    let checked = 0;
    const byPeriod: string[] = [];
    for (const statement of recorder.all) {
      if (UNPLANNED.test(statement.text) || seen.has(statement.text)) continue;
      seen.add(statement.text);
      checked++;
      let plan = await planOf(statement);
      let scans = seqScans(plan);
      const small = scans.every((table) => (sizes.get(table) ?? 0) < LARGE);
      const overPeriod = scans.every((table) => PERIOD_TABLES.has(table));
      if (scans.length && (small || overPeriod)) {
        plan = await withoutSeqScan(statement);
        scans = seqScans(plan);
        if (!small && !scans.length) byPeriod.push(statement.source);
      }
      if (scans.length) {
        failures.push(
          `${statement.source}: sequential scan of ${scans.join(', ')}\n${statement.text}\nvalues: ${JSON.stringify(statement.values)}\n${printPlan(plan)}`,
        );
      }
    }
    console.log(`${checked} distinct statements explained (${recorder.all.length} recorded)`);
    console.log(`facts read whole over a long period, an index serving them otherwise: ${byPeriod.join(', ') || 'none'}`);
    assert.ok(checked > 50, `only ${checked} statements were explained`);
    assert.equal(failures.length, 0, `\n${failures.join('\n\n')}`);
    assert.ok(
      byPeriod.every((source) => source.includes('since the opening')),
      `read whole: ${byPeriod.join(', ')}`,
    );
  });

  /** The pages of a group listing the fewest and the most requests. */
  function extremes(prefix: string) {
    const group = [...pages].filter(([label]) => label.startsWith(prefix)).sort(([, a], [, b]) => a.rows - b.rows);
    return { few: group[0]!, many: group.at(-1)! };
  }

  test('pages send a bounded number of statements, the same for few rows as for many', () => {
    console.log([...pages].map(([label, p]) => `${p.statements}\t${label} (${p.rows} requests listed)`).join('\n'));
    console.log([...sent].map(([label, n]) => `${n}\t${label}`).join('\n'));
    for (const [label, p] of pages) assert.ok(p.statements <= PAGE_BOUND, `${label} sent ${p.statements} statements`);
    for (const prefix of ['Mes demandes', 'desk queue']) {
      const { few, many } = extremes(prefix);
      assert.ok(few[1].rows <= 10 && many[1].rows >= 20, `${prefix}: ${few[1].rows} and ${many[1].rows} rows listed`);
      assert.ok(many[1].statements <= few[1].statements, `${prefix}: ${few[0]} and ${many[0]}`);
    }
    const events = [pages.get('request page, 2 events'), pages.get('request page, 20 events')];
    assert.equal(events[0]?.statements, events[1]?.statements, 'a request page with 2 events and with 20');
    assert.ok((sent.get('comment POST') ?? 0) <= PAGE_BOUND, 'adding a comment');
  });
});
