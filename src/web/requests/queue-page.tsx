import type { Colleague } from '../../domain/requests/assignees.js';
import type { SelectionOutcome } from '../../domain/requests/commands/apply-to-selection.js';
import type { DeskView } from '../../domain/requests/desk-views.js';
import type { Page as ListPage, ListRow, QueueSort } from '../../domain/requests/list-queries.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import { STATUSES } from '../../domain/vocabulary.js';
import { Alert, type FormState, Select } from '../components/form.js';
import { Pager } from '../components/requests.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { NewRequestForCallerLink } from './caller-request-pages.js';
import { type CannedChoice, OutcomeNotice, SelectionForm, type SelectionOperation } from './queue-selection.js';
import { SavedViews, SaveViewForm } from './queue-views.js';

export const QUEUE_PATH = '/guichet';
export const MINE_PATH = '/guichet/en-charge';
export const SHORTCUTS_PATH = '/guichet/raccourcis';

export type QueueView = 'all' | 'mine';
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
  canned: CannedChoice[];
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
        <SelectionForm
          ctx={ctx}
          rows={page.rows}
          colleagues={props.colleagues}
          canned={props.canned}
          back={here}
          path={path}
          query={query}
          sort={props.sort}
        />
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
