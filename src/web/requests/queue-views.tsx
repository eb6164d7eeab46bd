/** « Mes vues » of the desk: the person's saved filters as links, and the form that saves the current ones. */
import type { DeskView } from '../../domain/requests/desk-views.js';
import { Csrf, ErrorSummary, type FormState, Input } from '../components/form.js';
import type { ViewContext } from '../shared/view-context.js';

/** « Mes vues »: the person's saved filters, one link each, and a button to delete it. */
export function SavedViews({ ctx, views }: { ctx: ViewContext; views: DeskView[] }) {
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
export function SaveViewForm({ ctx, path, query, form }: { ctx: ViewContext; path: string; query: string; form: FormState }) {
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
