/** « Modèles de courriels »: the list of notification templates and the edit form with its preview. */
import type { TemplateSpec } from '../../domain/notifications/catalogue.js';
import type { Template } from '../../domain/notifications/templates.js';
import { Alert, Csrf, ErrorSummary, type FormState, Input, SaveButtons, Textarea } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';

const TITLE = 'Modèles de courriels';
const crumbs = (label?: string) => [
  { label: 'Accueil', href: '/' },
  { label: 'Administration', href: '/admin' },
  ...(label ? [{ label: TITLE, href: '/admin/modeles' }, { label }] : [{ label: TITLE }]),
];

export const TEMPLATE_LABELS = { subject: 'Objet', body: 'Texte du courriel' };

export function TemplatesListPage({
  ctx,
  templates,
  edited,
}: {
  ctx: ViewContext;
  templates: readonly TemplateSpec[];
  edited: Set<string>;
}) {
  return (
    <Page ctx={ctx} title={TITLE} breadcrumb={crumbs()}>
      <h1>{TITLE}</h1>
      <p>
        Les courriels que le portail envoie au fil de la vie d’une demande. Chaque modèle peut être modifié ; les variables entre
        doubles accolades, comme <code>{'{{numero}}'}</code>, sont remplacées à l’envoi.
      </p>
      <DataTable caption="Modèles de courriels">
        <thead>
          <tr>
            <th scope="col">Courriel</th>
            <th scope="col">Destinataires</th>
            <th scope="col">Modèle</th>
          </tr>
        </thead>
        <tbody>
          {templates.map((t) => (
            <tr key={t.key}>
              <td>
                <a href={`/admin/modeles/${t.key}`}>{t.label}</a>
              </td>
              <td>{t.recipients}</td>
              <td>
                {edited.has(t.key) ? (
                  <p class="fr-badge fr-badge--info fr-badge--no-icon">Modifié</p>
                ) : (
                  <p class="fr-badge fr-badge--no-icon">Par défaut</p>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </Page>
  );
}

type EditProps = {
  ctx: ViewContext;
  spec: TemplateSpec;
  form: FormState;
  edited: boolean;
  preview?: Template;
  notice?: string;
};

export function TemplateEditPage({ ctx, spec, form, edited, preview, notice }: EditProps) {
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title={`${spec.label} — ${TITLE}`} failed={failed} breadcrumb={crumbs(spec.label)}>
      <h1>{spec.label}</h1>
      {notice && <Alert kind="success" title={notice} />}
      <ErrorSummary form={form} labels={TEMPLATE_LABELS} />
      <p>
        <strong>Destinataires : </strong>
        {spec.recipients}. {edited ? 'Ce modèle a été modifié.' : 'Ce modèle est celui par défaut.'}
      </p>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-8">
          <form method="post" action={`/admin/modeles/${spec.key}`} id="form-modele" novalidate>
            <Csrf token={ctx.csrfToken} />
            <Input form={form} name="subject" label={TEMPLATE_LABELS.subject} hint="Sur une seule ligne." required />
            <Textarea
              form={form}
              name="body"
              label={TEMPLATE_LABELS.body}
              hint="Texte brut : une ligne vide sépare deux paragraphes. Seules les variables de la liste sont acceptées."
              required
              rows={14}
            />
            <SaveButtons />
          </form>
          {edited && (
            <form method="post" action={`/admin/modeles/${spec.key}/defaut`} id="form-defaut">
              <Csrf token={ctx.csrfToken} />
              <button class="fr-btn fr-btn--tertiary" type="submit">
                Rétablir le modèle par défaut
              </button>
            </form>
          )}
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Variables spec={spec} />
        </div>
      </div>
      {preview && <Preview preview={preview} />}
    </Page>
  );
}

function Variables({ spec }: { spec: TemplateSpec }) {
  return (
    <section aria-labelledby="variables-title">
      <h2 id="variables-title" class="fr-h5">
        Variables disponibles
      </h2>
      <ul>
        {Object.entries(spec.variables).map(([name, description]) => (
          <li key={name}>
            <code>{`{{${name}}}`}</code> : {description}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Preview({ preview }: { preview: Template }) {
  return (
    <section class="fr-mt-4w" aria-labelledby="apercu-title" id="apercu">
      <h2 id="apercu-title">Aperçu avec des valeurs d’exemple</h2>
      <p class="fr-text--sm">L’aperçu n’est pas enregistré : choisissez « Enregistrer » pour garder ce modèle.</p>
      <p>
        <strong>Objet : </strong>
        {preview.subject}
      </p>
      <pre class="guichet-text guichet-mail">{preview.body}</pre>
    </section>
  );
}
