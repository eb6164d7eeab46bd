import type { Colleague } from '../../domain/requests/assignees.js';
import type { SelectionOutcome } from '../../domain/requests/commands/apply-to-selection.js';
import type { Page as ListPage, ListRow } from '../../domain/requests/list-queries.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import { STATUSES } from '../../domain/vocabulary.js';
import { Alert, Csrf, type FormState, Select } from '../components/form.js';
import { type ExtraColumn, Pager, RequestTable } from '../components/requests.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { NewRequestForCallerLink } from './caller-request-pages.js';
import { DueCell } from './service-level.js';

export const QUEUE_PATH = '/guichet';
export const MINE_PATH = '/guichet/en-charge';

export type QueueView = 'all' | 'mine';

type Props = {
  ctx: ViewContext;
  view: QueueView;
  page: ListPage<ListRow>;
  /** Filter values as typed (query string names). */
  form: FormState;
  applications: { id: number; name: string }[];
  colleagues: Colleague[];
  /** The page's query string, kept through a selection's action. */
  query: string;
  first: boolean;
  transferred?: boolean;
  outcome?: SelectionOutcome & { operation: 'take' | 'assign' };
  /** A selection's action sent without what it needs. */
  problem?: SelectionProblem;
};

export type SelectionProblem = 'vide' | 'sans-personne';

const PROBLEMS: Record<SelectionProblem, string> = {
  vide: 'Aucune demande n’était cochée : cochez les demandes puis choisissez l’action.',
  'sans-personne': 'Choisissez la personne à qui assigner la sélection.',
};

const TITLES: Record<QueueView, string> = { all: 'Guichet', mine: 'Mes demandes en charge' };

export function QueuePage({
  ctx,
  view,
  page,
  form,
  applications,
  colleagues,
  query,
  first,
  transferred,
  outcome,
  problem,
}: Props) {
  const path = view === 'mine' ? MINE_PATH : QUEUE_PATH;
  const title = TITLES[view];
  const crumbs = view === 'mine' ? [{ label: 'Guichet', href: QUEUE_PATH }, { label: title }] : [{ label: 'Guichet' }];
  return (
    <Page ctx={ctx} title={title} breadcrumb={[{ label: 'Accueil', href: '/' }, ...crumbs]}>
      <h1>{title}</h1>
      <Views view={view} />
      {transferred && (
        <Alert kind="success" title="Votre action a bien été enregistrée.">
          <p>La demande ne relève plus de votre niveau : elle n’apparaît plus dans votre file.</p>
        </Alert>
      )}
      {outcome && <OutcomeNotice outcome={outcome} />}
      {problem && <Alert kind="warning" title={PROBLEMS[problem]} />}
      <Filters path={path} view={view} form={form} applications={applications} />
      {page.rows.length > 0 && <ExportLink href={`${path}/export.csv${query ? `?${query}` : ''}`} />}
      {page.rows.length ? (
        <SelectionForm ctx={ctx} rows={page.rows} colleagues={colleagues} back={`${path}${query ? `?${query}` : ''}`} />
      ) : (
        <p>Aucune demande ne correspond à ces filtres.</p>
      )}
      <Pager base={`${path}${query ? `?${query}` : ''}`} next={page.next} first={first} />
    </Page>
  );
}

/** A plain link with the filters in its address: the file holds every page of the filtered list. */
function ExportLink({ href }: { href: string }) {
  return (
    <p class="fr-mb-2w">
      <a class="fr-link fr-icon-download-line fr-link--icon-left" href={href} download>
        Exporter (CSV)
      </a>
      <span class="fr-hint-text">Toutes les pages de la liste filtrée, dans un tableur.</span>
    </p>
  );
}

/** The two views of the desk, as links (they work without JavaScript). */
function Views({ view }: { view: QueueView }) {
  const link = (target: QueueView, href: string) => (
    <li>
      <a
        class={`fr-btn ${view === target ? '' : 'fr-btn--secondary'}`.trim()}
        href={href}
        aria-current={view === target ? 'page' : undefined}
      >
        {target === 'all' ? 'Toutes les demandes' : 'Mes demandes en charge'}
      </a>
    </li>
  );
  return (
    <nav aria-label="Vues du guichet" class="fr-mb-2w">
      <ul class="fr-btns-group fr-btns-group--inline-md">
        {link('all', QUEUE_PATH)}
        {link('mine', MINE_PATH)}
        <li>
          <NewRequestForCallerLink />
        </li>
      </ul>
    </nav>
  );
}

function OutcomeNotice({ outcome }: { outcome: NonNullable<Props['outcome']> }) {
  const list = (numbers: number[]) => numbers.map((n) => `n° ${n}`).join(', ');
  const verb = outcome.operation === 'take' ? 'prise(s) en charge' : 'assignée(s)';
  const failed = outcome.conflicts.length + outcome.refused.length > 0;
  return (
    <Alert kind={failed ? 'warning' : 'success'} title={`${outcome.done.length} demande(s) ${verb}.`}>
      {outcome.done.length > 0 && <p>{`Enregistrées : ${list(outcome.done)}.`}</p>}
      {outcome.conflicts.length > 0 && (
        <p>{`Modifiées par une autre personne entre-temps, laissées telles quelles : ${list(outcome.conflicts)}. Relisez-les avant d’agir.`}</p>
      )}
      {outcome.refused.length > 0 && (
        <p>{`Action impossible sur ces demandes dans leur état actuel ou pour la personne choisie : ${list(outcome.refused)}.`}</p>
      )}
    </Alert>
  );
}

