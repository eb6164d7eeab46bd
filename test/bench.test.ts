/**
 * The load benchmark's own parts: its POST lines send real forms with fresh tokens and count a
 * refusal as an error; a page that does not answer 2xx is an error; and the runs on each database
 * write their own section of the report without erasing the others.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { formLine, getLine } from '../bench/load.js';
import { login, optionValues, pageText } from '../bench/portal-client.js';
import { writeSections } from '../bench/report.js';
import { count } from './support/factories.js';
import { createTestPortal, type TestPortal } from './support/portal.js';

describe('load lines against a running portal', () => {
  let portal: TestPortal;
  let base = '';
  let requester: string;
  let applicationId: string;
  const filing = (subject: string, description = 'Demande déposée par le test de la mesure de charge.') => ({
    page: () => '/demandes/nouvelle',
    action: () => '/demandes/nouvelle',
    fields: (n: number) => ({
      subject: subject && `${subject} ${n}`,
      blocking: 'non',
      applicationId,
      description,
      suggestionsShown: '1',
    }),
  });

  before(async () => {
    portal = await createTestPortal('pglite');
    base = await portal.app.listen({ port: 0, host: '127.0.0.1' });
    requester = await login(base, 'demandeur');
    applicationId = optionValues(await pageText(base, '/demandes/nouvelle', requester), 'applicationId')[0] ?? '';
  });
  after(() => portal?.close());
  const requestCount = () => count(portal.database.db, sql`select count(*) as n from requests`);

  test('each filing is a fetched form posted with its tokens; only the POSTs are counted', async () => {
    const before = await requestCount();
    const result = await formLine(base, requester, filing('Mesure'), 2, 1);
    assert.ok(result.count > 0, 'some filings were measured');
    assert.equal(result.errors, 0);
    const filed = (await requestCount()) - before;
    // The warm-up files too: at least as many requests as measured POSTs, never one per GET.
    assert.ok(filed >= result.count, `${filed} requests filed for ${result.count} measured`);
    assert.ok(result.p50 > 0 && result.p50 <= result.p95 && result.p95 <= result.p99);
  });

  test('a refused filing (no subject) is an error, and nothing is filed', async () => {
    const description = 'Demande refusée faute de sujet.';
    const result = await formLine(base, requester, filing('', description), 2, 1);
    assert.ok(result.count > 0);
    assert.equal(result.errors, result.count);
    assert.deepEqual(result.errorKinds, { 422: result.count }, 'refused with the form shown again');
    const filed = sql`select count(*) as n from requests where description = ${description}`;
    assert.equal(await count(portal.database.db, filed), 0);
  });

  test('a page answered by a redirect (no session) is an error', async () => {
    const result = await getLine(base, ['/demandes'], undefined, 2, 1);
    assert.ok(result.count > 0);
    assert.equal(result.errors, result.count);
    assert.ok(
      Object.keys(result.errorKinds).every((status) => /^3\d\d$/.test(status)),
      'sent to the login page',
    );
    const served = await getLine(base, ['/demandes'], requester, 2, 1);
    assert.ok(served.count > 0);
    assert.equal(served.errors, 0);
  });
});

describe('report sections', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'guichet-bench-report-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the PostgreSQL and embedded runs keep each other, the other sections stay, search stays last', () => {
    const file = join(dir, 'benchmarks.md');
    writeFileSync(
      file,
      '# Benchmarks\n\nold intro\n\n## Pages (10 connections)\n\nold table\n\n## Search latency\n\nsearch figures\n\n## Start-up\n\nstart figures\n',
    );
    writeSections({ PostgreSQL: '## PostgreSQL — 1 000 000 demandes\n\npg figures\n' }, file);
    writeSections({ 'Base embarquée': '## Base embarquée — 5 demandes\n\nembedded figures\n' }, file);
    writeSections({ PostgreSQL: '## PostgreSQL — 20 000 demandes\n\nnew pg figures\n' }, file);
    const text = readFileSync(file, 'utf8');
    const headings = text.split('\n').filter((l) => l.startsWith('#'));
    assert.deepEqual(headings, [
      '# Benchmarks',
      '## Start-up',
      '## PostgreSQL — 20 000 demandes',
      '## Base embarquée — 5 demandes',
      '## Search latency',
    ]);
    assert.match(text, /new pg figures/);
    assert.equal(text.split('pg figures').length - 1, 1, 'the first PostgreSQL section was replaced');
    assert.doesNotMatch(text, /old table/);
    assert.match(text, /embedded figures/);
    assert.match(text, /search figures\n$/);
  });
});
