import { isStaff } from '../../domain/access.js';
import { ACCEPTED_FORMATS_LABEL, formatBytes } from '../../domain/attachments/store.js';
import type { CannedAnswerOption } from '../../domain/canned-answers/canned-answers.js';
import type { RequestView } from '../../domain/requests/queries.js';
import { ACTION_LABELS, messageRequired } from '../../domain/requests/workflow.js';
import type { Action } from '../../domain/vocabulary.js';
import { Csrf, emptyForm, type FormState, Textarea, Upload } from '../components/form.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { CANNED_ACTIONS, CannedAnswerPicker } from './canned-answer-picker.js';
import type { ActionFormState } from './request-form-errors.js';

export type Assignee = { id: number; name: string };

type Props = {
  ctx: ViewContext;
  request: RequestView;
  token: string;
  assignees: Assignee[];
  limits: { maxFileBytes: number; maxFiles: number };
  failed?: ActionFormState;
  /** « Réponses types » the desk may insert into its answers. */
  canned?: CannedAnswerOption[];
};

/** The words of each action's form: its message field (for the actions that need one), files, emphasis. */
const FORMS: Partial<Record<Action, { field: string; hint?: string; files?: boolean; secondary?: boolean }>> = {
  add_info: { field: 'Commentaire', files: true },
  refuse: { field: 'Commentaire', hint: 'Expliquez ce qui ne convient pas dans la réponse.', secondary: true },
  ask_info: { field: 'Message au demandeur', hint: 'Le demandeur le reçoit par courriel.', files: true },
  resolve: {
    field: 'Réponse',
    hint: 'Le demandeur la reçoit par courriel ; elle s’affiche sous le statut de la demande.',
    files: true,
  },
  escalate: { field: 'Note pour le niveau 2', hint: 'Note interne : le demandeur ne la voit pas.' },
  send_back: { field: 'Note pour le niveau 1', hint: 'Note interne : le demandeur ne la voit pas.' },
  internal_note: { field: 'Note interne', hint: 'Jamais montrée au demandeur.', files: true, secondary: true },
  reopen: { field: 'Pourquoi rouvrir la demande', hint: 'Le motif figure dans l’historique et part par courriel.' },
};

/** Forms for the actions the workflow allows this person now, and nothing else. */
export function ActionForms({ ctx, request, token, assignees, limits, failed, canned = [] }: Props) {
  // « Marquer comme doublon » has its form with the linked requests (request-links.tsx).
  const actions = request.actions.filter((a) => a !== 'auto_close' && a !== 'mark_duplicate');
  const staff = isStaff(ctx.actor);
  if (!staff && request.status === 'closed' && !actions.includes('reopen') && ctx.actor?.id === request.requesterId) {
    return <FollowUpInvitation number={request.number} />;
  }
  if (actions.length === 0) return null;
  const stateOf = (action: Action): FormState => (failed?.action === action ? failed.form : emptyForm());
  const common = { ctx, request, token, limits };
  if (!staff) {
    return (
      <>
        {actions.includes('reopen') && request.reopenableUntil && (
          <section class="fr-mt-4w" aria-labelledby="reopen-title">
            <h2 id="reopen-title" class="fr-h4">
              Rouvrir la demande
            </h2>
            <p>
              {`Le problème revient ou la réponse ne convenait pas ? Vous pouvez rouvrir cette demande jusqu’au ${formatDateTime(request.reopenableUntil)}, en disant pourquoi : l’assistance la reprend.`}
            </p>
            <ActionForm {...common} action="reopen" form={stateOf('reopen')} labelledBy="reopen-title" />
          </section>
        )}
        {actions.includes('accept') && (
          <section class="fr-mt-4w" aria-labelledby="decision-title">
            <h2 id="decision-title" class="fr-h4">
              Votre avis sur la réponse
            </h2>
            <p>Si la réponse règle votre problème, clôturez la demande.</p>
            <ActionForm {...common} action="accept" form={stateOf('accept')} />
            {actions.includes('refuse') && (
              <>
                <h3 id="refuse-title" class="fr-h6 fr-mt-4w">
                  La réponse ne règle pas votre problème ?
                </h3>
                <p>Dites ce qui ne convient pas : la demande revient à l’assistance, qui vous répondra de nouveau.</p>
                <ActionForm {...common} action="refuse" form={stateOf('refuse')} labelledBy="refuse-title" />
              </>
            )}
          </section>
        )}
        {actions.includes('add_info') && (
          <section class="fr-mt-4w" aria-labelledby="add-info-title">
            <h2 id="add-info-title" class="fr-h4">
              J’ajoute une information
            </h2>
            <ActionForm {...common} action="add_info" form={stateOf('add_info')} labelledBy="add-info-title" />
          </section>
        )}
      </>
    );
  }
  // An action that asks nothing (« Prendre en charge ») is its button; the others open their form.
  const direct = actions.filter((a) => !FORMS[a] && a !== 'reassign');
  const withForm = actions.filter((a) => !direct.includes(a));
  return (
    <section class="fr-mt-4w" aria-labelledby="desk-actions-title">
      <h2 id="desk-actions-title" class="fr-h4">
        Traitement
      </h2>
      {direct.map((action) => (
        <ActionForm key={action} {...common} action={action} form={stateOf(action)} />
      ))}
      <div class="fr-accordions-group">
        {withForm.map((action) => (
          <section class="fr-accordion" key={action}>
            <h3 class="fr-accordion__title">
              <button
                class="fr-accordion__btn"
                type="button"
                aria-expanded={failed?.action === action ? 'true' : 'false'}
                aria-controls={`accordion-${action}`}
              >
                {ACTION_LABELS[action]}
              </button>
              <span class="guichet-no-js">{ACTION_LABELS[action]}</span>
            </h3>
            <div class={`fr-collapse${failed?.action === action ? ' fr-collapse--expanded' : ''}`} id={`accordion-${action}`}>
              <ActionForm {...common} action={action} form={stateOf(action)} assignees={assignees} canned={canned} />
            </div>
          </section>
        ))}
      </div>
    </section>
  );
}

