/**
 * A newcomer's first minutes, as the README tells them: a fresh clone, `npm ci`, `npm start`, the
 * first page, then a restart on the same data. Nothing printed may look like a fault (a warning of
 * npm or Node), and the start banner says where the portal is and which accounts to use.
 * The start times are measured by `npm run bench`, not here: the deadline below only bounds a hang.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formCsrf, login, pageText } from '../bench/portal-client.js';
import { DEMO_ACCOUNTS } from '../src/db/seed/seed.js';
import { ENROLMENT_PATH } from '../src/web/plugins/actor-gate.js';
import { freePort } from './support/private-postgres.js';

const ROOT = join(import.meta.dirname, '..');
const HANG_MS = 120_000;

/** What looks like a fault to someone reading a terminal. */
const ALARMING = /\bwarn(ing)?\b|EBADENGINE|deprecat|\(node:\d+\)|error|erreur/i;

type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function run(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  let output = '';
  // The environment of a shell newly opened: no test settings (NODE_ENV, DATABASE_URL) leak in.
  const child = spawn('npm', args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a terminal's foreground job: Ctrl-C reaches npm and the portal alike.
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

async function until<T>(what: string, r: Run, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + HANG_MS;
  let stopped = false;
  void r.exited.then(() => {
    stopped = true;
  });
  while (Date.now() < deadline && !stopped) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not reached\n${r.output()}`);
}

async function stop(r: Run) {
  if (r.child.exitCode === null && r.child.pid) process.kill(-r.child.pid, 'SIGINT');
  await r.exited;
}

describe('a newcomer on a fresh clone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-clone-'));
  let port = 0;
  let base = '';

  before(() => {
    // The last commit, as `git clone` gives it: what a newcomer gets, not this working copy.
    execFileSync('git', ['clone', '--quiet', ROOT, dir]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('`npm ci` installs without a warning', async () => {
    const install = run(dir, ['ci']);
    assert.equal(await install.exited, 0, install.output());
    const alarming = install
      .output()
      .split('\n')
      .filter((line) => ALARMING.test(line));
    assert.deepEqual(alarming, [], install.output());
  });

  test('`npm start` serves the first page and prints a French banner with the demo accounts', async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const start = run(dir, ['start'], { PORT: String(port) });
    try {
      const page = await until('the login page', start, async () => {
        const response = await fetch(`${base}/connexion`);
        return response.ok ? response.text() : undefined;
      });
      assert.match(page, /Connexion/);
      // A style sheet the page loads: static files leave no line in the log.
      const css = /href="(\/dsfr\/[^"]+\.css)"/.exec(page)?.[1] ?? '';
      assert.equal((await fetch(`${base}${css}`)).status, 200);
      await until('the request line', start, async () => (start.output().includes('GET /connexion') ? true : undefined));
      const output = start.output();
      assert.match(output, new RegExp(`Guichet d’assistance ouvert sur http://127\\.0\\.0\\.1:${port}`));
      assert.match(
        output,
        new RegExp(
          `Comptes de démonstration \\(mot de passe guichet-demo-2026\\) : ${DEMO_ACCOUNTS.map((a) => a.login).join(', ')}`,
        ),
      );
      assert.match(output, /Comptes de démonstration créés/);
      assert.match(output, /GET \/connexion → 200/, 'one readable line per page');
      assert.doesNotMatch(output, /"level":|Server listening/, 'readable French lines, not JSON');
      assert.doesNotMatch(output, /GET \/dsfr\//, 'no line per static file');
      assert.deepEqual(
        output.split('\n').filter((line) => ALARMING.test(line)),
        [],
        output,
      );
    } finally {
      await stop(start);
    }
  });

  test('a restart on the same data finds its accounts and says nothing of creating them', async () => {
    const restart = run(dir, ['start'], { PORT: String(port) });
    try {
      await until('the login page after a restart', restart, async () =>
        (await fetch(`${base}/connexion`)).ok ? true : undefined,
      );
      const output = restart.output();
      assert.match(output, /Guichet d’assistance ouvert sur/);
      assert.doesNotMatch(output, /Comptes de démonstration créés/);
      assert.deepEqual(
        output.split('\n').filter((line) => ALARMING.test(line)),
        [],
        output,
      );
    } finally {
      await stop(restart);
    }
  });

  // `npm start` runs the bundle of dist/, the tests the sources: the libraries loaded after the start
  // (charts, spreadsheets, QR codes) and the files read next to the code are checked here, built.
  test('the built portal serves the pages that load libraries later: charts, an ODS file, a QR code', async () => {
    const start = run(dir, ['start'], { PORT: String(port) });
    try {
      await until('the login page', start, async () => ((await fetch(`${base}/connexion`)).ok ? true : undefined));
      const agent = await login(base, 'agent');
      assert.match(await pageText(base, '/demandes/67098', agent), /67098/);
      assert.match(await pageText(base, '/guichet', agent), /<table/);
      const pilote = await login(base, 'pilote');
      assert.match(await pageText(base, '/pilotage', pilote), /<svg[^>]*role="img"/);
      const ods = await fetch(`${base}/pilotage/export.ods`, { headers: { cookie: pilote } });
      assert.equal(ods.headers.get('content-type'), 'application/vnd.oasis.opendocument.spreadsheet');
      assert.equal(
        Buffer.from(await ods.arrayBuffer())
          .subarray(0, 2)
          .toString(),
        'PK',
        'a zipped OpenDocument file',
      );
      const admin = await login(base, 'admin');
      const security = await pageText(base, ENROLMENT_PATH, admin);
      const started = await fetch(`${base}${ENROLMENT_PATH}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: admin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: formCsrf(security, ENROLMENT_PATH) ?? '', action: 'commencer' }),
      });
      assert.ok(started.status < 400, `enrolment started (HTTP ${started.status})`);
      assert.match(await pageText(base, ENROLMENT_PATH, admin), /src="data:image\/svg\+xml;base64,/);
      assert.deepEqual(
        start
          .output()
          .split('\n')
          .filter((line) => ALARMING.test(line)),
        [],
        start.output(),
      );
    } finally {
      await stop(start);
    }
  });

  test('a .env file in the folder is read, the environment winning over it', async () => {
    const other = await freePort();
    execFileSync('sh', ['-c', `printf 'PORT=${other}\\nLOG_FORMAT=json\\n' > .env`], { cwd: dir });
    const start = run(dir, ['start'], { LOG_FORMAT: 'pretty' });
    try {
      await until('the port of .env', start, async () =>
        (await fetch(`http://127.0.0.1:${other}/connexion`)).ok ? true : undefined,
      );
      assert.doesNotMatch(start.output(), /"level":/, 'LOG_FORMAT of the environment, not of .env');
    } finally {
      await stop(start);
    }
  });
});
