/**
 * What a page weighs and what compressing it costs, written to docs/benchmarks.md:
 *   npm run bench:weight
 * The compiled portal on a new embedded database with the demo data. Lighthouse's mobile audit
 * (a mid-range phone: 4× slower processor, slow 4G) of the login, home, request and desk queue
 * pages, three runs each, median kept; then the same pages under load at 10 connections with the
 * portal compressing them (COMPRESS_PAGES, the default) and without, asking for brotli or gzip as
 * browsers do. BENCH_SECONDS (10) per load line; BENCH_PORT (3900).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { getLine, type LineResult } from './load.js';
import { login, pageText } from './portal-client.js';
import { frenchNumber, loadNow, machine, writeSections } from './report.js';
import { buildPortal, cpuSeconds, type Server, startServer, stopServer } from './server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3900);
const RUNS = 3;
const LIGHTHOUSE_VERSION: string = createRequire(import.meta.url)('lighthouse/package.json').version;
const ACCEPT = { 'accept-encoding': 'br, gzip' };

type Page = { name: string; path: string; cookie?: string };
type Audit = { score: number; fcp: number; lcp: number; tbt: number; cls: number; bytes: number; fontBytes: number };

async function pagesOf(base: string): Promise<Page[]> {
  const requester = await login(base, 'demandeur');
  const agent = await login(base, 'agent');
  const mine = await pageText(base, '/demandes', requester);
  const number = /href="\/demandes\/(\d+)"/.exec(mine)?.[1];
  if (!number) throw new Error('aucune demande dans « Mes demandes » du demandeur de démonstration');
  return [
    { name: 'Connexion (anonyme)', path: '/connexion' },
    { name: 'Accueil (demandeur)', path: '/', cookie: requester },
    { name: `Demande n° ${number} (demandeur)`, path: `/demandes/${number}`, cookie: requester },
    { name: 'File des demandes (agent)', path: '/guichet', cookie: agent },
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function audit(base: string, page: Page, chromePort: number, clearCache: () => Promise<void>): Promise<Audit> {
  const runs: Audit[] = [];
  for (let i = 0; i < RUNS; i++) {
    // A first visit each time: the cookies stay, the cache (files kept a year) goes.
    await clearCache();
    const result = await lighthouse(
      `${base}${page.path}`,
      {
        port: chromePort,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance'],
        // Signed in: the cookies set in the browser beforehand (Chromium drops a Cookie header given as an extra header).
        disableStorageReset: true,
      },
      // The default configuration: mobile emulation and throttling.
      undefined,
    );
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`Lighthouse n’a rien rendu pour ${page.path}`);
    if (lhr.finalDisplayedUrl !== `${base}${page.path}`) throw new Error(`${page.path} : redirigé vers ${lhr.finalDisplayedUrl}`);
    const numeric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
    const items =
      (lhr.audits['network-requests']?.details as { items?: { resourceType?: string; transferSize?: number }[] })?.items ?? [];
    runs.push({
      score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      fcp: numeric('first-contentful-paint'),
      lcp: numeric('largest-contentful-paint'),
      tbt: numeric('total-blocking-time'),
      cls: numeric('cumulative-layout-shift'),
      bytes: numeric('total-byte-weight'),
      fontBytes: items.filter((r) => r.resourceType === 'Font').reduce((sum, r) => sum + (r.transferSize ?? 0), 0),
    });
  }
  const key = (k: keyof Audit) => median(runs.map((r) => r[k]));
  return {
    score: key('score'),
    fcp: key('fcp'),
    lcp: key('lcp'),
    tbt: key('tbt'),
    cls: key('cls'),
    bytes: key('bytes'),
    fontBytes: key('fontBytes'),
  };
}

async function auditAll(base: string, pages: Page[]): Promise<Map<Page, Audit>> {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
  });
  const audits = new Map<Page, Audit>();
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  try {
    const context = browser.contexts()[0]!;
    const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
    const clearCache = async () => {
      await cdp.send('Network.clearBrowserCache');
    };
    for (const page of pages) {
      await context.clearCookies();
      if (page.cookie) await context.addCookies(cookiesFor(base, page.cookie));
      audits.set(page, await audit(base, page, chrome.port, clearCache));
    }
  } finally {
    await browser.close();
    chrome.kill();
  }
  return audits;
}

function cookiesFor(base: string, header: string) {
  return header.split('; ').map((pair) => {
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
  });
}

/** Bytes on the wire for one page, asking for brotli or gzip, and its encoding. */
function wireSize(base: string, page: Page): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const headers = { ...ACCEPT, ...(page.cookie ? { cookie: page.cookie } : {}) };
    request(`${base}${page.path}`, { headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on('end', () => resolve({ bytes, encoding: String(response.headers['content-encoding'] ?? 'aucun') }));
    })
      .on('error', reject)
      .end();
  });
}

