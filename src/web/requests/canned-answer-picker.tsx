/**
 * « Réponse type » in the desk's answer forms: choose a canned answer and « Insérer » it into the
 * message. With JavaScript (public/app.js) it goes in at the cursor; without, the button sends the
 * form to a page that shows it again with the text added after what was typed.
 */
import type { CannedAnswerOption } from '../../domain/canned-answers/canned-answers.js';
import type { FormState } from '../components/form.js';

/** The forms that answer the requester, where canned answers are offered. */
export const CANNED_ACTIONS = ['resolve', 'ask_info'] as const;

type Props = { action: string; number: number; answers: CannedAnswerOption[]; form: FormState };

export function CannedAnswerPicker({ action, number, answers, form }: Props) {
  if (answers.length === 0) return null;
  const id = `${action}-canned`;
  const error = form.errors.cannedAnswerId;
  return (
    <div class={`fr-select-group fr-mb-2w${error ? ' fr-select-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        Réponse type
        <span class="fr-hint-text">Choisissez un texte, puis « Insérer » : vous pourrez le modifier avant l’envoi.</span>
      </label>
      <select
        class={`fr-select${error ? ' fr-select--error' : ''}`}
        id={id}
        name="cannedAnswerId"
        data-canned-target={`${action}-message`}
        aria-describedby={`${id}-messages`}
        aria-invalid={error ? 'true' : undefined}
      >
        <option value="">Choisir une réponse type</option>
        {answers.map((a) => (
          <option key={a.id} value={String(a.id)} data-body={a.body} selected={form.values.cannedAnswerId === String(a.id)}>
            {a.title}
          </option>
        ))}
      </select>
      <div class="fr-messages-group" id={`${id}-messages`} aria-live="polite">
        {error && <p class="fr-message fr-message--error">{error}</p>}
      </div>
      <button
        type="submit"
        class="fr-btn fr-btn--tertiary fr-btn--sm fr-mt-1w"
        formaction={`/demandes/${number}/reponse-type`}
        formenctype="application/x-www-form-urlencoded"
        formnovalidate
        name="insertInto"
        value={action}
        data-canned-insert={id}
      >
        Insérer<span class="fr-sr-only"> la réponse type dans le message</span>
      </button>
    </div>
  );
}
