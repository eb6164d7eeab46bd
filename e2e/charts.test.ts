/**
 * The server-drawn charts (src/web/shared/charts.tsx) in Chromium, on a bare page holding four of
 * them with the real DSFR style sheets and scripts, under the security policy the pages are heading
 * for (no 'unsafe-inline' style): nothing refused, axe without violation in the light and the dark
 * scheme, the images and tables found by their names, labels from the database shown as text.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { renderToString } from 'preact-render-to-string';
import { dsfrDist, publicDir } from '../src/web/plugins/assets.js';
import { Chart, type ChartProps, loadCharts } from '../src/web/shared/charts.js';
import { expectNoAxeViolations } from './support/browser.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const weeks = ['S45', 'S46', 'S47', 'S48', 'S49', 'S50'];
const charts: ChartProps[] = [
  {
    id: 'chart-weekly',
    title: 'Demandes déposées, traitées et closes par semaine',
    summary: 'Les dépôts culminent en semaine 47 (1 234 demandes), les clôtures suivent avec une semaine de retard.',
    kind: 'columns',
    categories: weeks,
    series: [
      { label: 'Déposées', values: [120, 98, 1234, 77, 65, 80] },
      { label: 'Traitées', values: [110, 90, 900, 300, 70, 82] },
      { label: 'Closes', values: [100, 95, 400, 800, 60, 75] },
    ],
    unit: 'demandes',
    categoryLabel: 'Semaine',
  },
  {
    id: 'chart-delay',
    title: 'Délai médian de traitement',
    summary: 'Le délai médian baisse de 14,5 à 6 heures ouvrées sur la période.',
    kind: 'lines',
    categories: weeks,
    series: [
      { label: 'Bloquantes', values: [6.5, 5, 4.25, 4, 3.5, 3] },
      { label: 'Non bloquantes', values: [14.5, 12, 11, 9, 7.5, 6] },
    ],
    unit: 'heures ouvrées',
    categoryLabel: 'Semaine',
  },
  {
    id: 'chart-applications',
    title: 'Demandes par application',
    summary: 'CERES reçoit le plus de demandes, loin devant les autres applications.',
    kind: 'bars',
    categories: [
      'CERES',
      'Système d’information des ressources humaines du ministère',
      '<script>alert(1)</script> & co',
      'Agrément',
    ],
    series: [{ label: 'Demandes', values: [1500, 420, 12, 3] }],
    unit: 'demandes',
    categoryLabel: 'Application',
  },
  {
    id: 'chart-reopened',
    title: 'Demandes rouvertes',
    summary: 'Aucune demande n’a été rouverte sur la période.',
    kind: 'stacked',
    categories: weeks,
    series: [{ label: 'Rouvertes', values: weeks.map(() => 0) }],
  },
];

// The page is built at import, so the drawing library is loaded before it.
await loadCharts();

const page = `<!doctype html>
<html lang="fr" data-fr-scheme="system">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Graphiques – Guichet</title>
<link rel="stylesheet" href="/dsfr/dsfr.min.css">
<link rel="stylesheet" href="/dsfr/utility/utility.min.css">
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<main id="content" class="fr-container fr-py-4w">
<h1>Graphiques</h1>
${charts.map((props) => renderToString(Chart({ ...props, headingLevel: 2 }))).join('\n')}
</main>
<script type="module" src="/dsfr/dsfr.module.min.js"></script>
<script nomodule src="/dsfr/dsfr.nomodule.min.js"></script>
</body>
</html>`;

/** Serves the page and the files under /dsfr/ and /static/, nothing else. */
function serve(): Promise<Server> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP });
      response.end(page);
      return;
    }
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const [, prefix, rest] = /^\/(dsfr|static)\/(.+)$/.exec(path) ?? [];
    const root = prefix === 'dsfr' ? dsfrDist : publicDir;
    const file = rest ? normalize(join(root, rest)) : '';
    if (!rest || !file.startsWith(root)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('charts in the browser', () => {
  let server: Server;
  let browser: Browser;
  let url: string;

  before(async () => {
    server = await serve();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  /** The page in a fresh context, with what the console reported (refused styles show there). */
  async function open(colorScheme: 'light' | 'dark', viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ locale: 'fr-FR', colorScheme, reducedMotion: 'reduce', viewport });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    tab.on('pageerror', (error) => problems.push(error.message));
    tab.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await tab.goto(url);
    return { tab, problems, close: () => context.close() };
  }

  const fillOfFirstBar = (tab: Page) =>
    tab
      .locator('#chart-weekly-title ~ .guichet-plot-frame rect[fill="#000091"]')
      .first()
      .evaluate((r) => getComputedStyle(r).fill);

  test('light scheme: nothing refused by the security policy, no axe violation, named images and tables', async () => {
    const { tab, problems, close } = await open('light');
    try {
      await expectNoAxeViolations(tab, 'charts, light scheme');
      for (const props of charts.slice(0, 3)) {
        const image = tab.getByRole('img', { name: new RegExp(`^${props.title}`) });
        await image.waitFor();
        const box = await image.boundingBox();
        assert.ok(box && box.width > 300 && box.height > 80, `${props.id}: drawn (${JSON.stringify(box)})`);
        const table = tab.getByRole('table', { name: `Données du graphique : ${props.title}` });
        assert.equal(await table.locator('tbody tr').count(), props.categories.length);
      }
      assert.equal(await tab.getByRole('heading', { level: 2 }).count(), charts.length);
      assert.equal(await tab.getByText('Aucune donnée pour cette période.').count(), 1);
      // DSFR's script sets its tables' offsets through the CSSOM, which the policy allows: the drawings have none.
      assert.doesNotMatch(page, /<style|\sstyle=/, 'no inline style in the markup sent');
      assert.equal(await tab.locator('svg[style], svg [style], svg style').count(), 0, 'none in the drawings');
      // The label from the database is text, in the drawing (cut) and in the table (whole).
      assert.equal(await tab.getByRole('rowheader', { name: '<script>alert(1)</script> & co' }).count(), 1);
      assert.equal(await fillOfFirstBar(tab), 'rgb(0, 0, 145)');
      const textColour = await tab
        .locator('.guichet-plot text')
        .first()
        .evaluate((t) => getComputedStyle(t).fill);
      assert.equal(textColour, await tab.locator('main').evaluate((m) => getComputedStyle(m).color), 'text in currentColor');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('dark scheme: blue France turns to its dark shade, text follows the page, no axe violation', async () => {
    const { tab, problems, close } = await open('dark');
    try {
      await tab.waitForFunction(() => document.documentElement.getAttribute('data-fr-theme') === 'dark');
      await expectNoAxeViolations(tab, 'charts, dark scheme');
      assert.equal(await fillOfFirstBar(tab), 'rgb(133, 133, 246)');
      const legend = tab.locator('.guichet-plot-legend rect[fill="#000091"]').first();
      assert.equal(await legend.evaluate((r) => getComputedStyle(r).fill), 'rgb(133, 133, 246)');
      const textColour = await tab
        .locator('.guichet-plot text')
        .first()
        .evaluate((t) => getComputedStyle(t).fill);
      assert.notEqual(textColour, 'rgb(0, 0, 0)');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('a narrow screen: the drawing scales down to the width of the page', async () => {
    const { tab, problems, close } = await open('light', { width: 360, height: 740 });
    try {
      await expectNoAxeViolations(tab, 'charts, narrow screen');
      const image = tab.getByRole('img', { name: /^Demandes déposées/ });
      const box = await image.boundingBox();
      const main = await tab.locator('main').boundingBox();
      assert.ok(box && main && box.width <= main.width && box.width < 360, `${box?.width} within ${main?.width}`);
      assert.ok(box && Math.abs(box.height / box.width - 260 / 640) < 0.02, 'keeps its proportions');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
