/**
 * « Pilotage »: the figures of a period against the previous one, charts with their data tables,
 * and an export of every table. Figures only: no request, no subject, no requester.
 */
import type { ComponentChildren } from 'preact';
import { BACKLOG_STATUSES, backlogStep, bucketOf } from '../../domain/pilotage/figures.js';
import { type Filters, frenchDay, type RawFilters } from '../../domain/pilotage/filters.js';
import type { PilotageReport } from '../../domain/pilotage/report.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import { Alert, type FormState } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { Chart } from '../shared/charts.js';
import { formatDateTime } from '../shared/format.js';
import type { Cell, CellKind } from '../shared/table-export.js';
import type { ViewContext } from '../shared/view-context.js';
import { filtersQuery, PilotageFilters } from './filters-form.js';
import { BUCKET_LABELS, BUCKET_NAMES, type PilotageTable, pilotageTables, type TableId } from './tables.js';

const NUMBER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });

/** A cell as the page shows it; an empty figure is « – » (nothing to compute). */
export function cellText(value: Cell, kind: CellKind = 'text'): string {
  if (value === null) return '–';
  if (value instanceof Date) return DAY.format(value);
  if (typeof value === 'number') return kind === 'percent' ? PERCENT.format(value) : NUMBER.format(value);
  return value;
}

/** « 1 traitée », « 0 traitée », « 3 traitées ». */
const counted = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** The applications counted: named when one or two, « Toutes vos applications » beyond. */
export function scopeName(filters: Filters, refs: Referentials): string {
  const names = filters.applicationIds.map((id) => refs.applications.find((a) => a.id === id)?.name ?? '');
  return names.length > 2 ? 'Toutes vos applications' : names.join(', ');
}

export function periodText(filters: Filters): string {
  return `du ${frenchDay(filters.period.firstDay)} au ${frenchDay(filters.period.lastDay)}`;
}

