import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parseHTML } from 'linkedom';
import { renderToString } from 'preact-render-to-string';
import { CHART_COLOURS, Chart, type ChartProps, chartSvg, formatChartNumber, isChartEmpty, loadCharts } from './charts.js';

before(loadCharts);

const weekly: ChartProps = {
  id: 'chart-weekly',
  title: 'Demandes déposées, traitées et closes par semaine',
  summary: 'Les dépôts culminent en semaine 47.',
  kind: 'columns',
  categories: ['S45', 'S46', 'S47', 'S48'],
  series: [
    { label: 'Déposées', values: [12, 0, 1234, 7] },
    { label: 'Traitées', values: [10, 5, 900, 0] },
    { label: 'Closes', values: [3, 4, 0, 2.25] },
  ],
  unit: 'demandes',
  categoryLabel: 'Semaine',
};
const nonZero = weekly.series.flatMap((s) => s.values).filter((v) => v !== 0).length;

/** The chart's SVG as a document, to count and read its parts. */
const svgOf = (props: ChartProps) => parseHTML(`<!doctype html><html><body>${chartSvg(props)}</body></html>`).document;
const pageOf = (props: ChartProps) =>
  parseHTML(`<!doctype html><html><body>${renderToString(Chart(props))}</body></html>`).document;
const marks = (doc: Document, selector: string) =>
  [...doc.querySelectorAll(selector)].filter((e) => e.getAttribute('fill') !== 'none');
const dataRects = (doc: Document) => marks(doc, 'rect').filter((r) => CHART_COLOURS.some((c) => c === r.getAttribute('fill')));

