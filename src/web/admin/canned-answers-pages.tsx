/**
 * « Réponses types » administration: the list by application and the form that creates or edits one.
 */
import type { CannedAnswer } from '../../domain/canned-answers/canned-answers.js';
import { Alert, Csrf, ErrorSummary, type FormState, Input, Textarea } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { ApplicationSelect } from '../shared/application-select.js';
import { formatDateTime, isoDate } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';

const TITLE = 'Réponses types';
const BASE = '/admin/reponses-types';
const ALL = 'Toutes les applications';

const crumbs = (label?: string) => [
  { label: 'Accueil', href: '/' },
  { label: 'Administration', href: '/admin' },
  ...(label ? [{ label: TITLE, href: BASE }, { label }] : [{ label: TITLE }]),
];

export const DONE: Record<string, string> = {
  cree: 'La réponse type a été créée.',
  enregistre: 'La réponse type a été enregistrée.',
  desactive: 'La réponse type a été désactivée : elle n’est plus proposée aux agents.',
  active: 'La réponse type a été réactivée.',
};

const LABELS = { title: 'Titre', applicationId: 'Application', body: 'Texte de la réponse' };

export function CannedAnswersListPage({ ctx, answers, done }: { ctx: ViewContext; answers: CannedAnswer[]; done?: string }) {
  const groups = new Map<string, CannedAnswer[]>();
  for (const a of answers) {
    const key = a.applicationName ?? ALL;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return (
    <Page ctx={ctx} title={TITLE} breadcrumb={crumbs()}>
      <h1>{TITLE}</h1>
      {done && <Alert kind="success" title={done} />}
      <p>
        Les agents insèrent ces textes dans leurs réponses (« Traiter la demande », « Demander un complément »). Une réponse
        propre à une application n’est proposée que pour les demandes de cette application.
      </p>
      <p>
        <a class="fr-btn fr-btn--icon-left fr-icon-add-line" href={`${BASE}/nouvelle`}>
          Nouvelle réponse type
        </a>
      </p>
      {answers.length === 0 && <p>Aucune réponse type pour l’instant.</p>}
      {[...groups].map(([application, rows]) => (
        <DataTable key={application} caption={application}>
          <thead>
            <tr>
              <th scope="col">Titre</th>
              <th scope="col">État</th>
              <th scope="col">Mise à jour</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td>
                  <a href={`${BASE}/${a.id}`}>{a.title}</a>
                </td>
                <td>
                  {a.active ? (
                    <span class="fr-badge fr-badge--success fr-badge--sm fr-badge--no-icon">Active</span>
                  ) : (
                    <span class="fr-badge fr-badge--sm fr-badge--no-icon">Désactivée</span>
                  )}
                </td>
                <td>
                  <time dateTime={isoDate(a.updatedAt)}>{formatDateTime(a.updatedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ))}
    </Page>
  );
}

type FormProps = {
  ctx: ViewContext;
  form: FormState;
  applications: { id: number; name: string }[];
  /** The answer edited; none for a new one. */
  answer?: CannedAnswer;
  done?: string;
};

export function CannedAnswerFormPage({ ctx, form, applications, answer, done }: FormProps) {
  const failed = Object.keys(form.errors).length > 0;
  const title = answer ? `Réponse type « ${answer.title} »` : 'Nouvelle réponse type';
  return (
    <Page ctx={ctx} title={title} failed={failed} breadcrumb={crumbs(answer ? answer.title : 'Nouvelle réponse type')}>
      <h1>{title}</h1>
      {done && <Alert kind="success" title={done} />}
      {answer && !answer.active && (
        <Alert kind="info" title="Cette réponse type est désactivée">
          <p>Elle n’est plus proposée aux agents.</p>
        </Alert>
      )}
      <ErrorSummary form={form} labels={LABELS} />
      <form method="post" action={answer ? `${BASE}/${answer.id}` : `${BASE}/nouvelle`} novalidate>
        <Csrf token={ctx.csrfToken} />
        <Input form={form} name="title" label={LABELS.title} hint="120 caractères au plus." required />
        <ApplicationSelect
          form={form}
          refs={{ applications }}
          label={LABELS.applicationId}
          hint="Une réponse de toutes les applications est proposée pour chaque demande."
          placeholder={ALL}
        />
        <Textarea
          form={form}
          name="body"
          label={LABELS.body}
          hint="Variables remplacées à l’insertion : {{numero}} (numéro de la demande), {{objet}} (son sujet), {{demandeur}} (le nom du demandeur)."
          required
          rows={10}
        />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button class="fr-btn" type="submit">
              Enregistrer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={BASE}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
      {answer && (
        <form method="post" action={`${BASE}/${answer.id}/etat`} class="fr-mt-4w">
          <Csrf token={ctx.csrfToken} />
          <input type="hidden" name="active" value={answer.active ? 'false' : 'true'} />
          <button class="fr-btn fr-btn--tertiary" type="submit">
            {answer.active ? 'Désactiver cette réponse type' : 'Réactiver cette réponse type'}
          </button>
        </form>
      )}
    </Page>
  );
}