function ActionForm({
  ctx,
  request,
  token,
  limits,
  action,
  form,
  assignees = [],
  canned = [],
  labelledBy = `${action}-submit`,
}: Omit<Props, 'failed' | 'assignees'> & { action: Action; form: FormState; assignees?: Assignee[]; labelledBy?: string }) {
  const spec = FORMS[action];
  const id = (name: string) => `${action}-${name}`;
  const multipart = Boolean(spec?.files);
  const url = `/demandes/${request.number}/actions`;
  return (
    <form
      method="post"
      action={url}
      enctype={multipart ? 'multipart/form-data' : undefined}
      id={`form-${action}`}
      class="fr-mb-3w"
      aria-labelledby={labelledBy}
      novalidate
    >
      <Csrf token={ctx.csrfToken} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="version" value={String(request.version)} />
      <input type="hidden" name="token" value={`${token}-${action}`} />
      {messageRequired(action) && (
        <Textarea
          form={{ values: { message: form.values.message ?? '' }, errors: form.errors }}
          name="message"
          id={id('message')}
          label={spec?.field ?? 'Message'}
          hint={spec?.hint}
          required
          rows={5}
        />
      )}
      {(CANNED_ACTIONS as readonly string[]).includes(action) && (
        <CannedAnswerPicker action={action} number={request.number} answers={canned} form={form} />
      )}
      {action === 'reassign' && (
        <div class="fr-select-group">
          <label class="fr-label" for={id('assignee')}>
            Nouveau gestionnaire
          </label>
          <select class="fr-select" id={id('assignee')} name="assigneeId">
            <option value="">Personne (remettre dans la file)</option>
            {assignees.map((a) => (
              <option key={a.id} value={String(a.id)} selected={a.id === request.assigneeId}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {spec?.files && (
        <Upload
          form={form}
          name="files"
          id={id('files')}
          label="Ajouter un fichier"
          hint={`Facultatif. ${formatBytes(limits.maxFileBytes)} par fichier au plus, ${limits.maxFiles} fichiers. Formats : ${ACCEPTED_FORMATS_LABEL}.`}
        />
      )}
      <button class={`fr-btn${spec?.secondary ? ' fr-btn--secondary' : ''} fr-mt-1w`} type="submit" id={`${action}-submit`}>
        {action === 'add_info' ? 'Ajouter' : ACTION_LABELS[action]}
      </button>
    </form>
  );
}

/** A closed request its requester may no longer reopen: a new one, linked to it, is the way on. */
function FollowUpInvitation({ number }: { number: number }) {
  return (
    <section class="fr-mt-4w" aria-labelledby="follow-up-title">
      <h2 id="follow-up-title" class="fr-h4">
        Le problème revient ?
      </h2>
      <p>Cette demande est clôturée. Déposez une nouvelle demande : elle sera liée à celle-ci, que l’assistance pourra relire.</p>
      <p>
        <a class="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left" href={`/demandes/nouvelle?suite=${number}`}>
          Déposer une nouvelle demande
        </a>
      </p>
    </section>
  );
}
