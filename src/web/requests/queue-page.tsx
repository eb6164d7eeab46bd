import type { Colleague } from '../../domain/requests/assignees.js';
import type { SelectionOutcome } from '../../domain/requests/commands/apply-to-selection.js';
import type { DeskView } from '../../domain/requests/desk-views.js';
import type { Page as ListPage, ListRow, QueueSort } from '../../domain/requests/list-queries.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import { STATUSES } from '../../domain/vocabulary.js';
import { Alert, Csrf, ErrorSummary, type FormState, Input, Select, Textarea } from '../components/form.js';
import { type ExtraColumn, Pager, RequestTable } from '../components/requests.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { NewRequestForCallerLink } from './caller-request-pages.js';
import { DueCell } from './service-level.js';

export const QUEUE_PATH = '/guichet';
export const MINE_PATH = '/guichet/en-charge';
export const SHORTCUTS_PATH = '/guichet/raccourcis';

export type QueueView = 'all' | 'mine';
export type SelectionOperation = 'take' | 'assign' | 'resolve' | 'ask_info';
/** What a redirect back to the queue tells. */
export type Notice = 'transmise' | 'enregistree' | 'supprimee' | 'vide';

/** The triage order: what is due first. */
export const DEFAULT_SORT: QueueSort = { key: 'echeance', direction: 'asc' };

type Props = {
  ctx: ViewContext;
  view: QueueView;
  page: ListPage<ListRow>;
  total: { count: number; capped: boolean };
  /** Filter values as typed (query string names). */
  form: FormState;
  /** « Enregistrer cette vue », as typed when refused. */
  viewForm: FormState;
  applications: { id: number; name: string }[];
  colleagues: Colleague[];
  views: DeskView[];
  canned: { id: number; title: string }[];
  /** The page's filters as a query string, kept through a selection's action. */
  query: string;
  sort: QueueSort;
  first: boolean;
  notice?: Notice;
  outcome?: SelectionOutcome & { operation: SelectionOperation };
  /** A selection's action sent without what it needs. */
  problem?: SelectionProblem;
};

export type SelectionProblem = 'vide' | 'sans-personne' | 'sans-message';

const PROBLEMS: Record<SelectionProblem, string> = {
  vide: 'Aucune demande n’était cochée : cochez les demandes puis choisissez l’action.',
  'sans-personne': 'Choisissez la personne à qui assigner la sélection.',
  'sans-message': 'Écrivez le message à envoyer ou choisissez une réponse type.',
};

const NOTICES: Record<Notice, { kind: 'success' | 'info'; title: string; text?: string }> = {
  transmise: {
    kind: 'success',
    title: 'Votre action a bien été enregistrée.',
    text: 'La demande ne relève plus de votre niveau : elle n’apparaît plus dans votre file.',
  },
  enregistree: {
    kind: 'success',
    title: 'La vue est enregistrée.',
    text: 'Elle figure dans « Mes vues », au-dessus des filtres.',
  },
  supprimee: { kind: 'success', title: 'La vue est supprimée.' },
  vide: { kind: 'info', title: 'Aucune autre demande dans votre file.', text: 'Toutes les demandes de la liste sont traitées.' },
};

const TITLES: Record<QueueView, string> = { all: 'Guichet', mine: 'Mes demandes en charge' };

const SORT_CAPTIONS: Record<string, string> = {
  'echeance-asc': 'de l’échéance la plus proche à la plus lointaine',
  'echeance-desc': 'de l’échéance la plus lointaine à la plus proche',
  'bloquant-asc': 'les bloquantes d’abord, puis par échéance',
  'bloquant-desc': 'les non bloquantes d’abord, puis par échéance la plus lointaine',
  'creation-desc': 'de la plus récemment déposée à la plus ancienne',
  'creation-asc': 'de la plus anciennement déposée à la plus récente',
  'maj-desc': 'de la plus récemment mise à jour à la plus ancienne',
  'maj-asc': 'de la plus anciennement mise à jour à la plus récente',
};