type LoadRun = { line: LineResult; wire: { bytes: number; encoding: string }; cpu: number };

async function underLoad(server: Server, pages: Page[]): Promise<Map<string, LoadRun>> {
  const runs = new Map<string, LoadRun>();
  for (const page of pages) {
    const wire = await wireSize(server.base, page);
    const cpu0 = cpuSeconds(server.child.pid!);
    const line = await getLine(server.base, [page.path], page.cookie, 10, SECONDS, ACCEPT);
    runs.set(page.name, { line, wire, cpu: (cpuSeconds(server.child.pid!) - cpu0) / Math.max(1, line.count) });
  }
  return runs;
}

const ms = (n: number) => `${frenchNumber(n)} ms`;
const kib = (n: number) => `${(n / 1024).toFixed(1).replace('.', ',')} Kio`;

function weightSection(pages: Page[], audits: Map<Page, Audit>, load: string): string {
  return [
    '## Page weight and Lighthouse (mobile)',
    '',
    `Measured by \`npm run bench:weight\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine()}; Lighthouse ${LIGHTHOUSE_VERSION} with its default mobile settings (Moto G Power emulated, 4× CPU slowdown, slow 4G simulated), Debian's Chromium headless; the compiled portal on a new embedded database with the demo data, compressing its pages. Median of ${RUNS} runs per page. Load average ${load} before the run.`,
    '',
    '| page | performance | FCP | LCP | TBT | CLS | transferred | of which fonts |',
    '|---|---|---|---|---|---|---|---|',
    ...pages.map((p) => {
      const a = audits.get(p)!;
      return `| ${p.name} | ${a.score} | ${ms(a.fcp)} | ${ms(a.lcp)} | ${ms(a.tbt)} | ${a.cls.toFixed(3).replace('.', ',')} | ${kib(a.bytes)} | ${kib(a.fontBytes)} |`;
    }),
    '',
  ].join('\n');
}

function compressionSection(pages: Page[], on: Map<string, LoadRun>, off: Map<string, LoadRun>, load: string): string {
  return [
    '## Compression of pages (COMPRESS_PAGES)',
    '',
    `Measured by \`npm run bench:weight\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine()}; the same pages at 10 connections for ${SECONDS} s each (after 1 s of warm-up), asking for \`br, gzip\` as browsers do, with the portal compressing (brotli, quality 4) and without (COMPRESS_PAGES=false, as behind a proxy that compresses). CPU is the portal process's own, per page served. Load average ${load} before the run.`,
    '',
    '| page | size sent, compressed | not compressed | pages/s compressed | not compressed | p95 compressed | not compressed | CPU per page compressed | not compressed |',
    '|---|---|---|---|---|---|---|---|---|',
    ...pages.map((p) => {
      const a = on.get(p.name)!;
      const b = off.get(p.name)!;
      const cpu = (r: LoadRun) => `${(r.cpu * 1000).toFixed(2).replace('.', ',')} ms`;
      return `| ${p.name} | ${kib(a.wire.bytes)} (${a.wire.encoding}) | ${kib(b.wire.bytes)} | ${frenchNumber(a.line.rps)} | ${frenchNumber(b.line.rps)} | ${ms(a.line.p95)} | ${ms(b.line.p95)} | ${cpu(a)} | ${cpu(b)} |`;
    }),
    '',
  ].join('\n');
}

async function main() {
  buildPortal();
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-weight-'));
  const load = loadNow();
  try {
    let server = await startServer(PORT, { DATA_DIR: dataDir, COMPRESS_PAGES: 'true' });
    const pages = await pagesOf(server.base);
    const audits = await auditAll(server.base, pages);
    const on = await underLoad(server, pages);
    await stopServer(server);
    server = await startServer(PORT, { DATA_DIR: dataDir, COMPRESS_PAGES: 'false' });
    // The sessions are kept in the database: the same cookies sign in again.
    const off = await underLoad(server, pages);
    await stopServer(server);
    writeSections({
      'Page weight': weightSection(pages, audits, load),
      'Compression of pages': compressionSection(pages, on, off, load),
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
