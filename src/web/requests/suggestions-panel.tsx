/**
 * « Ces réponses peuvent vous aider »: FAQ entries and documents suggested on the new-request form,
 * rendered by the server both in the page (the step without JavaScript) and as the fragment the
 * script inserts while the person types.
 */

import { formatBytes } from '../../domain/attachments/store.js';
import type { Suggestion } from '../../domain/knowledge/suggestions.js';

/** What the requester's form shows: the suggestions, and whether they hold the filing (the step). */
export type SuggestionsState = { items: Suggestion[]; step: boolean };

export const NO_SUGGESTIONS: SuggestionsState = { items: [], step: false };

/** The page that records the opening, then sends to the item (built from the item, never from a URL). */
export const openUrl = (token: string, item: Pick<Suggestion, 'type' | 'id'>) =>
  `/suggestions/ouvrir?jeton=${encodeURIComponent(token)}&type=${item.type}&id=${item.id}`;

const itemTitle = (item: Suggestion) => (item.type === 'faq' && item.number ? `${item.number} - ${item.title}` : item.title);

/** The list of suggestions; empty when there are none (the script then clears the region). */
export function SuggestionsPanel({ token, items, id }: { token: string; items: Suggestion[]; id?: string }) {
  if (items.length === 0) return null;
  return (
    <div class="fr-callout fr-callout--blue-ecume fr-my-3w guichet-suggestions" id={id} data-suggestions-count={items.length}>
      <h2 class="fr-callout__title fr-h5">Ces réponses peuvent vous aider</h2>
      <ul class="fr-mb-2w">
        {items.map((item) => (
          <li key={`${item.type}-${item.id}`} class="fr-mb-1w">
            <span class="fr-badge fr-badge--sm fr-badge--no-icon fr-mr-1w">{item.type === 'faq' ? 'F.A.Q.' : 'Document'}</span>
            <a href={openUrl(token, item)} target="_blank" rel="noopener" title={`${itemTitle(item)} - nouvelle fenêtre`}>
              {itemTitle(item)}
            </a>
            {item.format && (
              <span class="fr-text--xs">
                {` (${item.format}${item.sizeBytes !== undefined ? `, ${formatBytes(item.sizeBytes)}` : ''})`}
              </span>
            )}
            {/* The excerpt is escaped by the search, which only adds <mark> around the words found. */}
            {item.excerpt && <p class="fr-text--sm fr-mb-0" dangerouslySetInnerHTML={{ __html: item.excerpt }} />}
          </li>
        ))}
      </ul>
      <p class="fr-callout__text fr-text--sm">
        Elles s’ouvrent dans un nouvel onglet : votre saisie reste ici. Si elles ne répondent pas à votre question, poursuivez et
        enregistrez votre demande.
      </p>
    </div>
  );
}

/** Tells the server the suggestions were seen while typing, so that the step without JavaScript is not shown as well. */
export function SuggestionsSeenField() {
  return <input type="hidden" name="suggestionsShown" id="suggestions-shown" value="" />;
}

/**
 * Where the script puts the suggestions as the person types, announced politely: beside the form
 * on wide screens, after it on narrow ones. It is in the page from the start and out of the form's
 * flow, so no field moves when suggestions arrive, and its links come after the form's fields.
 */
export function SuggestionsLiveRegion({ formId }: { formId: string }) {
  return (
    <div
      class="guichet-suggestions-region"
      id="suggestions-region"
      aria-live="polite"
      data-suggestions-url="/demandes/suggestions"
      data-suggestions-form={formId}
    />
  );
}

/** Without JavaScript: the suggestions above the button, before the request is saved. */
export function SuggestionsStep({ token, state }: { token: string; state?: SuggestionsState }) {
  if (!state?.items.length) return null;
  return <SuggestionsPanel token={token} items={state.items} id="suggestions-step" />;
}

/** At the top of the form sent back for the step: nothing is saved yet, and why. */
export function SuggestionsNotice({ state, formId }: { state?: SuggestionsState; formId: string }) {
  if (!state?.step || state.items.length === 0) return null;
  return (
    // Focused as the page comes back (RGAA 7.3), like the other notices after a submission; its button
    // files the request as it stands, without going back through every field (it has no name: the
    // form's CSRF token stays its first field).
    <div class="fr-alert fr-alert--info fr-mb-4w" id="suggestions-notice" role="status" tabindex={-1} autofocus>
      <h2 class="fr-alert__title">Avant d’enregistrer, ces réponses peuvent vous aider</h2>
      <p>
        Votre demande n’est pas encore enregistrée. <a href="#suggestions-step">Consultez les réponses proposées</a> ; si elles ne
        répondent pas à votre question, enregistrez votre demande telle quelle.
      </p>
      <button type="submit" form={formId} class="fr-btn fr-btn--secondary fr-btn--sm fr-mt-2w">
        Enregistrer ma demande
      </button>
    </div>
  );
}
