/**
 * Charts drawn on the server as SVG by Observable Plot on a linkedom document: nothing runs in the
 * browser. Each chart is a figure holding its title, the drawing, a text summary and its data table
 * (RGAA 1.3: a complex image has an alternative next to it).
 *
 * The pages' security policy allows no inline style: Plot always adds a <style> element, which is
 * removed here (its rules are in public/app.css, « Charts »), and any style attribute goes too.
 * Colours are presentation attributes (fill="#000091"), which are not CSS.
 */
import type * as PlotModule from '@observablehq/plot';
import type { VNode } from 'preact';
import { DataTable } from '../components/table.js';

export type ChartKind = 'columns' | 'stacked' | 'lines' | 'bars';
/** `values[i]` belongs to `categories[i]`; a missing or non-finite value is drawn as nothing and shown as « – ». */
export type ChartSeries = { label: string; values: number[] };
export type ChartProps = {
  /** Unique in the page: the title and summary ids derive from it. */
  id: string;
  title: string;
  /** The text alternative: what the chart shows, in French. */
  summary: string;
  /** columns: grouped vertical bars; stacked: stacked vertical bars; lines: one line per series; bars: horizontal bars (ranking, stacked when several series). */
  kind: ChartKind;
  categories: string[];
  series: ChartSeries[];
  /** E.g. « demandes », « heures ouvrées »: the value axis label and the table's column headers. */
  unit?: string;
  /** Header of the table's first column, e.g. « Semaine ». */
  categoryLabel?: string;
  headingLevel?: 2 | 3 | 4;
  /** At most this many decimals in the table and the axis (default 1). */
  decimals?: number;
  /** Shown instead of the chart when there is nothing to draw. */
  emptyMessage?: string;
  /** False when the page shows the same data in a table right after the figure (with its exports). */
  dataTable?: boolean;
};

/**
 * DSFR colours, each at least 3:1 against white and against the dark scheme's background (RGAA 3.3).
 * Blue France and yellow moutarde change in the dark scheme through their DSFR tokens (app.css).
 * Beyond six series they repeat: the legend's order and the table still tell the series apart.
 */
export const CHART_COLOURS = [
  '#000091', // blue-france-sun-113
  '#009081', // green-menthe-main-548
  '#ce614a', // pink-tuile-main-556
  '#a558a0', // purple-glycine-main-494
  '#417dc4', // blue-cumulus-main-526
  '#695240', // yellow-moutarde-sun-348
] as const;

export const NO_DATA = 'Aucune donnée pour cette période.';

const WIDTH = 640;
const HEIGHT = 260;
/** Plot's 10px text is too small beside the DSFR's 16px body; margins are set here, not measured by Plot, so they follow. */
const FONT_PX = 12;
/** Room for one character of a label in Marianne, to estimate margins and how many labels fit. */
const CHAR_PX = 7.5;
/** Axis labels longer than this are cut in the drawing; the table shows them whole. */
const AXIS_CHARS = 16;
const BAR_LABEL_CHARS = 24;
const BAR_ROW_PX = 24;

let Plot: typeof PlotModule;
// One document for the whole process: creating a linkedom document costs more than drawing a chart.
let document: Document;

/**
 * Loads Observable Plot and linkedom, once, before a page draws its first chart: loading them with
 * the rest of the portal would add about half a second to every start.
 */
export async function loadCharts(): Promise<void> {
  if (Plot) return;
  const [plot, { parseHTML }] = await Promise.all([import('@observablehq/plot'), import('linkedom')]);
  document = parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
  Plot = plot;
}

const formats = new Map<number, Intl.NumberFormat>();
/** French numbers: narrow non-breaking space between thousands, decimal comma. */
export function formatChartNumber(value: number, decimals = 1): string {
  let format = formats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: decimals });
    formats.set(decimals, format);
  }
  return format.format(value);
}