describe('chartSvg', () => {
  test('columns and stacked columns: one rect per value other than zero, coloured by series', () => {
    for (const kind of ['columns', 'stacked'] as const) {
      const doc = svgOf({ ...weekly, kind });
      const rects = dataRects(doc);
      assert.equal(rects.length, nonZero, kind);
      assert.equal(marks(doc, 'rect').length, nonZero, `${kind}: no other rect`);
      assert.deepEqual(new Set(rects.map((r) => r.getAttribute('fill'))), new Set(CHART_COLOURS.slice(0, 3)));
      assert.equal(rects[0]?.getAttribute('fill'), '#000091', 'blue France first');
    }
  });

  test('stacked columns pile the series in their order, the first at the bottom', () => {
    const doc = svgOf({ ...weekly, kind: 'stacked' });
    const inFirstWeek = dataRects(doc).filter((r) => r.querySelector('title')?.textContent?.startsWith('S45'));
    const tops = inFirstWeek.map((r) => Number(r.getAttribute('y')));
    assert.deepEqual(
      inFirstWeek.map((r) => r.getAttribute('fill')),
      CHART_COLOURS.slice(0, 3),
    );
    assert.ok(tops[0]! > tops[1]! && tops[1]! > tops[2]!, `higher in the SVG, lower in y: ${tops}`);
  });

  test('bars: one rect per value other than zero, its value written after it, and a height that grows with the categories', () => {
    const apps = ['CERES', 'Agrément', 'SI-RH', 'Portail'];
    const props: ChartProps = {
      ...weekly,
      kind: 'bars',
      categories: apps,
      series: [{ label: 'Demandes', values: [40, 0, 12, 1500] }],
    };
    const doc = svgOf(props);
    assert.equal(dataRects(doc).length, 3);
    const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent);
    assert.ok(texts.includes('1\u202f500'), `the value of each bar: ${texts}`);
    const height = (p: ChartProps) => Number(svgOf(p).querySelector('svg')?.getAttribute('height'));
    const twelve = Array.from({ length: 12 }, (_, i) => `Application ${i + 1}`);
    const more = { ...props, categories: twelve, series: [{ label: 'Demandes', values: twelve.map((_, i) => i + 1) }] };
    assert.ok(height(more) > height(props) + 150, `${height(more)} > ${height(props)}`);
  });

  test('lines: one path per series, all categories on it', () => {
    const doc = svgOf({ ...weekly, kind: 'lines' });
    const lines = [...doc.querySelectorAll('path')].filter((p) => CHART_COLOURS.some((c) => c === p.getAttribute('stroke')));
    assert.equal(lines.length, weekly.series.length);
    for (const line of lines) assert.equal(line.getAttribute('d')?.match(/[ML]/g)?.length, weekly.categories.length);
  });

  test('a missing value breaks its line instead of dropping to zero', () => {
    const doc = svgOf({ ...weekly, kind: 'lines', series: [{ label: 'Délai', values: [3, Number.NaN, 4, 5] }] });
    const d = [...doc.querySelectorAll('path')].find((p) => p.getAttribute('stroke') === '#000091')?.getAttribute('d');
    assert.equal(d?.match(/M/g)?.length, 2, `two pieces: ${d}`);
  });

  test('no <style> element nor style attribute (the pages allow no inline style), text in currentColor', () => {
    for (const kind of ['columns', 'stacked', 'lines', 'bars'] as const) {
      for (const props of [
        { ...weekly, kind },
        { ...weekly, kind, series: weekly.series.slice(0, 1) },
        { ...weekly, kind, categories: [] },
      ]) {
        const svg = chartSvg(props);
        assert.doesNotMatch(svg, /<style/i, kind);
        assert.doesNotMatch(svg, /\sstyle=/i, kind);
        const root = svgOf(props).querySelector('svg');
        assert.equal(root?.getAttribute('fill'), 'currentColor');
        assert.equal(root?.getAttribute('class'), 'guichet-plot');
      }
    }
  });

  test('an image named by the title and the summary, scaled by its viewBox, 640 by 260 by default', () => {
    const root = svgOf(weekly).querySelector('svg');
    assert.equal(root?.getAttribute('role'), 'img');
    assert.equal(root?.getAttribute('aria-labelledby'), 'chart-weekly-title chart-weekly-summary');
    assert.equal(root?.getAttribute('viewBox'), '0 0 640 260');
    assert.equal(svgOf(weekly).querySelectorAll('[aria-label]').length, 0, "Plot's names of its parts are removed");
  });

  test('labels from the database are escaped', () => {
    const props: ChartProps = {
      ...weekly,
      categories: ['<script>alert(1)</script> & co', 'S46'],
      series: [
        { label: 'R&D <img src=x onerror=alert(1)>', values: [1, 2] },
        { label: 'Autre', values: [3, 0] },
      ],
    };
    for (const kind of ['columns', 'stacked', 'lines', 'bars'] as const) {
      const svg = chartSvg({ ...props, kind });
      assert.doesNotMatch(svg, /<script|<img/i, kind);
      assert.match(svg, /&lt;script&gt;/, kind);
      assert.match(svg, /R&amp;D &lt;img/, kind);
      assert.doesNotMatch(svg, /&(?!amp;|lt;|gt;|quot;|#)/, `${kind}: every & is an entity`);
    }
    const html = renderToString(Chart(props));
    assert.doesNotMatch(html, /<script|<img/i);
    // Preact escapes < and & in text, which is enough for HTML.
    assert.match(html, /<th scope="row">&lt;script>alert\(1\)&lt;\/script> &amp; co<\/th>/);
    assert.match(html, /R&amp;D &lt;img src=x onerror=alert\(1\)>/);
  });

  test('long category labels are cut in the drawing', () => {
    const long = 'Plateforme de dématérialisation des demandes de subvention';
    for (const kind of ['columns', 'bars'] as const) {
      const doc = svgOf({ ...weekly, kind, categories: [long, 'S46', 'S47', 'S48'] });
      const label = [...doc.querySelectorAll('text')].map((t) => t.textContent ?? '').find((t) => t.startsWith('Plateforme'));
      assert.ok(label?.endsWith('…') && label.length < long.length, `${kind}: ${label}`);
    }
  });

  test('many categories: one label in a few along the axis, every bar drawn', () => {
    const days = Array.from(
      { length: 90 },
      (_, i) => `${String((i % 30) + 1).padStart(2, '0')}/${String(Math.floor(i / 30) + 10)}`,
    );
    const props: ChartProps = {
      ...weekly,
      kind: 'stacked',
      categories: days,
      series: [{ label: 'Déposées', values: days.map(() => 1) }],
    };
    const doc = svgOf(props);
    assert.equal(dataRects(doc).length, 90);
    const labels = [...doc.querySelectorAll('text')].filter((t) => /^\d\d\/\d\d$/.test(t.textContent ?? ''));
    assert.ok(labels.length >= 10 && labels.length <= 45, `${labels.length} labels`);
  });

  test('whole counts below ten get whole ticks', () => {
    const doc = svgOf({ ...weekly, series: [{ label: 'Déposées', values: [1, 3, 2, 0] }] });
    const ticks = [...doc.querySelectorAll('text')].map((t) => t.textContent).filter((t) => /^[\d,]+$/.test(t ?? ''));
    assert.deepEqual(ticks, ['0', '1', '2', '3']);
  });

  test('nothing to draw: a sentence in French, no crash', () => {
    for (const props of [
      { ...weekly, categories: [] },
      { ...weekly, series: [] },
      { ...weekly, series: weekly.series.map((s) => ({ ...s, values: s.values.map(() => 0) })) },
    ]) {
      assert.ok(isChartEmpty(props));
      assert.match(chartSvg(props), /Aucune donnée pour cette période\./);
      assert.equal(dataRects(svgOf(props)).length, 0);
    }
  });

  test('an id that is not a plain identifier is refused', () => {
    assert.throws(() => chartSvg({ ...weekly, id: 'a" onload="x' }), /plain identifier/);
    assert.throws(() => Chart({ ...weekly, id: 'a b', categories: [] }), /plain identifier/);
  });
});

describe('Chart', () => {
  test('a figure: the title as a heading, the legend, the image, the summary, then the data table', () => {
    const doc = pageOf(weekly);
    const figure = doc.querySelector('figure');
    assert.equal(figure?.getAttribute('role'), 'group');
    assert.equal(figure?.getAttribute('aria-labelledby'), 'chart-weekly-title');
    const heading = doc.querySelector('h3');
    assert.equal(heading?.id, 'chart-weekly-title');
    assert.equal(heading?.textContent, weekly.title);
    assert.equal(doc.getElementById('chart-weekly-summary')?.textContent, weekly.summary);
    const order = [...(figure?.children ?? [])].map(
      (e) => e.tagName.toLowerCase() + (e.className ? `.${e.className.split(' ')[0]}` : ''),
    );
    assert.deepEqual(order, ['h3.fr-h6', 'ul.guichet-plot-legend', 'div.guichet-plot-frame', 'p.fr-text--sm', 'div.fr-table']);
    assert.equal(doc.querySelectorAll('svg[role="img"]').length, 1);
    assert.equal(pageOf({ ...weekly, headingLevel: 2 }).querySelector('h2')?.id, 'chart-weekly-title');
  });

  test('the legend names each series next to its colour; one series needs none', () => {
    const items = [...pageOf(weekly).querySelectorAll('.guichet-plot-legend li')];
    assert.deepEqual(
      items.map((li) => li.textContent),
      ['Déposées', 'Traitées', 'Closes'],
    );
    assert.deepEqual(
      items.map((li) => li.querySelector('rect')?.getAttribute('fill')),
      CHART_COLOURS.slice(0, 3),
    );
    const lines = pageOf({ ...weekly, kind: 'lines' }).querySelector('.guichet-plot-legend line');
    assert.equal(lines?.getAttribute('stroke'), '#000091', 'a line for a line chart');
    assert.equal(pageOf({ ...weekly, series: weekly.series.slice(0, 1) }).querySelector('.guichet-plot-legend'), null);
  });

  test('the data table: the title in its caption, one row per category, one column per series, French numbers', () => {
    const doc = pageOf({ ...weekly, categories: ['S45', 'S46', 'S47', 'S48'] });
    const table = doc.querySelector('table');
    assert.equal(table?.querySelector('caption')?.textContent, `Données du graphique : ${weekly.title}`);
    const frame = doc.querySelector('.fr-table__container');
    assert.equal(frame?.getAttribute('tabindex'), '0', 'scrolled with the keyboard on a narrow screen');
    assert.equal(frame?.getAttribute('aria-label'), `Données du graphique : ${weekly.title}`);
    const header = [...(table?.querySelectorAll('thead th') ?? [])].map((th) => th.textContent);
    assert.deepEqual(header, ['Semaine', 'Déposées (demandes)', 'Traitées (demandes)', 'Closes (demandes)']);
    const rows = [...(table?.querySelectorAll('tbody tr') ?? [])];
    assert.equal(rows.length, weekly.categories.length);
    assert.deepEqual(
      rows.map((tr) => tr.querySelector('th[scope="row"]')?.textContent),
      weekly.categories,
    );
    for (const tr of rows) assert.equal(tr.querySelectorAll('td').length, weekly.series.length);
    const third = [...(rows[2]?.querySelectorAll('td') ?? [])].map((td) => td.textContent);
    assert.deepEqual(third, ['1\u202f234', '900', '0']);
    assert.equal(rows[3]?.querySelectorAll('td')[2]?.textContent, '2,3', 'decimal comma, one decimal by default');
  });

  test('French numbers', () => {
    assert.equal(formatChartNumber(1234567.891), '1\u202f234\u202f567,9');
    assert.equal(formatChartNumber(0.5), '0,5');
    assert.equal(formatChartNumber(2.456, 2), '2,46');
    assert.equal(formatChartNumber(12), '12');
  });

  test('a missing value shows as a dash in the table', () => {
    const doc = pageOf({ ...weekly, series: [{ label: 'Délai médian', values: [3.5, Number.NaN] }], unit: 'heures ouvrées' });
    const cells = [...doc.querySelectorAll('tbody td')].map((td) => td.textContent);
    assert.deepEqual(cells, ['3,5', '–', '–', '–']);
    assert.equal(doc.querySelectorAll('thead th')[1]?.textContent, 'Délai médian (heures ouvrées)');
  });

  test('nothing to draw: the heading, the sentence and the summary; no image, legend nor table', () => {
    for (const props of [
      { ...weekly, categories: [] },
      { ...weekly, series: weekly.series.map((s) => ({ ...s, values: [0, 0, 0, 0] })) },
    ]) {
      const doc = pageOf(props);
      assert.equal(doc.querySelector('h3')?.textContent, weekly.title);
      assert.equal(doc.querySelector('.guichet-plot-empty')?.textContent, 'Aucune donnée pour cette période.');
      assert.equal(doc.getElementById('chart-weekly-summary')?.textContent, weekly.summary);
      assert.equal(doc.querySelector('svg'), null);
      assert.equal(doc.querySelector('table'), null);
    }
    const own = pageOf({ ...weekly, categories: [], emptyMessage: 'Aucune demande close ce mois-ci.' });
    assert.equal(own.querySelector('.guichet-plot-empty')?.textContent, 'Aucune demande close ce mois-ci.');
  });

  test('drawing a chart costs a few milliseconds', () => {
    const weeks = Array.from({ length: 26 }, (_, i) => `S${i + 1}`);
    const props: ChartProps = {
      ...weekly,
      categories: weeks,
      series: weekly.series.map((s, j) => ({ ...s, values: weeks.map((_, i) => (i * 7 + j * 13) % 40) })),
    };
    for (const kind of ['columns', 'stacked', 'lines', 'bars'] as const) renderToString(Chart({ ...props, kind }));
    const rounds = 20;
    const started = performance.now();
    for (let n = 0; n < rounds; n++) {
      for (const kind of ['columns', 'stacked', 'lines', 'bars'] as const) renderToString(Chart({ ...props, kind }));
    }
    const each = (performance.now() - started) / (rounds * 4);
    // Generous against slow machines; the report gives the measure.
    assert.ok(each < 50, `${each.toFixed(1)} ms a chart`);
  });
});
