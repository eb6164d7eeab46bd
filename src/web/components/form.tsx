import type { ComponentChildren } from 'preact';

export type FormState = {
  values: Record<string, string>;
  errors: Record<string, string>;
};

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

type FieldProps = {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  type?: string;
  id?: string;
};

const describedBy = (id: string) => `${id}-messages`;

function Messages({ id, error }: { id: string; error?: string }) {
  return (
    <div class="fr-messages-group" id={describedBy(id)} aria-live="polite">
      {error && <p class="fr-message fr-message--error">{error}</p>}
    </div>
  );
}

function Label({ id, label, hint, required }: { id: string; label: string; hint?: string; required?: boolean }) {
  return (
    <label class="fr-label" for={id}>
      {label}
      {required && ' *'}
      {hint && ' '}
      {hint && <span class="fr-hint-text">{hint}</span>}
    </label>
  );
}

export function Input({ form, name, label, hint, required, autocomplete, type = 'text', id = name }: FieldProps) {
  const error = form.errors[name];
  return (
    <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
      <Label id={id} label={label} hint={hint} required={required} />
      <input
        class={`fr-input${error ? ' fr-input--error' : ''}`}
        type={type as 'text'}
        id={id}
        name={name}
        value={form.values[name] ?? ''}
        required={required}
        aria-required={required ? 'true' : undefined}
        autocomplete={autocomplete}
        aria-describedby={describedBy(id)}
        aria-invalid={error ? 'true' : undefined}
      />
      <Messages id={id} error={error} />
    </div>
  );
}

export function Textarea({ form, name, label, hint, required, id = name, rows = 8 }: FieldProps & { rows?: number }) {
  const error = form.errors[name];
  return (
    <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
      <Label id={id} label={label} hint={hint} required={required} />
      <textarea
        class={`fr-input${error ? ' fr-input--error' : ''}`}
        id={id}
        name={name}
        rows={rows}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-describedby={describedBy(id)}
        aria-invalid={error ? 'true' : undefined}
      >
        {form.values[name] ?? ''}
      </textarea>
      <Messages id={id} error={error} />
    </div>
  );
}

export type Option = { value: string; label: string };
export type OptionGroup = { label: string; options: Option[] };

export function Select({
  form,
  name,
  label,
  hint,
  required,
  id = name,
  options = [],
  groups = [],
  placeholder = 'Sélectionner une option',
}: FieldProps & { options?: Option[]; groups?: OptionGroup[]; placeholder?: string }) {
  const error = form.errors[name];
  const current = form.values[name] ?? '';
  const option = (o: Option) => (
    <option key={o.value} value={o.value} selected={o.value === current}>
      {o.label}
    </option>
  );
  return (
    <div class={`fr-select-group${error ? ' fr-select-group--error' : ''}`}>
      <Label id={id} label={label} hint={hint} required={required} />
      <select
        class={`fr-select${error ? ' fr-select--error' : ''}`}
        id={id}
        name={name}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-describedby={describedBy(id)}
        aria-invalid={error ? 'true' : undefined}
      >
        <option value="" selected={current === ''}>
          {placeholder}
        </option>
        {options.map(option)}
        {groups.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map(option)}
          </optgroup>
        ))}
      </select>
      <Messages id={id} error={error} />
    </div>
  );
}

/** « Civilité »: Madame or Monsieur, as every account form asks it. */
export function CivilityField({ form }: { form: FormState }) {
  return (
    <RadioGroup
      form={form}
      name="civility"
      legend="Civilité"
      inline
      required
      options={[
        { value: 'Mme', label: 'Madame' },
        { value: 'M.', label: 'Monsieur' },
      ]}
    />
  );
}