/** A table with its export links. */
export function FigureTable({ table, query, hideCaption }: { table: PilotageTable; query: string; hideCaption?: boolean }) {
  const sep = query ? '&' : '?';
  return (
    <div class="guichet-figure-table">
      <DataTable
        caption={table.title}
        variant={hideCaption ? ' fr-table--no-caption' : ''}
        scrollLabel={table.columns.length > 4 ? `Tableau ${table.title}` : undefined}
      >
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th scope="col" key={c.label}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.length === 0 && (
            <tr>
              <td colSpan={table.columns.length}>Aucune donnée pour cette période.</td>
            </tr>
          )}
          {table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) =>
                j === 0 ? (
                  <th scope="row" key={table.columns[j]?.label}>
                    {cellText(cell, table.columns[j]?.kind)}
                  </th>
                ) : (
                  <td
                    key={table.columns[j]?.label}
                    class={typeof cell === 'number' || cell === null ? 'guichet-number' : undefined}
                  >
                    {cellText(cell, table.columns[j]?.kind)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </DataTable>
      <p class="fr-text--sm guichet-no-print">
        Exporter ce tableau :{' '}
        <a class="fr-link fr-link--sm" href={`/pilotage/export.csv${query}${sep}tableau=${table.id}`} download>
          CSV<span class="fr-sr-only"> – {table.title}</span>
        </a>{' '}
        ·{' '}
        <a class="fr-link fr-link--sm" href={`/pilotage/export.ods${query}${sep}tableau=${table.id}`} download>
          ODS<span class="fr-sr-only"> – {table.title}</span>
        </a>
      </p>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="fr-mb-6w guichet-report-section" aria-labelledby={`titre-${id}`}>
      <h2 id={`titre-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

type Props = {
  ctx: ViewContext;
  refs: Referentials;
  scope: number[];
  form: FormState;
  raw: RawFilters;
  report: PilotageReport | null;
};

export function PilotagePage({ ctx, refs, scope, form, raw, report }: Props) {
  const query = filtersQuery(raw);
  return (
    <Page ctx={ctx} title="Pilotage" failed={!report} breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Pilotage' }]}>
      <h1>Pilotage</h1>
      <p class="fr-text--lead">
        Les chiffres de l’assistance pour la réunion de retour d’expérience : volumes, délais en heures ouvrées, satisfaction et
        base de connaissances.
      </p>
      {scope.length === 0 && (
        <Alert kind="info" title="Aucune application ne vous est ouverte">
          <p>Demandez à un administrateur de vous attribuer les applications dont vous suivez les chiffres.</p>
        </Alert>
      )}
      <PilotageFilters form={form} refs={refs} scope={scope} />
      {report && <Figures report={report} refs={refs} query={query} />}
    </Page>
  );
}

export function Figures({ report, refs, query }: { report: PilotageReport; refs: Referentials; query: string }) {
  const tables = new Map(pilotageTables(report, refs).map((t) => [t.id, t]));
  const table = (id: TableId) => {
    const t = tables.get(id);
    return t ? <FigureTable table={t} query={query} /> : null;
  };
  const { filters, current, series, weeks, satisfaction } = report;
  const monthly = backlogStep(filters.period) === 'month';
  const sep = query ? '&' : '?';
  return (
    <>
      <div class="fr-callout fr-mb-4w">
        <h2 class="fr-callout__title">
          {scopeName(filters, refs)} {periodText(filters)}
        </h2>
        <p class="fr-callout__text">
          Comparé à la période précédente de même durée, du {frenchDay(filters.previous.firstDay)} au{' '}
          {frenchDay(filters.previous.lastDay)}. {counted(current.filed, 'demande déposée', 'demandes déposées')},{' '}
          {counted(current.treated, 'traitée', 'traitées')}, {counted(current.closed, 'clôturée', 'clôturées')}.
        </p>
        <p class="fr-text--sm fr-mb-0">
          Chiffres calculés le {formatDateTime(report.computedAt)} (ils le sont au plus une fois par minute).
        </p>
        <div class="guichet-no-print">
          <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mt-2w">
            <li>
              <a class="fr-btn fr-btn--secondary" href={`/pilotage/rapport${query}`}>
                Rapport imprimable
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href={`/pilotage/export.ods${query}`} download>
                Tous les tableaux (ODS)
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--tertiary" href={`/pilotage/export.csv${query}${sep}tableau=tous`} download>
                Tous les tableaux (CSV)
              </a>
            </li>
          </ul>
        </div>
      </div>
      <p class="fr-text--sm">
        Les volumes comptent chaque demande à sa date (dépôt, traitement, clôture) ; les délais et les parts portent sur les
        demandes déposées pendant la période. Les délais sont en heures ouvrées, sans le temps passé « En attente de complément ».
      </p>
      <Section id="indicateurs" title="Indicateurs">
        {table('indicateurs')}
      </Section>
      <Section id="evolution" title="Évolution">
        <Chart
          id="chart-evolution"
          title={tables.get('evolution')?.title ?? ''}
          summary={`${counted(current.filed, 'déposée', 'déposées')}, ${counted(current.treated, 'traitée', 'traitées')} et ${counted(current.closed, 'clôturée', 'clôturées')} ${periodText(filters)}, par ${BUCKET_NAMES[bucketOf(filters.period)]}.`}
          kind="lines"
          dataTable={false}
          categoryLabel={BUCKET_LABELS[bucketOf(filters.period)]}
          unit="demandes"
          categories={
            tables.get('evolution')?.rows.map((row) => String(row[0]).slice(0, bucketOf(filters.period) === 'month' ? 7 : 5)) ??
            []
          }
          series={[
            { label: 'Déposées', values: series.map((p) => p.filed) },
            { label: 'Traitées', values: series.map((p) => p.treated) },
            { label: 'Clôturées', values: series.map((p) => p.closed) },
          ]}
        />
        {table('evolution')}
      </Section>
      <Section id="stock" title="Demandes en cours">
        {table('stock')}
        <Chart
          id="chart-stock"
          title={tables.get('stock-semaines')?.title ?? ''}
          summary={`Demandes non clôturées à la fin de chaque ${monthly ? 'mois' : 'semaine'}, par statut, ${periodText(filters)}.`}
          kind="stacked"
          dataTable={false}
          categoryLabel={monthly ? 'Fin de mois' : 'Fin de semaine'}
          unit="demandes"
          categories={weeks.map((w) => frenchDay(w.end).slice(0, 5))}
          series={BACKLOG_STATUSES.map((s) => ({ label: STATUS_LABELS[s], values: weeks.map((w) => w.backlog[s]) }))}
        />
        {table('stock-semaines')}
      </Section>
      <Section id="repartition" title="Répartition des demandes">
        {table('application')}
        {table('theme')}
        {table('problemType')}
        {table('region')}
        {table('nature')}
        {table('channel')}
      </Section>
      <Section id="satisfaction" title="Satisfaction">
        <p>
          {satisfaction.answers} réponse{satisfaction.answers > 1 ? 's' : ''} à l’enquête de satisfaction
          {satisfaction.mean !== null ? `, note moyenne ${cellText(satisfaction.mean, 'decimal')} sur 5` : ''}.
        </p>
        <Chart
          id="chart-satisfaction"
          title="Répartition des notes"
          summary={`${satisfaction.answers} réponses : ${satisfaction.distribution.map((n, i) => `${n} fois ${i + 1} sur 5`).join(', ')}.`}
          kind="columns"
          categoryLabel="Note"
          unit="réponses"
          categories={['1', '2', '3', '4', '5']}
          series={[{ label: 'Réponses', values: satisfaction.distribution }]}
          dataTable={false}
        />
        {table('satisfaction')}
        {table('commentaires')}
      </Section>
      <Section id="connaissances" title="Base de connaissances">
        <p class="fr-text--sm">Le filtre d’application s’applique ; les autres filtres ne portent pas sur les suggestions.</p>
        {table('connaissances')}
        {table('consultes')}
      </Section>
      {tables.has('guichet') && (
        <Section id="guichet" title="Activité du guichet">
          {table('guichet')}
        </Section>
      )}
    </>
  );
}
