/**
 * Editors' FAQ pages: the list (drafts first) and the form that creates or edits an entry, with
 * its « Aperçu » and the « Publier » / « Dépublier » button.
 */

import { faqLabel } from '../../domain/knowledge/faq.js';
import type { FaqDraftRow, FaqForEditing } from '../../domain/knowledge/faq-editing.js';
import { AUDIENCE_LABELS, AUDIENCES } from '../../domain/knowledge/policy.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { Alert, Csrf, ErrorSummary, type FormState, Input, RadioGroup, SaveButtons, Textarea } from '../components/form.js';
import { CheckboxGroup } from '../components/more-fields.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { ApplicationSelect, ThemeSelect } from '../shared/application-select.js';
import { formatDateTime, isoDate } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { StateBadge } from './editing-index.js';
import { editingCrumbs, PreviewSection, PublishForm } from './editing-parts.js';
import { FaqArticleView, type FaqView } from './faq-pages.js';

export const FAQ_EDIT_BASE = '/redaction/faq';
const TITLE = 'Questions de la F.A.Q.';

export const FAQ_DONE: Record<string, string> = {
  cree: 'Le brouillon a été créé. Il n’est visible que des rédacteurs jusqu’à sa publication.',
  enregistre: 'La question a été enregistrée.',
  publie: 'La question est publiée.',
  depublie: 'La question n’est plus publiée : seuls les rédacteurs la voient.',
};

export const FAQ_LABELS = {
  number: 'Numéro',
  title: 'Titre',
  applicationId: 'Application',
  themeId: 'Thème',
  body: 'Réponse',
  audience: ['Lecteurs', 'audience-fieldset'] as [string, string],
  documentIds: ['Documents associés', 'documentIds'] as [string, string],
};

const crumbs = (label?: string) => editingCrumbs({ label: TITLE, href: FAQ_EDIT_BASE }, label);

export function FaqEditingListPage({ ctx, rows, done }: { ctx: ViewContext; rows: FaqDraftRow[]; done?: string }) {
  return (
    <Page ctx={ctx} title={TITLE} breadcrumb={crumbs()}>
      <h1>{TITLE}</h1>
      {done && <Alert kind="success" title={done} />}
      <p>
        <a class="fr-btn fr-btn--icon-left fr-icon-add-line" href={`${FAQ_EDIT_BASE}/nouvelle`}>
          Nouvelle question
        </a>
      </p>
      {rows.length === 0 ? (
        <p>Aucune question pour l’instant.</p>
      ) : (
        <DataTable caption="Questions, brouillons d’abord">
          <thead>
            <tr>
              <th scope="col">Question</th>
              <th scope="col">Application</th>
              <th scope="col">Lecteurs</th>
              <th scope="col">État</th>
              <th scope="col">Mise à jour</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`${FAQ_EDIT_BASE}/${r.id}`}>{faqLabel(r)}</a>
                </td>
                <td>{r.applicationName ?? '—'}</td>
                <td>{AUDIENCE_LABELS[r.audience]}</td>
                <td>
                  <StateBadge published={r.published} />
                </td>
                <td>
                  <time dateTime={isoDate(r.updatedAt)}>{formatDateTime(r.updatedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </Page>
  );
}

type FormProps = {
  ctx: ViewContext;
  form: FormState;
  refs: Referentials;
  documents: { id: number; title: string; applicationName: string | null }[];
  nextNumber: number;
  entry?: FaqForEditing;
  preview?: FaqView;
  done?: string;
};

export function FaqFormPage({ ctx, form, refs, documents, nextNumber, entry, preview, done }: FormProps) {
  const failed = Object.keys(form.errors).length > 0;
  const title = entry ? `Question n° ${entry.number}` : 'Nouvelle question';
  const action = entry ? `${FAQ_EDIT_BASE}/${entry.id}` : `${FAQ_EDIT_BASE}/nouvelle`;
  return (
    <Page ctx={ctx} title={preview ? `Aperçu – ${title}` : title} failed={failed} breadcrumb={crumbs(title)}>
      <h1>{title}</h1>
      {done && <Alert kind="success" title={done} />}
      {entry?.sourceRequestNumber && (
        <div class="fr-notice fr-notice--info fr-mb-4w">
          <div class="fr-container">
            <div class="fr-notice__body">
              <p class="fr-notice__title">
                Brouillon créé à partir de la{' '}
                <a href={`/demandes/${entry.sourceRequestNumber}`}>demande n° {entry.sourceRequestNumber}</a>
              </p>
            </div>
          </div>
        </div>
      )}
      {entry && <PublicationState entry={entry} />}
      {preview && <Preview entry={preview} />}
      <ErrorSummary form={form} labels={FAQ_LABELS} />
      <form method="post" action={action} novalidate>
        <Csrf token={ctx.csrfToken} />
        <Input
          form={form}
          name="number"
          label={FAQ_LABELS.number}
          hint={
            entry ? `Laissez vide pour garder le numéro ${entry.number}.` : `Laissez vide pour le numéro suivant (${nextNumber}).`
          }
        />
        <Input form={form} name="title" label={FAQ_LABELS.title} hint="300 caractères au plus." required />
        <ApplicationSelect form={form} refs={refs} label={FAQ_LABELS.applicationId} required />
        <ThemeSelect
          form={form}
          refs={refs}
          label={FAQ_LABELS.themeId}
          hint="Un thème de l’application choisie, facultatif."
          placeholder="Aucun thème"
        />
        <Textarea
          form={form}
          name="body"
          label={FAQ_LABELS.body}
          hint="Mise en forme : **gras**, *italique*, listes commençant par « - », liens [texte](https://…), titres « # ». Le HTML n’est pas interprété."
          required
          rows={14}
        />
        <RadioGroup
          form={form}
          name="audience"
          legend="Lecteurs"
          required
          options={AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] }))}
        />
        {documents.length ? (
          <CheckboxGroup
            form={form}
            name="documentIds"
            legend="Documents associés"
            hint="Documents publiés de la base documentaire, affichés sous la réponse."
            options={documents.map((d) => ({
              value: String(d.id),
              label: d.applicationName ? `${d.title} (${d.applicationName})` : d.title,
            }))}
          />
        ) : (
          <p>Aucun document publié à associer.</p>
        )}
        <SaveButtons cancelHref={FAQ_EDIT_BASE} />
      </form>
      {entry && <PublishForm ctx={ctx} action={`${FAQ_EDIT_BASE}/${entry.id}/publication`} published={entry.published} />}
    </Page>
  );
}

function PublicationState({ entry }: { entry: FaqForEditing }) {
  return (
    <p>
      <StateBadge published={entry.published} />{' '}
      {entry.published ? (
        <a href={`/faq/${entry.number}`}>Voir la page publiée</a>
      ) : (
        <span>Visible des rédacteurs seulement.</span>
      )}
    </p>
  );
}

function Preview({ entry }: { entry: FaqView }) {
  return (
    <PreviewSection>
      <FaqArticleView entry={entry} headingLevel={2} />
    </PreviewSection>
  );
}
