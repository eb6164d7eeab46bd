/**
 * The tables of « Pilotage », each defined once: the page shows them, the exports (CSV, ODS) and
 * the printable report write the same rows. Durations are working hours; shares are fractions
 * (the page and the files show them as percentages).
 */
import type { BreakdownRow, Dimension, Durations, Summary } from '../../domain/pilotage/figures.js';
import { BACKLOG_STATUSES, type Bucket, backlogStep, bucketOf } from '../../domain/pilotage/figures.js';
import { CHANNELS, frenchDay } from '../../domain/pilotage/filters.js';
import type { PilotageReport } from '../../domain/pilotage/report.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import type { Cell, ExportTable } from '../shared/table-export.js';

export type TableId =
  | 'indicateurs'
  | 'evolution'
  | 'stock'
  | 'stock-semaines'
  | Dimension
  | 'satisfaction'
  | 'commentaires'
  | 'connaissances'
  | 'consultes'
  | 'guichet';

export type PilotageTable = ExportTable & { id: TableId };

const hours = (minutes: number | null) => (minutes === null ? null : Math.round((minutes / 60) * 10) / 10);
const share = (part: number, whole: number) => (whole ? part / whole : null);

const DIMENSION_TITLES: Record<Dimension, [string, string]> = {
  application: ['Par application', 'Application'],
  theme: ['Par thème', 'Thème'],
  problemType: ['Par type de problème', 'Type de problème'],
  region: ['Par région', 'Région'],
  nature: ['Par nature de structure', 'Nature de structure'],
  channel: ['Par canal', 'Canal'],
};

/** The name of a dimension's value, from the referentials (« Non renseigné » when empty). */
export function dimensionName(refs: Referentials, dimension: Dimension, key: string | null): string {
  if (key === null) return 'Non renseigné';
  const id = Number(key);
  const named = (list: { id: number; name: string }[]) => list.find((x) => x.id === id)?.name ?? `(retiré) n° ${key}`;
  switch (dimension) {
    case 'application':
      return named(refs.applications);
    case 'theme':
      return named(refs.themes);
    case 'problemType': {
      const type = refs.problemTypes.find((p) => p.id === id);
      const parent = type?.parentId ? refs.problemTypes.find((p) => p.id === type.parentId) : undefined;
      return type ? (parent ? `${parent.name} › ${type.name}` : type.name) : `(retiré) n° ${key}`;
    }
    case 'region':
      return named(refs.regions);
    case 'nature':
      return named(refs.natures);
    case 'channel':
      return CHANNELS[key as keyof typeof CHANNELS] ?? key;
  }
}

function indicators(current: Summary, previous: Summary): PilotageTable {
  // One column holds counts, hours and percentages: shares are written as percentages (« (%) » in the label).
  const row = (label: string, kind: 'count' | 'share' | 'hours', get: (s: Summary) => number | null): Cell[] => {
    const value = (s: Summary) => {
      const v = get(s);
      return kind === 'share' && v !== null ? Math.round(v * 1000) / 10 : v;
    };
    const now = value(current);
    const before = value(previous);
    const change = now === null || before === null || kind === 'share' || before === 0 ? null : (now - before) / before;
    return [kind === 'share' ? `${label} (%)` : label, now, before, change];
  };
  const shareOf = (get: (s: Summary) => number) => (s: Summary) => share(get(s), s.filed);
  const durationRows = (label: string, get: (s: Summary) => Durations) => [
    row(`${label} : médiane (heures ouvrées)`, 'hours', (s) => hours(get(s).median)),
    row(`${label} : 90e centile (heures ouvrées)`, 'hours', (s) => hours(get(s).p90)),
    row(`${label} : moyenne (heures ouvrées)`, 'hours', (s) => hours(get(s).mean)),
    row(`${label} : part dans le délai`, 'share', (s) => get(s).onTime),
  ];
  return {
    id: 'indicateurs',
    title: 'Indicateurs de la période et de la période précédente',
    columns: [
      { label: 'Indicateur' },
      { label: 'Période', kind: 'decimal' },
      { label: 'Période précédente', kind: 'decimal' },
      { label: 'Évolution', kind: 'percent' },
    ],
    rows: [
      row('Demandes déposées', 'count', (s) => s.filed),
      row('Demandes traitées', 'count', (s) => s.treated),
      row('Demandes clôturées', 'count', (s) => s.closed),
      row(
        'Part de demandes bloquantes',
        'share',
        shareOf((s) => s.blocking),
      ),
      row(
        'Part escaladée au niveau 2',
        'share',
        shareOf((s) => s.escalated),
      ),
      row(
        'Part renvoyée au niveau 1',
        'share',
        shareOf((s) => s.sentBack),
      ),
      row(
        'Part ayant demandé un complément',
        'share',
        shareOf((s) => s.complement),
      ),
      row('Réponses refusées', 'count', (s) => s.refusals),
      row('Demandes clôturées automatiquement', 'count', (s) => s.autoClosed),
      row('Demandes réouvertes', 'count', (s) => s.reopened),
      ...durationRows('Première réponse', (s) => s.firstResponse),
      ...durationRows('Résolution', (s) => s.resolution),
    ],
  };
}