const colourOf = (s: number) => CHART_COLOURS[s % CHART_COLOURS.length] ?? CHART_COLOURS[0];
const valueAt = (series: ChartSeries, i: number) => {
  const value = series.values[i];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};
const cut = (label: string, chars: number) => (label.length > chars ? `${label.slice(0, Math.max(1, chars - 1))}…` : label);

/** True when there is nothing to draw: no category, no series, or no value other than zero. */
export function isChartEmpty(props: Pick<ChartProps, 'categories' | 'series'>): boolean {
  return !props.series.some((s) => props.categories.some((_, i) => (valueAt(s, i) ?? 0) !== 0));
}

type Point = { i: number; s: number; value: number; colour: string; title: string };

// The tooltip leaves the unit to the axis: « 1 demandes » would need the caller's singular.
function pointsOf(props: ChartProps, keep: (value: number | undefined) => boolean): Point[] {
  return props.series.flatMap((series, s) =>
    props.categories.flatMap((category, i) => {
      const value = valueAt(series, i);
      if (!keep(value)) return [];
      const shown = value === undefined ? '–' : formatChartNumber(value, props.decimals);
      return [{ i, s, value: value ?? Number.NaN, colour: colourOf(s), title: `${category} – ${series.label} : ${shown}` }];
    }),
  );
}

/** Category labels along a horizontal axis: cut to fit their band, or one in `step` when even short ones would collide. */
function categoryTicks(categories: string[], plotWidth: number) {
  const band = plotWidth / categories.length;
  const longest = Math.max(...categories.map((c) => c.length));
  const fit = Math.floor((band - 8) / CHAR_PX);
  const chars = Math.min(AXIS_CHARS, longest, Math.max(fit, 6));
  const step = chars <= fit ? 1 : Math.ceil((chars * CHAR_PX + 8) / band);
  return {
    ticks: categories.map((_, i) => i).filter((i) => i % step === 0),
    tickFormat: (i: number) => cut(categories[i] ?? '', chars),
  };
}

/** Value axis: whole counts below ten get one tick per unit, not Plot's halves. */
function valueAxis(props: ChartProps, max: number) {
  const values = props.series.flatMap((s) => s.values.filter(Number.isFinite));
  const whole = values.every((v) => Number.isInteger(v) && v >= 0);
  return {
    label: props.unit ?? null,
    labelArrow: 'none' as const,
    grid: true,
    nice: true,
    tickFormat: (v: number) => formatChartNumber(v, props.decimals),
    ...(whole && max < 10 ? { ticks: Array.from({ length: Math.ceil(max) + 1 }, (_, v) => v) } : {}),
  };
}

function maxValue(props: ChartProps, stacked: boolean): number {
  let max = 0;
  props.categories.forEach((_, i) => {
    const values = props.series.map((s) => Math.max(0, valueAt(s, i) ?? 0));
    max = Math.max(max, stacked ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values));
  });
  return max;
}

