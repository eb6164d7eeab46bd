/** The filter form of « Pilotage »: a GET form, so the filters stay in the address (and in bookmarks). */
import { CHANNELS, FIELDS, PRESETS, type RawFilters } from '../../domain/pilotage/filters.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { ErrorSummary, type FormState, Input, Select } from '../components/form.js';

/** The filters as an address's query, without the empty ones. */
export function filtersQuery(raw: RawFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...raw, ...extra })) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function PilotageFilters({ form, refs, scope }: { form: FormState; refs: Referentials; scope: number[] }) {
  const applications = refs.applications.filter((a) => scope.includes(a.id));
  const chosen = Number(form.values.application) || null;
  const themes = refs.themes.filter((t) => (chosen ? t.applicationId === chosen : scope.includes(t.applicationId)));
  const categories = refs.problemTypes.filter((p) => p.parentId === null);
  const options = (list: { id: number; name: string }[]) => list.map((x) => ({ value: String(x.id), label: x.name }));
  return (
    <form method="get" action="/pilotage" class="fr-mb-4w" aria-label="Filtrer les chiffres">
      <ErrorSummary form={form} labels={FIELDS} />
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <Select
            form={form}
            name="periode"
            label="Période"
            hint="« Entre deux dates » : indiquez les dates ci-contre"
            placeholder={PRESETS['30j']}
            options={Object.entries(PRESETS)
              .filter(([value]) => value !== '30j')
              .map(([value, label]) => ({ value, label }))}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input form={form} name="du" type="date" label="Du" hint="Format attendu : jj/mm/aaaa" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Input form={form} name="au" type="date" label="Au (inclus)" hint="Format attendu : jj/mm/aaaa" />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            form={form}
            name="application"
            label="Application"
            placeholder="Toutes mes applications"
            options={options(applications)}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select form={form} name="theme" label="Thème" placeholder="Tous les thèmes" options={options(themes)} />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            form={form}
            name="type"
            label="Type de problème"
            placeholder="Tous les types"
            groups={categories.map((c) => ({
              label: c.name,
              options: [
                { value: String(c.id), label: `${c.name} (toute la catégorie)` },
                ...options(refs.problemTypes.filter((p) => p.parentId === c.id)),
              ],
            }))}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            form={form}
            name="bloquant"
            label="Bloquant"
            placeholder="Bloquantes ou non"
            options={[
              { value: 'oui', label: 'Bloquantes' },
              { value: 'non', label: 'Non bloquantes' },
            ]}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select form={form} name="region" label="Région" placeholder="Toutes les régions" options={options(refs.regions)} />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            form={form}
            name="nature"
            label="Nature de structure"
            placeholder="Toutes les natures"
            options={options(refs.natures)}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            form={form}
            name="niveau"
            label="Niveau"
            placeholder="Les deux niveaux"
            options={[
              { value: '1', label: 'Niveau 1' },
              { value: '2', label: 'Niveau 2' },
            ]}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Select
            form={form}
            name="canal"
            label="Canal"
            placeholder="Tous les canaux"
            options={Object.entries(CHANNELS).map(([value, label]) => ({ value, label }))}
          />
        </div>
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
        <li>
          <button class="fr-btn" type="submit">
            Afficher les chiffres
          </button>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href="/pilotage">
            Réinitialiser les filtres
          </a>
        </li>
      </ul>
    </form>
  );
}
