/**
 * The queue's selection: a checkbox per request, what to do with the checked ones (take, assign,
 * treat or ask a complement with one message), and the notice of what was done.
 */
import type { Colleague } from '../../domain/requests/assignees.js';
import type { SelectionOutcome } from '../../domain/requests/commands/apply-to-selection.js';
import type { ListRow, QueueSort } from '../../domain/requests/list-queries.js';
import { Alert, Csrf, Select, Textarea } from '../components/form.js';
import { type ExtraColumn, RequestTable } from '../components/requests.js';
import type { ViewContext } from '../shared/view-context.js';
import { DueCell } from './service-level.js';

export type SelectionOperation = 'take' | 'assign' | 'resolve' | 'ask_info';
/** A canned answer offered to the whole selection. */
export type CannedChoice = { id: number; title: string };

const VERBS: Record<SelectionOperation, string> = {
  take: 'prise(s) en charge',
  assign: 'assignée(s)',
  resolve: 'traitée(s)',
  ask_info: 'mise(s) en attente de complément',
};

export function OutcomeNotice({ outcome }: { outcome: SelectionOutcome & { operation: SelectionOperation } }) {
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
export function SelectionForm({
  ctx,
  rows,
  colleagues,
  canned,
  back,
  path,
  query,
  sort,
}: {
  ctx: ViewContext;
  rows: ListRow[];
  colleagues: Colleague[];
  canned: CannedChoice[];
  /** The list's address, to come back to after the action. */
  back: string;
  path: string;
  query: string;
  sort: QueueSort;
}) {
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
        rows={rows}
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
function BulkAnswer({ canned }: { canned: CannedChoice[] }) {
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
