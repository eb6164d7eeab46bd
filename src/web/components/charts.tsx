/**
 * Charts drawn on the server as SVG by Observable Plot on a linkedom document: no script in the
 * browser. Each chart is a figure with its title, a text summary and its data table right under
 * it (RGAA: a complex image has an alternative). Plot's own <style> element is removed (the page's
 * style sheet has its rules): the pages' security policy allows no inline style.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { DataTable } from './table.js';

export type ChartKind = 'columns' | 'stacked' | 'lines' | 'bars';
export type ChartSeries = { label: string; values: number[] };
export type ChartProps = {
  id: string;
  title: string;
  summary: string;
  kind: ChartKind;
  categories: string[];
  series: ChartSeries[];
  unit?: string;
  categoryLabel?: string;
  /** False when the page shows the same data in a table right after the chart. */
  dataTable?: boolean;
};

/** DSFR colours, each at least 3:1 against white (RGAA 3.3): blue France, then illustrative colours. */
export const CHART_COLOURS = ['#000091', '#c9191e', '#18753c', '#b34000', '#6e445a', '#716043'];

const { document } = parseHTML('<!doctype html><html><body></body></html>');
const NUMBER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

type Datum = { category: string; series: string; value: number; order: number };

function marks(props: ChartProps, data: Datum[]) {
  const fill = { fill: 'series' as const };
  switch (props.kind) {
    case 'columns':
      return props.series.length > 1
        ? [Plot.barY(data, { fx: 'category', x: 'series', y: 'value', ...fill }), Plot.ruleY([0])]
        : [Plot.barY(data, { x: 'category', y: 'value', ...fill }), Plot.ruleY([0])];
    case 'stacked':
      return [Plot.barY(data, { x: 'category', y: 'value', ...fill, order: props.series.map((s) => s.label) }), Plot.ruleY([0])];
    case 'lines':
      return [
        Plot.lineY(data, { x: 'order', y: 'value', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(data, { x: 'order', y: 'value', fill: 'series', r: 2.5 }),
        Plot.ruleY([0]),
      ];
    case 'bars':
      return [Plot.barX(data, { y: 'category', x: 'value', ...fill }), Plot.ruleX([0])];
  }
}

const short = (label: string) => (label.length > 24 ? `${label.slice(0, 23)}…` : label);

/** The SVG markup of a chart. */
export function chartSvg(props: ChartProps): string {
  const data: Datum[] = props.series.flatMap((s) =>
    props.categories.map((category, order) => ({
      category: short(category),
      series: s.label,
      value: s.values[order] ?? 0,
      order,
    })),
  );
  const domain = props.categories.map(short);
  const colour = { domain: props.series.map((s) => s.label), range: CHART_COLOURS };
  const horizontal = props.kind === 'bars';
  const count = (v: number) => (Number.isInteger(v) ? NUMBER.format(v) : '');
  // At most a dozen labels along the axis; the table under the chart has them all.
  const step = Math.max(1, Math.ceil(domain.length / 12));
  const sparse = domain.filter((_, i) => i % step === 0);
  const grouped = props.kind === 'columns' && props.series.length > 1;
  const svg = Plot.plot({
    document,
    className: 'guichet-chart',
    width: 960,
    height: horizontal ? Math.max(120, 28 * props.categories.length + 40) : 300,
    marginLeft: horizontal ? 220 : 56,
    marginBottom: 40,
    color: colour,
    x: horizontal
      ? { label: props.unit ?? null, grid: true, tickFormat: count }
      : props.kind === 'lines'
        ? { label: null, ticks: sparse.map((label) => domain.indexOf(label)), tickFormat: (i: number) => domain[i] ?? '' }
        : grouped
          ? { axis: null }
          : { label: null, domain, ticks: sparse },
    ...(grouped ? { fx: { label: null, domain, axis: 'bottom', ticks: sparse } } : {}),
    y: horizontal ? { label: null, domain } : { label: props.unit ?? null, grid: true, tickFormat: count },
    marks: marks(props, data),
  } as Plot.PlotOptions);
  svg.querySelector('style')?.remove();
  // The chart is one image, named by its title and summary: Plot's names of its parts would be read inside it.
  for (const part of svg.querySelectorAll('[aria-label], [aria-description]')) {
    part.removeAttribute('aria-label');
    part.removeAttribute('aria-description');
  }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${props.id}-title ${props.id}-summary`);
  svg.setAttribute('focusable', 'false');
  return svg.outerHTML;
}

const empty = (props: ChartProps) => props.categories.length === 0 || props.series.every((s) => s.values.every((v) => !v));

/** The figure: title, chart (or a sentence when there is nothing to draw), summary and data table. */
export function Chart(props: ChartProps) {
  const { id, title, summary, series, categories } = props;
  return (
    <figure class="guichet-chart-figure fr-mb-4w" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} class="fr-h5">
        {title}
      </h3>
      {series.length > 1 && (
        <ul class="guichet-chart-legend" aria-hidden="true">
          {series.map((s, i) => (
            <li key={s.label}>
              <svg width="12" height="12" viewBox="0 0 12 12" focusable="false">
                <rect width="12" height="12" fill={CHART_COLOURS[i % CHART_COLOURS.length]} />
              </svg>{' '}
              {s.label}
            </li>
          ))}
        </ul>
      )}
      {empty(props) ? (
        <p class="fr-text--sm">Aucune donnée pour cette période.</p>
      ) : (
        <div class="guichet-chart-svg" dangerouslySetInnerHTML={{ __html: chartSvg(props) }} />
      )}
      <figcaption id={`${id}-summary`} class="fr-text--sm">
        {summary}
        {props.dataTable === false && ' Les données sont dans le tableau qui suit.'}
      </figcaption>
      {props.dataTable !== false && (
        <DataTable caption={`Données du graphique : ${title}`} variant=" fr-table--sm">
          <thead>
            <tr>
              <th scope="col">{props.categoryLabel ?? 'Catégorie'}</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {categories.map((category, i) => (
              <tr key={i}>
                <th scope="row">{category}</th>
                {series.map((s) => (
                  <td key={s.label} class="guichet-number">
                    {NUMBER.format(s.values[i] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </figure>
  );
}
