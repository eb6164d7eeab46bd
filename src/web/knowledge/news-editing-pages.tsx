/**
 * Editors' news pages: the list (drafts first) and the form with its « Aperçu » and « Publier » /
 * « Dépublier ».
 */
import type { NewsItem, NewsRow } from '../../domain/knowledge/news.js';
import { AUDIENCE_LABELS, AUDIENCES } from '../../domain/knowledge/policy.js';
import { Alert, Csrf, ErrorSummary, type FormState, Input, RadioGroup, SaveButtons, Textarea } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { StateBadge } from './editing-index.js';
import { editingCrumbs, PreviewSection, PublishForm } from './editing-parts.js';
import { NewsCallout, newsWindow } from './news-pages.js';

export const NEWS_EDIT_BASE = '/redaction/actualites';
const TITLE = 'Actualités';

export const NEWS_DONE: Record<string, string> = {
  cree: 'Le brouillon a été créé. Il n’est visible que des rédacteurs jusqu’à sa publication.',
  enregistre: 'L’actualité a été enregistrée.',
  publie: 'L’actualité est publiée : elle paraît sur la page d’accueil pendant sa période de publication.',
  depublie: 'L’actualité n’est plus publiée.',
};

export const NEWS_LABELS = {
  title: 'Titre',
  body: 'Texte',
  startsOn: 'Début de publication',
  endsOn: 'Fin de publication',
  audience: ['Lecteurs', 'audience-fieldset'] as [string, string],
};

const crumbs = (label?: string) => editingCrumbs({ label: TITLE, href: NEWS_EDIT_BASE }, label);

export function NewsEditingListPage({ ctx, rows, done }: { ctx: ViewContext; rows: NewsRow[]; done?: string }) {
  return (
    <Page ctx={ctx} title={TITLE} breadcrumb={crumbs()}>
      <h1>{TITLE}</h1>
      {done && <Alert kind="success" title={done} />}
      <p>
        <a class="fr-btn fr-btn--icon-left fr-icon-add-line" href={`${NEWS_EDIT_BASE}/nouvelle`}>
          Nouvelle actualité
        </a>
      </p>
      {rows.length === 0 ? (
        <p>Aucune actualité pour l’instant.</p>
      ) : (
        <DataTable caption="Actualités, brouillons d’abord">
          <thead>
            <tr>
              <th scope="col">Titre</th>
              <th scope="col">Période</th>
              <th scope="col">Lecteurs</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`${NEWS_EDIT_BASE}/${r.id}`}>{r.title}</a>
                </td>
                <td>{r.startsAt ? newsWindow({ startsAt: r.startsAt, endsAt: r.endsAt }) : '—'}</td>
                <td>{AUDIENCE_LABELS[r.audience]}</td>
                <td>
                  <StateBadge published={r.published} />
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </Page>
  );
}

type FormProps = { ctx: ViewContext; form: FormState; item?: NewsRow; preview?: NewsItem; done?: string };

export function NewsFormPage({ ctx, form, item, preview, done }: FormProps) {
  const failed = Object.keys(form.errors).length > 0;
  const title = item ? `Actualité « ${item.title} »` : 'Nouvelle actualité';
  const action = item ? `${NEWS_EDIT_BASE}/${item.id}` : `${NEWS_EDIT_BASE}/nouvelle`;
  return (
    <Page ctx={ctx} title={preview ? `Aperçu – ${title}` : title} failed={failed} breadcrumb={crumbs(item ? item.title : title)}>
      <h1>{title}</h1>
      {done && <Alert kind="success" title={done} />}
      {item && (
        <p>
          <StateBadge published={item.published} />
        </p>
      )}
      {preview && (
        <PreviewSection>
          <NewsCallout item={preview} level={2} />
        </PreviewSection>
      )}
      <ErrorSummary form={form} labels={NEWS_LABELS} />
      <form method="post" action={action} novalidate>
        <Csrf token={ctx.csrfToken} />
        <Input form={form} name="title" label={NEWS_LABELS.title} hint="200 caractères au plus." required />
        <Textarea
          form={form}
          name="body"
          label={NEWS_LABELS.body}
          hint="Mise en forme : **gras**, *italique*, listes commençant par « - », liens [texte](https://…). Le HTML n’est pas interprété."
          required
          rows={10}
        />
        <div class="fr-grid-row fr-grid-row--gutters">
          <div class="fr-col-12 fr-col-md-6">
            <Input
              form={form}
              name="startsOn"
              type="date"
              label={NEWS_LABELS.startsOn}
              hint="Format attendu : JJ/MM/AAAA."
              required
            />
          </div>
          <div class="fr-col-12 fr-col-md-6">
            <Input
              form={form}
              name="endsOn"
              type="date"
              label={NEWS_LABELS.endsOn}
              hint="Dernier jour affiché, facultatif. Format attendu : JJ/MM/AAAA."
            />
          </div>
        </div>
        <RadioGroup
          form={form}
          name="audience"
          legend="Lecteurs"
          required
          options={AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] }))}
        />
        <SaveButtons cancelHref={NEWS_EDIT_BASE} />
      </form>
      {item && <PublishForm ctx={ctx} action={`${NEWS_EDIT_BASE}/${item.id}/publication`} published={item.published} />}
    </Page>
  );
}
