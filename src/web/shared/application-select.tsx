/**
 * The choice of an application, and of a theme among those of each application: one `<select>`
 * with an `<optgroup>` per application, so the dependent choice works without JavaScript.
 */
import type { Referentials } from '../../domain/referentials/referentials.js';
import { type FormState, Select } from '../components/form.js';

/** Applications as the select shows them (the referentials, or a list of the same shape). */
type Applications = { applications: { id: number; name: string }[] };
type Common = { form: FormState; refs: Applications; label: string; hint?: string };

export function ApplicationSelect({
  form,
  refs,
  label,
  hint,
  required,
  placeholder,
  name = 'applicationId',
}: Common & { required?: boolean; placeholder?: string; name?: string }) {
  return (
    <Select
      form={form}
      name={name}
      label={label}
      hint={hint}
      required={required}
      placeholder={placeholder}
      options={refs.applications.map((a) => ({ value: String(a.id), label: a.name }))}
    />
  );
}

export function ThemeSelect({
  form,
  refs,
  label,
  hint,
  placeholder,
}: Common & { refs: Applications & Pick<Referentials, 'themes'>; placeholder: string }) {
  const groups = refs.applications
    .map((a) => ({
      label: a.name,
      options: refs.themes.filter((t) => t.applicationId === a.id).map((t) => ({ value: String(t.id), label: t.name })),
    }))
    .filter((g) => g.options.length > 0);
  return <Select form={form} name="themeId" label={label} hint={hint} placeholder={placeholder} groups={groups} />;
}