export function QueuePage(props: Props) {
  const { ctx, view, page, total, form, applications, query, first, notice, outcome, problem } = props;
  const path = view === 'mine' ? MINE_PATH : QUEUE_PATH;
  const title = TITLES[view];
  const crumbs = view === 'mine' ? [{ label: 'Guichet', href: QUEUE_PATH }, { label: title }] : [{ label: 'Guichet' }];
  const here = `${path}${query ? `?${query}` : ''}`;
  return (
    <Page ctx={ctx} title={title} breadcrumb={[{ label: 'Accueil', href: '/' }, ...crumbs]}>
      <h1>{title}</h1>
      <Views view={view} />
      {notice && (
        <Alert kind={NOTICES[notice].kind} title={NOTICES[notice].title}>
          {NOTICES[notice].text && <p>{NOTICES[notice].text}</p>}
        </Alert>
      )}
      {outcome && <OutcomeNotice outcome={outcome} />}
      {problem && <Alert kind="warning" title={PROBLEMS[problem]} />}
      <SavedViews ctx={ctx} views={props.views} />
      <Filters path={path} view={view} form={form} applications={applications} />
      <p class="fr-mb-2w" id="queue-total">
        <strong>{totalLabel(total)}</strong>
        {query && (
          <>
            {' '}
            · <a href={`${path}?reinitialiser`}>Réinitialiser les filtres</a>
          </>
        )}{' '}
        · <a href={SHORTCUTS_PATH}>Raccourcis clavier</a>
      </p>
      {page.rows.length > 0 && <ExportLink href={`${path}/export.csv${query ? `?${query}` : ''}`} />}
      {page.rows.length ? (
        <SelectionForm {...props} back={here} path={path} />
      ) : (
        <p>Aucune demande ne correspond à ces filtres.</p>
      )}
      <Pager base={here} next={page.next} first={first} />
      <SaveViewForm ctx={ctx} path={path} query={query} form={props.viewForm} />
    </Page>
  );
}

const frenchNumber = new Intl.NumberFormat('fr-FR');

function totalLabel({ count, capped }: Props['total']): string {
  if (capped) return `Plus de ${frenchNumber.format(count)} demandes`;
  return count === 0 ? 'Aucune demande' : `${frenchNumber.format(count)} demande${count > 1 ? 's' : ''}`;
}