export function RadioGroup({
  form,
  name,
  legend,
  options,
  required,
  inline,
}: {
  form: FormState;
  name: string;
  legend: string;
  options: Option[];
  required?: boolean;
  inline?: boolean;
}) {
  const error = form.errors[name];
  const id = `${name}-fieldset`;
  return (
    <fieldset
      class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
      id={id}
      aria-labelledby={`${id}-legend ${describedBy(id)}`}
    >
      <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id={`${id}-legend`}>
        {legend}
        {required && ' *'}
      </legend>
      {options.map((o) => (
        <div class={`fr-fieldset__element${inline ? ' fr-fieldset__element--inline' : ''}`} key={o.value}>
          <div class="fr-radio-group">
            <input
              type="radio"
              id={`${name}-${o.value}`}
              name={name}
              value={o.value}
              checked={form.values[name] === o.value}
              required={required}
            />
            <label class="fr-label" for={`${name}-${o.value}`}>
              {o.label}
            </label>
          </div>
        </div>
      ))}
      <Messages id={id} error={error} />
    </fieldset>
  );
}

export function Upload({ form, name, label, hint, id = name }: FieldProps) {
  const error = form.errors[name];
  return (
    <div class={`fr-upload-group${error ? ' fr-upload-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {label}
        {hint && ' '}
        {hint && <span class="fr-hint-text">{hint}</span>}
      </label>
      <input class="fr-upload" type="file" id={id} name={name} multiple aria-describedby={describedBy(id)} />
      <Messages id={id} error={error} />
    </div>
  );
}

/** Error summary at the top of a refused form, linking each error to its field. */
/** `labels` maps a field to its label, or to [label, id of the element to focus]. */
export function ErrorSummary({ form, labels }: { form: FormState; labels: Record<string, string | [string, string]> }) {
  const entries = Object.entries(form.errors);
  if (entries.length === 0) return null;
  return (
    // Focused as the page loads, with or without JavaScript (RGAA 7.3): the errors are read first.
    <div class="fr-alert fr-alert--error fr-mb-4w" role="alert" id="error-summary" tabindex={-1} autofocus>
      <h2 class="fr-alert__title">Le formulaire contient {entries.length > 1 ? `${entries.length} erreurs` : 'une erreur'}</h2>
      <ul>
        {entries.map(([field, message]) => {
          const entry = labels[field];
          const [label, anchor] = typeof entry === 'string' ? [entry, field] : (entry ?? [null, field]);
          return <li key={field}>{label ? <a href={`#${anchor}`}>{`${label} : ${message}`}</a> : message}</li>;
        })}
      </ul>
    </div>
  );
}

export function Alert({
  kind,
  title,
  children,
}: {
  kind: 'success' | 'error' | 'info' | 'warning';
  title: string;
  children?: ComponentChildren;
}) {
  return (
    // A success notice follows a submission: focused as the page loads, it is read before the rest.
    <div
      class={`fr-alert fr-alert--${kind} fr-mb-4w`}
      role={kind === 'error' ? 'alert' : 'status'}
      tabindex={kind === 'success' ? -1 : undefined}
      autofocus={kind === 'success' || undefined}
    >
      <h2 class="fr-alert__title">{title}</h2>
      {children}
    </div>
  );
}

/** A GET filter form's buttons: apply, or go back to the list as it opens. */
export function FilterActions({ reset }: { reset: string }) {
  return (
    <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
      <li>
        <button class="fr-btn" type="submit">
          Filtrer
        </button>
      </li>
      <li>
        <a class="fr-btn fr-btn--tertiary" href={reset}>
          Réinitialiser les filtres
        </a>
      </li>
    </ul>
  );
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** « Enregistrer » and « Aperçu » post the same form (`intent`); « Annuler », when given, goes back to the list. */
export function SaveButtons({ cancelHref }: { cancelHref?: string }) {
  return (
    <ul class="fr-btns-group fr-btns-group--inline-md">
      <li>
        <button class="fr-btn" type="submit" name="intent" value="save">
          Enregistrer
        </button>
      </li>
      <li>
        <button class="fr-btn fr-btn--secondary" type="submit" name="intent" value="preview">
          Aperçu
        </button>
      </li>
      {cancelHref && (
        <li>
          <a class="fr-btn fr-btn--tertiary" href={cancelHref}>
            Annuler
          </a>
        </li>
      )}
    </ul>
  );
}
