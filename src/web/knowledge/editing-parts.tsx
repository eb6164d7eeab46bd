/**
 * Pieces every editing form of the knowledge base shares: breadcrumbs, the preview frame,
 * the save / preview / cancel buttons and the publish toggle.
 */
import type { ComponentChildren } from 'preact';
import { Csrf } from '../components/form.js';
import type { ViewContext } from '../shared/view-context.js';

/** Accueil › Rédaction › the section (a link once a page below it is shown) › the page. */
export const editingCrumbs = (section: { label: string; href: string }, label?: string) => [
  { label: 'Accueil', href: '/' },
  { label: 'Rédaction', href: '/redaction' },
  ...(label ? [section, { label }] : [{ label: section.label }]),
];

export function PreviewSection({ children }: { children: ComponentChildren }) {
  return (
    <section class="fr-mb-6w fr-p-3w guichet-preview" aria-labelledby="preview-title" id="apercu">
      <p class="fr-badge fr-badge--new fr-mb-2w" id="preview-title">
        Aperçu — rien n’est enregistré
      </p>
      {children}
    </section>
  );
}

export function PublishForm({ ctx, action, published }: { ctx: ViewContext; action: string; published: boolean }) {
  return (
    <form method="post" action={action} class="fr-mt-4w">
      <Csrf token={ctx.csrfToken} />
      <input type="hidden" name="published" value={published ? 'false' : 'true'} />
      <button class={`fr-btn ${published ? 'fr-btn--tertiary' : 'fr-btn--secondary'}`} type="submit">
        {published ? 'Dépublier' : 'Publier'}
      </button>
    </form>
  );
}