function verticalOptions(props: ChartProps): PlotModule.PlotOptions {
  const { kind, categories } = props;
  const indices = categories.map((_, i) => i);
  const stacked = kind === 'stacked';
  const max = maxValue(props, stacked);
  const marginLeft = Math.max(32, formatChartNumber(max, props.decimals).length * CHAR_PX + 14);
  const marginRight = 16;
  const axis = categoryTicks(categories, WIDTH - marginLeft - marginRight);
  const frame = { width: WIDTH, height: HEIGHT, marginLeft, marginRight, marginTop: props.unit ? 24 : 12, marginBottom: 32 };
  const y = valueAxis(props, max);
  const nonZero = pointsOf(props, (v) => v !== undefined && v !== 0);
  if (kind === 'lines') {
    const all = pointsOf(props, () => true);
    const marks: PlotModule.Markish[] = [
      Plot.ruleY([0]),
      Plot.lineY(all, { x: 'i', y: 'value', z: 's', stroke: 'colour', strokeWidth: 2 }),
    ];
    // Dots show a lone value (a line needs two) and where the values are; beyond a season they only clutter.
    if (categories.length <= 60) {
      marks.push(Plot.dot(all, { x: 'i', y: 'value', fill: 'colour', r: 3, title: 'title' }));
    }
    return {
      ...frame,
      x: { type: 'point', domain: indices, label: null, padding: 0.3, ...axis },
      y: { ...y, zero: true },
      marks,
    };
  }
  if (kind === 'columns' && props.series.length > 1) {
    return {
      ...frame,
      fx: { domain: indices, label: null, padding: 0.2, axis: 'bottom', ...axis },
      x: { type: 'band', domain: props.series.map((_, s) => s), axis: null, padding: 0.05 },
      y,
      marks: [Plot.barY(nonZero, { fx: 'i', x: 's', y: 'value', fill: 'colour', title: 'title' }), Plot.ruleY([0])],
    };
  }
  return {
    ...frame,
    x: { type: 'band', domain: indices, label: null, padding: 0.2, ...axis },
    y,
    marks: [
      // Stacks in the order of the series, whatever the values: the legend reads the same way.
      Plot.barY(nonZero, { x: 'i', y: 'value', fill: 'colour', title: 'title', order: 's' }),
      Plot.ruleY([0]),
    ],
  };
}

function barsOptions(props: ChartProps): PlotModule.PlotOptions {
  const { categories } = props;
  const longest = Math.min(BAR_LABEL_CHARS, Math.max(...categories.map((c) => c.length)));
  const single = props.series.length === 1;
  const max = maxValue(props, true);
  const valueChars = formatChartNumber(max, props.decimals).length;
  const marginTop = 8;
  const marginBottom = props.unit ? 40 : 28;
  const nonZero = pointsOf(props, (v) => v !== undefined && v !== 0);
  const marks: PlotModule.Markish[] = [
    Plot.barX(nonZero, { y: 'i', x: 'value', fill: 'colour', title: 'title', order: 's' }),
    Plot.ruleX([0]),
  ];
  // A ranking reads by its numbers: each bar carries its value when there is one series.
  if (single) {
    marks.push(
      Plot.text(nonZero, {
        y: 'i',
        x: 'value',
        text: (p: Point) => formatChartNumber(p.value, props.decimals),
        textAnchor: 'start',
        dx: 4,
      }),
    );
  }
  return {
    width: WIDTH,
    height: categories.length * BAR_ROW_PX + marginTop + marginBottom,
    marginTop,
    marginBottom,
    marginLeft: longest * CHAR_PX + 12,
    marginRight: single ? valueChars * CHAR_PX + 12 : 16,
    y: {
      type: 'band',
      domain: categories.map((_, i) => i),
      label: null,
      padding: 0.2,
      tickFormat: (i: number) => cut(categories[i] ?? '', BAR_LABEL_CHARS),
    },
    x: { ...valueAxis(props, max), labelAnchor: 'right' },
    marks,
  };
}

function emptyOptions(props: ChartProps): PlotModule.PlotOptions {
  return {
    width: WIDTH,
    height: 80,
    x: { axis: null },
    y: { axis: null },
    marks: [Plot.text([props.emptyMessage ?? NO_DATA], { frameAnchor: 'middle', fontSize: 14 })],
  };
}

/** Ids become attributes in the SVG string and in the page: they are checked rather than escaped. */
const ID = /^[A-Za-z][\w-]*$/;
function checkId(id: string) {
  if (!ID.test(id)) throw new Error(`chart id must be a plain identifier: ${JSON.stringify(id)}`);
}