function breakdown(refs: Referentials, dimension: Dimension, rows: BreakdownRow[], total: number): PilotageTable {
  const [title, label] = DIMENSION_TITLES[dimension];
  return {
    id: dimension,
    title,
    columns: [
      { label },
      { label: 'Demandes déposées', kind: 'integer' },
      { label: 'Part', kind: 'percent' },
      { label: 'Bloquantes', kind: 'integer' },
      { label: 'Première réponse médiane (h)', kind: 'decimal' },
      { label: 'Résolution médiane (h)', kind: 'decimal' },
      { label: 'Résolution 90e centile (h)', kind: 'decimal' },
      { label: 'Résolution dans le délai', kind: 'percent' },
    ],
    rows: rows.map((r) => [
      dimensionName(refs, dimension, r.key),
      r.filed,
      share(r.filed, total),
      r.blocking,
      hours(r.firstResponse.median),
      hours(r.resolution.median),
      hours(r.resolution.p90),
      r.resolution.onTime,
    ]),
  };
}

/** The header of a series' first column, and how the chart's summary names the step. */
export const BUCKET_LABELS: Record<Bucket, string> = { day: 'Jour', week: 'Semaine du', month: 'Mois' };
export const BUCKET_NAMES: Record<Bucket, string> = { day: 'jour', week: 'semaine', month: 'mois' };

export function pilotageTables(report: PilotageReport, refs: Referentials): PilotageTable[] {
  const { current, previous, series, today, weeks, breakdowns, satisfaction, knowledge, desk } = report;
  const bucket = BUCKET_LABELS[bucketOf(report.filters.period)];
  const monthly = backlogStep(report.filters.period) === 'month';
  const tables: PilotageTable[] = [
    indicators(current, previous),
    {
      id: 'evolution',
      title: 'Demandes déposées, traitées et clôturées',
      columns: [
        { label: bucket },
        { label: 'Déposées', kind: 'integer' },
        { label: 'Traitées', kind: 'integer' },
        { label: 'Clôturées', kind: 'integer' },
      ],
      rows: series.map((p) => [
        bucketOf(report.filters.period) === 'month' ? p.start.slice(0, 7).split('-').reverse().join('/') : frenchDay(p.start),
        p.filed,
        p.treated,
        p.closed,
      ]),
    },
    {
      id: 'stock',
      title: 'Demandes en cours aujourd’hui',
      columns: [{ label: 'Situation' }, { label: 'Demandes', kind: 'integer' }],
      rows: [
        ...BACKLOG_STATUSES.map((s): Cell[] => [STATUS_LABELS[s], today.backlog[s]]),
        ['En retard', today.late],
        ['Bientôt en retard', today.soon],
      ],
    },
    {
      id: 'stock-semaines',
      title: `Demandes en cours à la fin de chaque ${monthly ? 'mois' : 'semaine'}`,
      columns: [
        { label: monthly ? 'Fin de mois' : 'Fin de semaine' },
        ...BACKLOG_STATUSES.map((s) => ({ label: STATUS_LABELS[s], kind: 'integer' as const })),
      ],
      rows: weeks.map((w) => [frenchDay(w.end), ...BACKLOG_STATUSES.map((s) => w.backlog[s])]),
    },
    ...(Object.keys(breakdowns) as Dimension[]).map((d) => breakdown(refs, d, breakdowns[d], current.filed)),
    {
      id: 'satisfaction',
      title: 'Satisfaction des demandeurs',
      columns: [{ label: 'Note' }, { label: 'Réponses', kind: 'integer' }, { label: 'Part', kind: 'percent' }],
      rows: satisfaction.distribution.map((n, i): Cell[] => [`${i + 1} sur 5`, n, share(n, satisfaction.answers)]),
    },
    {
      id: 'commentaires',
      title: 'Derniers commentaires des demandeurs',
      columns: [{ label: 'Date', kind: 'date' }, { label: 'Note', kind: 'integer' }, { label: 'Commentaire' }],
      rows: satisfaction.comments.map((c) => [c.at, c.score, c.comment]),
    },
    {
      id: 'connaissances',
      title: 'Suggestions de la base de connaissances',
      columns: [{ label: 'Indicateur' }, { label: 'Nombre', kind: 'integer' }],
      rows: [
        ['Formulaires ayant affiché des suggestions', knowledge.forms],
        ['Suggestions affichées', knowledge.shown],
        ['Suggestions ouvertes', knowledge.opened],
        ['Formulaires abandonnés après une suggestion ouverte (demandes évitées)', knowledge.avoided],
      ],
    },
    {
      id: 'consultes',
      title: 'Articles de F.A.Q. et documents les plus ouverts depuis les suggestions',
      columns: [{ label: 'Type' }, { label: 'Titre' }, { label: 'Ouvertures', kind: 'integer' }],
      rows: knowledge.top.map((t) => [t.type === 'faq' ? 'F.A.Q.' : 'Document', t.title, t.opened]),
    },
  ];
  if (desk)
    tables.push({
      id: 'guichet',
      title: 'Activité du guichet par gestionnaire et par niveau',
      columns: [
        { label: 'Gestionnaire' },
        { label: 'Niveau' },
        { label: 'Demandes déposées', kind: 'integer' },
        { label: 'Traitées', kind: 'integer' },
        { label: 'Résolution médiane (h)', kind: 'decimal' },
      ],
      rows: desk.map((r) => [r.name ?? 'Sans gestionnaire', `Niveau ${r.level}`, r.filed, r.treated, hours(r.resolution.median)]),
    });
  return tables;
}
