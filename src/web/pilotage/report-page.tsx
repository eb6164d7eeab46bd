/**
 * « Rapport de retour d'expérience »: the same figures as « Pilotage », titled for the meeting, one
 * section per printed page (the print style sheet hides the portal's frame and the export links).
 */
import type { RawFilters } from '../../domain/pilotage/filters.js';
import type { PilotageReport } from '../../domain/pilotage/report.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { filtersQuery } from './filters-form.js';
import { Figures, periodText, scopeName } from './pilotage-page.js';

export function reportTitle(report: PilotageReport, refs: Referentials): string {
  return `Rapport de retour d’expérience — ${scopeName(report.filters, refs)} — ${periodText(report.filters)}`;
}

export function ReportPage({
  ctx,
  refs,
  raw,
  report,
}: {
  ctx: ViewContext;
  refs: Referentials;
  raw: RawFilters;
  report: PilotageReport;
}) {
  const query = filtersQuery(raw);
  const title = reportTitle(report, refs);
  return (
    <Page
      ctx={ctx}
      title={title}
      breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Pilotage', href: `/pilotage${query}` }, { label: 'Rapport' }]}
    >
      <div class="guichet-report">
        <h1>{title}</h1>
        <p class="guichet-no-print">
          Pour l’imprimer ou l’enregistrer en PDF, utilisez la fonction « Imprimer » de votre navigateur : chaque partie commence
          une nouvelle page.
        </p>
        <Figures report={report} refs={refs} query={query} />
      </div>
    </Page>
  );
}