type FilterSpec = { name: string; label: string; placeholder: string; options: { value: string; label: string }[] };

const option = (value: string, label: string) => ({ value, label });

/** The queue's filters, in order; « Gestionnaire » only on the whole queue (« Mes demandes en charge » is mine). */
function filterSpecs(view: QueueView, applications: Props['applications']): FilterSpec[] {
  return [
    {
      name: 'application',
      label: 'Application',
      placeholder: 'Toutes',
      options: applications.map((a) => option(String(a.id), a.name)),
    },
    { name: 'statut', label: 'Statut', placeholder: 'Tous', options: STATUSES.map((s) => option(s, STATUS_LABELS[s])) },
    {
      name: 'echeance',
      label: 'Échéance',
      placeholder: 'Toutes',
      options: [option('en-retard', 'En retard'), option('bientot', 'Bientôt en retard')],
    },
    { name: 'niveau', label: 'Niveau', placeholder: 'Tous', options: [option('1', 'Niveau 1'), option('2', 'Niveau 2')] },
    ...(view === 'all'
      ? [
          {
            name: 'gestionnaire',
            label: 'Gestionnaire',
            placeholder: 'Tous',
            options: [option('moi', 'Moi'), option('personne', 'Personne')],
          },
        ]
      : []),
    {
      name: 'bloquant',
      label: 'Bloquant',
      placeholder: 'Tous',
      options: [option('oui', 'Bloquant'), option('non', 'Non bloquant')],
    },
  ];
}

function Filters({
  path,
  view,
  form,
  applications,
}: {
  path: string;
  view: QueueView;
  form: FormState;
  applications: Props['applications'];
}) {
  const cell = 'fr-col-12 fr-col-md-4 fr-col-lg-3';
  return (
    <form method="get" action={path} class="fr-mb-4w" aria-label="Filtrer la file">
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        {filterSpecs(view, applications).map((spec) => (
          <div class={cell} key={spec.name}>
            <Select form={form} {...spec} />
          </div>
        ))}
        <div class={cell}>
          <button class="fr-btn fr-btn--secondary fr-mb-3w" type="submit">
            Filtrer
          </button>
        </div>
      </div>
    </form>
  );
}

const selectColumn: ExtraColumn = {
  key: 'selection',
  first: true,
  header: <span class="fr-sr-only">Sélection</span>,
  cell: (r) => (
    <div class="fr-checkbox-group fr-checkbox-group--sm">
      <input type="checkbox" id={`selection-${r.number}`} name="selection" value={`${r.number}:${r.version ?? 0}`} />
      <label class="fr-label" for={`selection-${r.number}`}>
        <span class="fr-sr-only">{`Sélectionner la demande n° ${r.number}`}</span>
      </label>
    </div>
  ),
};

const dueColumn: ExtraColumn = { key: 'due', header: 'Échéance', cell: (r) => <DueCell due={r.due} /> };

/** The queue as a form: a checkbox per request, then what to do with the selection. */
function SelectionForm({
  ctx,
  rows,
  colleagues,
  back,
}: {
  ctx: ViewContext;
  rows: ListRow[];
  colleagues: Colleague[];
  back: string;
}) {
  const groups =
    ctx.actor?.role === 'admin'
      ? (['agent', 'expert'] as const).map((role) => ({
          label: role === 'agent' ? 'Niveau 1' : 'Niveau 2',
          options: colleagues.filter((c) => c.role === role).map((c) => ({ value: String(c.id), label: c.name })),
        }))
      : [];
  const options = ctx.actor?.role === 'admin' ? [] : colleagues.map((c) => ({ value: String(c.id), label: c.name }));
  return (
    <form method="post" action="/guichet/selection">
      <Csrf token={ctx.csrfToken} />
      <input type="hidden" name="retour" value={back} />
      <RequestTable
        caption="File des demandes, de la plus récemment mise à jour à la plus ancienne"
        rows={rows}
        desk
        columns={[selectColumn, dueColumn]}
      />
      <fieldset class="fr-fieldset" aria-labelledby="selection-legend selection-hint">
        <legend class="fr-fieldset__legend" id="selection-legend">
          Action sur les demandes cochées
        </legend>
        <p class="fr-hint-text fr-fieldset__element" id="selection-hint">
          Chaque demande est enregistrée séparément : une demande modifiée par une autre personne entre-temps est laissée telle
          quelle et signalée, les autres sont enregistrées.
        </p>
        <div class="fr-fieldset__element">
          <button class="fr-btn" type="submit" name="operation" value="take">
            Prendre en charge la sélection
          </button>
        </div>
        <div class="fr-fieldset__element">
          <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
            <div class="fr-col-12 fr-col-md-6">
              <Select
                form={{ values: {}, errors: {} }}
                name="assigneeId"
                id="selection-assignee"
                label="Assigner la sélection à"
                placeholder="Choisir une personne"
                options={options}
                groups={groups}
              />
            </div>
            <div class="fr-col-12 fr-col-md-6">
              <button class="fr-btn fr-btn--secondary fr-mb-3w" type="submit" name="operation" value="assign">
                Assigner la sélection
              </button>
            </div>
          </div>
        </div>
      </fieldset>
    </form>
  );
}
