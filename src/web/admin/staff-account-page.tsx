/** « Créer un compte »: a staff account an administrator opens, whose holder is invited by e-mail. */
import { INVITATION_DAYS } from '../../domain/accounts/staff-accounts.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { CivilityField, Csrf, ErrorSummary, type FormState, Input, RadioGroup } from '../components/form.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { ApplicationsFieldset } from './user-page.js';
import { crumbs } from './users-pages.js';

const LABELS: Record<string, string | [string, string]> = {
  civility: ['Civilité', 'civility-fieldset'],
  firstName: 'Prénom',
  lastName: 'Nom',
  login: 'Identifiant',
  email: 'Adresse électronique',
  role: ['Rôle', 'role-fieldset'],
  applicationIds: ['Applications couvertes', 'applicationIds-fieldset'],
};

export const STAFF_ROLE_OPTIONS = [
  { value: 'agent', label: 'Agent niveau 1' },
  { value: 'expert', label: 'Expert niveau 2' },
  { value: 'pilot', label: 'Pilote' },
  { value: 'admin', label: 'Administrateur' },
];

export function StaffAccountPage({
  ctx,
  form,
  applicationIds,
  refs,
}: {
  ctx: ViewContext;
  form: FormState;
  applicationIds: number[];
  refs: Referentials;
}) {
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title="Créer un compte" failed={failed} breadcrumb={crumbs('Créer un compte')}>
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-md-8">
          <h1>Créer un compte</h1>
          <p>
            Pour un agent, un expert, un pilote ou un administrateur. Le compte est créé sans mot de passe : son titulaire reçoit
            par courriel une invitation, valable {INVITATION_DAYS} jours, pour choisir le sien.
          </p>
          <ErrorSummary form={form} labels={LABELS} />
          <p class="fr-text--sm">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
          <form method="post" action="/admin/utilisateurs/nouveau" id="form-creation" novalidate>
            <Csrf token={ctx.csrfToken} />
            <CivilityField form={form} />
            <Input form={form} name="firstName" label="Prénom" required autocomplete="off" />
            <Input form={form} name="lastName" label="Nom" required autocomplete="off" />
            <Input
              form={form}
              name="login"
              label="Identifiant"
              hint="De 3 à 40 caractères : lettres sans accent, chiffres, point, tiret ou tiret bas."
              required
              autocomplete="off"
            />
            <Input
              form={form}
              name="email"
              label="Adresse électronique"
              hint="L’invitation y est envoyée. Format attendu : nom@domaine.fr"
              type="email"
              required
              autocomplete="off"
            />
            <RadioGroup form={form} name="role" legend="Rôle" required options={STAFF_ROLE_OPTIONS} />
            <ApplicationsFieldset
              form={form}
              refs={refs}
              selected={applicationIds}
              legend="Applications couvertes"
              hint="Pour un agent, un expert ou un pilote : au moins une. Un administrateur voit toutes les applications."
            />
            <button class="fr-btn" type="submit">
              Créer le compte et envoyer l’invitation
            </button>
          </form>
        </div>
      </div>
    </Page>
  );
}
