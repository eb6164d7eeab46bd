/**
 * « Nouvelle demande pour un appelant »: the desk files a request for a person who called or wrote.
 * Step 1 finds their account, step 2 is the requester's own form with the channel added.
 */
import type { StagedFile } from '../../domain/attachments/staging.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { CALLER_CHANNELS, CHANNEL_LABELS } from '../../domain/requests/input.js';
import { type RequesterHit, SEARCH_LIMIT } from '../../domain/requests/requester-search.js';
import { Alert, type FormState, Input, Select } from '../components/form.js';
import { DataTable, FactsTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { NewRequestForm } from './new-request-page.js';

const TITLE = 'Nouvelle demande pour un appelant';
export const NEW_FOR_CALLER_PATH = '/guichet/nouvelle-demande';

const STEPS = { 1: 'Trouver le compte du demandeur', 2: 'Saisir la demande' } as const;
/** Each step's page has its own title. */
const titleOf = (step: 1 | 2) => `${STEPS[step]} – ${TITLE}`;

const breadcrumb = [{ label: 'Accueil', href: '/' }, { label: 'Guichet', href: '/guichet' }, { label: TITLE }];

function Stepper({ step }: { step: 1 | 2 }) {
  return (
    <div class="fr-stepper">
      <h2 class="fr-stepper__title">
        {STEPS[step]}
        <span class="fr-stepper__state">{`Étape ${step} sur 2`}</span>
      </h2>
      <div class="fr-stepper__steps" data-fr-current-step={String(step)} data-fr-steps="2" />
      {step === 1 && (
        <p class="fr-stepper__details">
          <span class="fr-text--bold">Étape suivante :</span> {STEPS[2]}
        </p>
      )}
    </div>
  );
}

export type SearchState = {
  form: FormState;
  /** Null before any search. */
  result: { rows: RequesterHit[]; more: boolean } | null;
  /** After a request was filed: its number, and the requester's name when the agent may open it. */
  filed?: { number: number; created: boolean; requesterName: string | null };
};

export function RequesterSearchPage({ ctx, state }: { ctx: ViewContext; state: SearchState }) {
  const { form, result, filed } = state;
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title={titleOf(1)} failed={failed} breadcrumb={breadcrumb}>
      <h1>{TITLE}</h1>
      {filed && <FiledNotice filed={filed} />}
      <Stepper step={1} />
      <p>
        Une personne vous appelle ou vous écrit : retrouvez son compte, puis saisissez sa demande. Elle en reçoit l’accusé de
        réception et la retrouve dans « Mes demandes ».
      </p>
      <form method="get" action={NEW_FOR_CALLER_PATH} class="fr-mb-4w" aria-label="Rechercher un demandeur">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-8">
            <Input
              form={form}
              name="recherche"
              label="Rechercher un demandeur"
              hint="Nom, prénom, identifiant, adresse électronique ou structure ; les accents sont facultatifs."
              type="search"
            />
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <button class="fr-btn fr-icon-search-line fr-btn--icon-left fr-mb-3w" type="submit">
              Rechercher
            </button>
          </div>
        </div>
      </form>
      {result && <Results result={result} query={form.values.recherche ?? ''} />}
    </Page>
  );
}

function FiledNotice({ filed }: { filed: NonNullable<SearchState['filed']> }) {
  const title = filed.created
    ? `La demande n° ${filed.number} a bien été enregistrée.`
    : `La demande n° ${filed.number} avait déjà été enregistrée.`;
  return (
    <Alert kind="success" title={title}>
      <p>
        {filed.requesterName
          ? `${filed.requesterName} en reçoit l’accusé de réception par courriel. `
          : 'Le demandeur en reçoit l’accusé de réception par courriel. '}
        {filed.requesterName && <a href={`/demandes/${filed.number}`}>{`Voir la demande n° ${filed.number}`}</a>}
      </p>
    </Alert>
  );
}

function Results({ result, query }: { result: NonNullable<SearchState['result']>; query: string }) {
  if (result.rows.length === 0) {
    return <p>Aucun compte de demandeur actif ne correspond à cette recherche.</p>;
  }
  return (
    <>
      {result.more && (
        <p class="fr-text--bold">{`Seuls les ${SEARCH_LIMIT} premiers comptes sont affichés : précisez la recherche.`}</p>
      )}
      <DataTable caption={`Comptes de demandeurs actifs correspondant à « ${query} »`}>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Identifiant</th>
            <th scope="col">Adresse électronique</th>
            <th scope="col">Structure</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{r.login}</td>
              <td>{r.email}</td>
              <td>{r.structureName ?? '—'}</td>
              <td>
                <a class="fr-btn fr-btn--sm fr-btn--secondary" href={`${NEW_FOR_CALLER_PATH}/${r.id}`}>
                  Choisir<span class="fr-sr-only">{` ${r.name}`}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </>
  );
}

type FormPageProps = {
  ctx: ViewContext;
  refs: Referentials;
  requester: RequesterHit;
  form: FormState;
  token: string;
  staged: StagedFile[];
  limits: { maxFileBytes: number; maxFiles: number };
};

export function CallerRequestPage(props: FormPageProps) {
  const { ctx, requester, form } = props;
  const failed = Object.keys(form.errors).length > 0;
  const kind = requester.kind === 'direccte' ? 'DIRECCTE' : requester.kind === 'centre' ? 'Centre' : '—';
  return (
    <Page ctx={ctx} title={titleOf(2)} failed={failed} breadcrumb={breadcrumb}>
      <h1>{TITLE}</h1>
      <Stepper step={2} />
      <FactsTable
        caption="Demandeur choisi"
        rows={[
          ['Demandeur', requester.name],
          ['Identifiant', requester.login],
          ['Adresse électronique', requester.email],
          ['Structure', requester.structureName ?? '—'],
          ['Type de demandeur', kind],
        ]}
        variant=" fr-mb-2w"
      />
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={NEW_FOR_CALLER_PATH}>
          Choisir un autre demandeur
        </a>
      </p>
      <NewRequestForm
        {...props}
        onBehalf={requester.kind === 'direccte'}
        action={`${NEW_FOR_CALLER_PATH}/${requester.id}`}
        cancel={{ href: '/guichet', label: 'Annuler' }}
        before={
          <Select
            form={form}
            name="channel"
            label="Canal"
            hint="Comment la demande vous est parvenue."
            required
            options={CALLER_CHANNELS.map((c) => ({ value: c, label: capitalize(CHANNEL_LABELS[c]) }))}
          />
        }
      />
    </Page>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The desk's way in, among the desk's views. */
export function NewRequestForCallerLink() {
  return (
    <a class="fr-btn fr-btn--tertiary" href={NEW_FOR_CALLER_PATH}>
      {TITLE}
    </a>
  );
}