/** The SVG markup alone (a string), rendered by Observable Plot on a linkedom document. */
export function chartSvg(props: ChartProps): string {
  checkId(props.id);
  if (!Plot) throw new Error('loadCharts() must run before a chart is drawn');
  const options = isChartEmpty(props) ? emptyOptions(props) : props.kind === 'bars' ? barsOptions(props) : verticalOptions(props);
  const svg = Plot.plot({
    ...options,
    document,
    className: 'guichet-plot',
    color: { type: 'identity' },
  }) as unknown as Element;
  for (const style of svg.querySelectorAll('style')) style.remove();
  // The chart is one image named by its title and summary: Plot's names of its parts would only add noise.
  for (const part of [svg, ...svg.querySelectorAll('[style], [aria-label], [aria-description]')]) {
    part.removeAttribute('style');
    part.removeAttribute('aria-label');
    part.removeAttribute('aria-description');
  }
  svg.setAttribute('font-size', String(FONT_PX));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${props.id}-title ${props.id}-summary`);
  svg.setAttribute('focusable', 'false');
  return svg.outerHTML;
}

const withUnit = (label: string, unit?: string) =>
  unit && !label.toLocaleLowerCase('fr').includes(unit.toLocaleLowerCase('fr')) ? `${label} (${unit})` : label;

function Legend({ kind, series }: Pick<ChartProps, 'kind' | 'series'>) {
  return (
    <ul class="guichet-plot-legend" aria-label="Légende">
      {series.map((s, i) => (
        <li key={i}>
          <svg class="guichet-plot-swatch" width="16" height="12" viewBox="0 0 16 12" aria-hidden="true" focusable="false">
            {kind === 'lines' ? (
              <line x1="0" y1="6" x2="16" y2="6" stroke={colourOf(i)} stroke-width="3" />
            ) : (
              <rect x="2" y="0" width="12" height="12" fill={colourOf(i)} />
            )}
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}

function ChartTable(props: ChartProps) {
  const { title, series, categories, unit } = props;
  const caption = `Données du graphique : ${title}`;
  return (
    <DataTable
      caption={caption}
      // The title is right above: the caption names the table for screen readers without repeating it on screen.
      variant=" fr-table--sm fr-table--no-caption"
      tableClass="guichet-plot-table"
      // Any of them scrolls on a phone: its frame then takes the keyboard focus, to scroll with the arrows.
      scrollLabel={caption}
    >
      <thead>
        <tr>
          <th scope="col">{props.categoryLabel ?? 'Catégorie'}</th>
          {series.map((s, j) => (
            <th scope="col" class="fr-cell--right" key={j}>
              {withUnit(s.label, unit)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {categories.map((category, i) => (
          <tr key={i}>
            <th scope="row">{category}</th>
            {series.map((s, j) => {
              const value = valueAt(s, i);
              return (
                <td class="fr-cell--right" key={j}>
                  {value === undefined ? '–' : formatChartNumber(value, props.decimals)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/**
 * The whole accessible figure: its title as a heading, the legend, the SVG (an image named by the
 * title and the summary), the summary, then the data table. With nothing to draw, a sentence takes
 * the place of the drawing, the legend and the table.
 */
export function Chart(props: ChartProps): VNode {
  const { id, title, summary, headingLevel = 3 } = props;
  checkId(id);
  const Heading = `h${headingLevel}` as const;
  const empty = isChartEmpty(props);
  return (
    <figure role="group" class="guichet-plot-figure fr-mb-6v" aria-labelledby={`${id}-title`}>
      <Heading id={`${id}-title`} class="fr-h6 fr-mb-2v">
        {title}
      </Heading>
      {empty ? (
        <p class="guichet-plot-empty">{props.emptyMessage ?? NO_DATA}</p>
      ) : (
        <>
          {props.series.length > 1 && <Legend kind={props.kind} series={props.series} />}
          <div class="guichet-plot-frame" dangerouslySetInnerHTML={{ __html: chartSvg(props) }} />
        </>
      )}
      <p id={`${id}-summary`} class="fr-text--sm fr-mb-2v">
        {summary}
        {props.dataTable === false && ' Les données sont dans le tableau qui suit.'}
      </p>
      {!empty && props.dataTable !== false && <ChartTable {...props} />}
    </figure>
  );
}
