import type { FormState, Option } from './form.js';

function Messages({ id, error }: { id: string; error?: string }) {
  return (
    <div class="fr-messages-group" id={`${id}-messages`} aria-live="polite">
      {error && <p class="fr-message fr-message--error">{error}</p>}
    </div>
  );
}

/** Several choices; the form keeps them as a comma-separated value. */
export function CheckboxGroup({
  form,
  name,
  legend,
  options,
  required,
  hint,
}: {
  form: FormState;
  name: string;
  legend: string;
  options: Option[];
  required?: boolean;
  hint?: string;
}) {
  const error = form.errors[name];
  const chosen = new Set((form.values[name] ?? '').split(',').filter(Boolean));
  const id = `${name}-fieldset`;
  return (
    <fieldset class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`} id={id} aria-labelledby={`${id}-legend ${id}-messages`}>
      <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id={`${id}-legend`}>
        {legend}
        {required && ' *'}
        {hint && <span class="fr-hint-text">{hint}</span>}
      </legend>
      {options.map((o, i) => (
        <div class="fr-fieldset__element" key={o.value}>
          <div class="fr-checkbox-group">
            <input
              type="checkbox"
              id={i === 0 ? name : `${name}-${o.value}`}
              name={name}
              value={o.value}
              checked={chosen.has(o.value)}
            />
            <label class="fr-label" for={i === 0 ? name : `${name}-${o.value}`}>
              {o.label}
            </label>
          </div>
        </div>
      ))}
      <Messages id={id} error={error} />
    </fieldset>
  );
}

/** The DSFR password field with « Afficher »; a password is never written back into the page. */
export function PasswordInput({
  form,
  name,
  label,
  hint,
  id = name,
  autocomplete = 'new-password',
}: {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  id?: string;
  autocomplete?: string;
}) {
  const error = form.errors[name];
  return (
    <div class={`fr-password fr-input-group${error ? ' fr-input-group--error' : ''}`} id={`${id}-group`}>
      <label class="fr-label" for={id}>
        {`${label} *`}
        {hint && ' '}
        {hint && <span class="fr-hint-text">{hint}</span>}
      </label>
      <div class="fr-input-wrap">
        <input
          class={`fr-password__input fr-input${error ? ' fr-input--error' : ''}`}
          id={id}
          name={name}
          type="password"
          autocomplete={autocomplete}
          autocapitalize="off"
          required
          aria-required="true"
          maxLength={1024}
          aria-describedby={`${id}-messages`}
          aria-invalid={error ? 'true' : undefined}
        />
      </div>
      <Messages id={id} error={error} />
      <div class="fr-password__checkbox fr-checkbox-group fr-checkbox-group--sm">
        <input aria-label={`Afficher le champ « ${label} »`} id={`${id}-show`} type="checkbox" />
        <label class="fr-password__checkbox fr-label" for={`${id}-show`}>
          Afficher
        </label>
      </div>
    </div>
  );
}