/** « Mes vues »: the person's saved filters, one link each, and a button to delete it. */
function SavedViews({ ctx, views }: { ctx: ViewContext; views: DeskView[] }) {
  if (views.length === 0) return null;
  return (
    <nav aria-labelledby="saved-views-title" class="fr-mb-3w">
      <h2 class="fr-h6 fr-mb-1w" id="saved-views-title">
        Mes vues
      </h2>
      <ul class="fr-tags-group">
        {views.map((v) => (
          <li key={v.id} class="saved-view">
            <a class="fr-tag" href={`${v.path}${v.query ? `?${v.query}` : ''}`}>
              {v.name}
            </a>
            <form method="post" action={`/guichet/vues/${v.id}/supprimer`} class="saved-view__delete">
              <Csrf token={ctx.csrfToken} />
              <button
                class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-delete-line"
                type="submit"
                title={`Supprimer la vue « ${v.name} »`}
              >
                {`Supprimer la vue « ${v.name} »`}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** « Enregistrer cette vue »: the current filters and order, under a name. */
function SaveViewForm({ ctx, path, query, form }: { ctx: ViewContext; path: string; query: string; form: FormState }) {
  return (
    <form method="post" action="/guichet/vues" class="fr-mt-4w" aria-labelledby="save-view-title" novalidate>
      <h2 class="fr-h6" id="save-view-title">
        Enregistrer cette vue
      </h2>
      <Csrf token={ctx.csrfToken} />
      <ErrorSummary form={form} labels={{ name: ['Nom de la vue', 'view-name'] }} />
      <input type="hidden" name="path" value={path} />
      <input type="hidden" name="query" value={query} />
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div class="fr-col-12 fr-col-md-6">
          <Input
            form={form}
            name="name"
            id="view-name"
            label="Nom de la vue"
            hint="Les filtres et l’ordre de la liste ci-dessus, à retrouver dans « Mes vues »."
          />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <button class="fr-btn fr-btn--secondary fr-mb-3w" type="submit">
            Enregistrer la vue
          </button>
        </div>
      </div>
    </form>
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

const VERBS: Record<SelectionOperation, string> = {
  take: 'prise(s) en charge',
  assign: 'assignée(s)',
  resolve: 'traitée(s)',
  ask_info: 'mise(s) en attente de complément',
};

function OutcomeNotice({ outcome }: { outcome: NonNullable<Props['outcome']> }) {
  const list = (numbers: number[]) => numbers.map((n) => `n° ${n}`).join(', ');
  const verb = VERBS[outcome.operation];
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
    {
      name: 'statut',
      label: 'Statut',
      placeholder: 'Ouvertes',
      options: [option('toutes', 'Tous les statuts'), ...STATUSES.map((s) => option(s, STATUS_LABELS[s]))],
    },
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
    {
      name: 'nonlu',
      label: 'Informations du demandeur',
      placeholder: 'Toutes',
      options: [option('oui', 'Ajoutées depuis ma dernière visite')],
    },
    {
      name: 'tri',
      label: 'Trier par',
      placeholder: 'Échéance la plus proche',
      options: [
        option('echeance-desc', 'Échéance la plus lointaine'),
        option('bloquant-asc', 'Bloquantes d’abord'),
        option('creation-desc', 'Dépôt le plus récent'),
        option('creation-asc', 'Dépôt le plus ancien'),
        option('maj-desc', 'Mise à jour la plus récente'),
        option('maj-asc', 'Mise à jour la plus ancienne'),
      ],
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

/** A column's header as a link that sorts the list by it (then in the other direction). */
function SortHeader({
  label,
  sortKey,
  path,
  query,
  sort,
}: {
  label: string;
  sortKey: QueueSort['key'];
  path: string;
  query: string;
  sort: QueueSort;
}) {
  const active = sort.key === sortKey;
  const direction = active && sort.direction === 'asc' ? 'desc' : active ? 'asc' : sortKey === 'echeance' ? 'asc' : 'desc';
  const params = new URLSearchParams(query);
  params.set('tri', `${sortKey}-${direction}`);
  const state = active ? (sort.direction === 'asc' ? ', trié par ordre croissant' : ', trié par ordre décroissant') : '';
  return (
    <a href={`${path}?${params}`} class={active ? `queue-sort queue-sort--${sort.direction}` : 'queue-sort'}>
      {label}
      <span class="fr-sr-only">{`${state} ; trier par ordre ${direction === 'asc' ? 'croissant' : 'décroissant'}`}</span>
    </a>
  );
}

/** The queue as a form: a checkbox per request, then what to do with the selection. */
function SelectionForm({ ctx, page, colleagues, canned, back, path, query, sort }: Props & { back: string; path: string }) {
  const groups =
    ctx.actor?.role === 'admin'
      ? (['agent', 'expert'] as const).map((role) => ({
          label: role === 'agent' ? 'Niveau 1' : 'Niveau 2',
          options: colleagues.filter((c) => c.role === role).map((c) => ({ value: String(c.id), label: c.name })),
        }))
      : [];
  const options = ctx.actor?.role === 'admin' ? [] : colleagues.map((c) => ({ value: String(c.id), label: c.name }));
  const sortable = { path, query, sort };
  const dueColumn: ExtraColumn = {
    key: 'due',
    label: 'Échéance',
    header: <SortHeader label="Échéance" sortKey="echeance" {...sortable} />,
    cell: (r) => <DueCell due={r.due} />,
  };
  return (
    <form method="post" action="/guichet/selection">
      <Csrf token={ctx.csrfToken} />
      <input type="hidden" name="retour" value={back} />
      <RequestTable
        caption={`File des demandes, ${SORT_CAPTIONS[`${sort.key}-${sort.direction}`]}`}
        rows={page.rows}
        desk
        headers={{ updated: <SortHeader label="Mise à jour" sortKey="maj" {...sortable} /> }}
        columns={[selectColumn, dueColumn]}
      />
      <fieldset class="fr-fieldset" aria-labelledby="selection-legend selection-hint">
        <legend class="fr-fieldset__legend" id="selection-legend">
          Action sur les demandes cochées
        </legend>
        <p class="fr-hint-text fr-fieldset__element" id="selection-hint">
          Chaque demande est enregistrée séparément, avec son historique : une demande modifiée par une autre personne
          entre-temps, ou dans un état qui ne permet pas l’action, est laissée telle quelle et signalée ; les autres sont
          enregistrées.
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
        <BulkAnswer canned={canned} />
      </fieldset>
    </form>
  );
}

/** One message to every requester of the selection: typed, or a canned answer filled for each request. */
function BulkAnswer({ canned }: { canned: Props['canned'] }) {
  const empty = { values: {}, errors: {} };
  return (
    <div class="fr-fieldset__element">
      <h3 class="fr-h6 fr-mb-1w">Répondre à la sélection</h3>
      <p class="fr-hint-text" id="bulk-hint">
        Chaque demandeur reçoit le message dans sa demande et par courriel. Une réponse type est complétée pour chaque demande
        (numéro, objet, demandeur) ; un message écrit ici est envoyé tel quel et l’emporte sur la réponse type.
      </p>
      {canned.length > 0 && (
        <Select
          form={empty}
          name="cannedAnswerId"
          id="bulk-canned"
          label="Réponse type"
          placeholder="Aucune"
          options={canned.map((a) => ({ value: String(a.id), label: a.title }))}
        />
      )}
      <Textarea form={empty} name="message" id="bulk-message" label="Message" rows={4} />
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button class="fr-btn fr-btn--secondary" type="submit" name="operation" value="resolve">
            Traiter la sélection avec ce message
          </button>
        </li>
        <li>
          <button class="fr-btn fr-btn--secondary" type="submit" name="operation" value="ask_info">
            Demander un complément à la sélection
          </button>
        </li>
      </ul>
    </div>
  );
}
