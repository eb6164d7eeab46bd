/** The pages of « Mon compte ». */

import { isStaffRole } from '../../domain/access.js';
import type { SessionInfo } from '../../domain/accounts/personal-data.js';
import type { Profile } from '../../domain/accounts/profile.js';
import { Alert, CivilityField, Csrf, ErrorSummary, type FormState, Input } from '../components/form.js';
import { PasswordInput } from '../components/more-fields.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { NOTIFY_LABEL, NotificationsSection, PilotageSummarySection } from './notifications-section.js';

export type Forms = {
  coordinates: FormState;
  email: FormState;
  password: FormState;
  notifications: FormState;
  pilotageSummary: FormState;
};

/** Success messages after a form, by the code in the address (works without JavaScript). */
export const DONE: Record<string, string> = {
  coordonnees: 'Vos coordonnées ont été enregistrées.',
  'courriel-envoye':
    'Un lien de confirmation a été envoyé à votre nouvelle adresse électronique. Votre adresse ne change qu’une fois ce lien utilisé (il est valable 24 heures).',
  courriel: 'Votre nouvelle adresse électronique est enregistrée.',
  'mot-de-passe': 'Votre mot de passe a été changé. Vos autres sessions ont été fermées.',
  sessions: 'Vos autres sessions ont été fermées.',
  notifications: 'Vos préférences de notification ont été enregistrées.',
  'resume-pilotage': 'Votre choix pour le résumé hebdomadaire a été enregistré.',
  suppression: 'Votre demande de suppression de compte a été transmise aux administrateurs. Vous serez informé(e) par courriel.',
};

export const LABELS = {
  civility: ['Civilité', 'civility-fieldset'],
  lastName: 'Nom',
  firstName: 'Prénom',
  phone: 'Téléphone',
  email: 'Nouvelle adresse électronique',
  currentPassword: 'Mot de passe actuel',
  newPassword: 'Nouveau mot de passe',
  confirmation: 'Confirmation du nouveau mot de passe',
} as const;

export const SUMMARY_LABELS: Record<keyof Forms, Record<string, string | [string, string]>> = {
  coordinates: { civility: [...LABELS.civility], lastName: LABELS.lastName, firstName: LABELS.firstName, phone: LABELS.phone },
  email: { email: [LABELS.email, 'email'], currentPassword: [LABELS.currentPassword, 'email-password'] },
  password: {
    currentPassword: [LABELS.currentPassword, 'password-current'],
    newPassword: [LABELS.newPassword, 'password-new'],
    confirmation: [LABELS.confirmation, 'password-confirmation'],
  },
  notifications: { notifyNewRequests: [NOTIFY_LABEL, 'notifyNewRequests-fieldset'] },
  pilotageSummary: {},
};

export const ROLE_NAMES: Record<string, string> = {
  requester: 'Demandeur',
  agent: 'Agent de l’assistance (niveau 1)',
  expert: 'Expert (niveau 2)',
  pilot: 'Pilote (chiffres de l’assistance)',
  admin: 'Administrateur',
};

export function AccountPage({
  ctx,
  profile,
  forms,
  failed,
  sessions,
  done,
}: {
  ctx: ViewContext;
  profile: Profile;
  forms: Forms;
  failed?: keyof Forms;
  sessions: SessionInfo[];
  done?: string;
}) {
  const others = sessions.filter((s) => !s.current).length;
  return (
    <Page
      ctx={ctx}
      title="Mon compte"
      failed={Boolean(failed)}
      breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Mon compte' }]}
    >
      <h1>Mon compte</h1>
      {done && <Alert kind="success" title={done} />}
      {failed && <ErrorSummary form={forms[failed]} labels={SUMMARY_LABELS[failed]} />}
      <p class="fr-text--sm fr-mb-1w">Les champs marqués d’un astérisque (*) sont obligatoires.</p>

      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-8">
          <section class="fr-mb-6w" aria-labelledby="coordonnees">
            <h2 id="coordonnees">Mes coordonnées</h2>
            <form method="post" action="/mon-compte/coordonnees" id="form-coordonnees" novalidate>
              <Csrf token={ctx.csrfToken} />
              <CivilityField form={forms.coordinates} />
              <Input form={forms.coordinates} name="lastName" label={LABELS.lastName} required autocomplete="family-name" />
              <Input form={forms.coordinates} name="firstName" label={LABELS.firstName} required autocomplete="given-name" />
              <Input
                form={forms.coordinates}
                name="phone"
                label={LABELS.phone}
                hint="Format attendu : 01 22 33 44 55"
                type="tel"
                autocomplete="tel-national"
              />
              <button class="fr-btn" type="submit">
                Enregistrer mes coordonnées
              </button>
            </form>
          </section>

          <section class="fr-mb-6w" aria-labelledby="courriel">
            <h2 id="courriel">Mon adresse électronique</h2>
            <p>
              Adresse actuelle : <strong>{profile.email}</strong>
            </p>
            <p class="fr-text--sm">
              Pour la changer, indiquez la nouvelle adresse et votre mot de passe : un lien de confirmation, valable 24 heures,
              est envoyé à la nouvelle adresse, et l’ancienne est prévenue du changement.
            </p>
            <form method="post" action="/mon-compte/courriel" id="form-courriel" novalidate>
              <Csrf token={ctx.csrfToken} />
              <Input
                form={forms.email}
                name="email"
                label={LABELS.email}
                hint="Format attendu : nom@domaine.fr"
                type="email"
                autocomplete="email"
                required
              />
              <PasswordInput
                form={forms.email}
                name="currentPassword"
                id="email-password"
                label={LABELS.currentPassword}
                autocomplete="current-password"
              />
              <button class="fr-btn" type="submit">
                Changer mon adresse électronique
              </button>
            </form>
          </section>

          <section class="fr-mb-6w" aria-labelledby="mot-de-passe">
            <h2 id="mot-de-passe">Changer mon mot de passe</h2>
            <p class="fr-text--sm">
              Une fois le mot de passe changé, vos autres sessions ouvertes sont fermées et un courriel vous confirme le
              changement.
            </p>
            <form method="post" action="/mon-compte/mot-de-passe" id="form-mot-de-passe" novalidate>
              <Csrf token={ctx.csrfToken} />
              <PasswordInput
                form={forms.password}
                name="currentPassword"
                id="password-current"
                label={LABELS.currentPassword}
                autocomplete="current-password"
              />
              <PasswordInput
                form={forms.password}
                name="newPassword"
                id="password-new"
                label={LABELS.newPassword}
                hint="De 12 à 128 caractères. Une phrase de plusieurs mots est plus facile à retenir. Évitez les mots de passe courants, votre identifiant et votre nom."
                autocomplete="new-password"
              />
              <PasswordInput
                form={forms.password}
                name="confirmation"
                id="password-confirmation"
                label={LABELS.confirmation}
                hint="Saisissez une seconde fois le nouveau mot de passe."
                autocomplete="new-password"
              />
              <button class="fr-btn" type="submit">
                Changer mon mot de passe
              </button>
            </form>
            {isStaffRole(profile.role) && (
              <p class="fr-mt-3w">
                <a class="fr-link fr-icon-lock-line fr-link--icon-left" href="/mon-compte/double-authentification">
                  Double authentification
                </a>
              </p>
            )}
          </section>

          {profile.role === 'agent' && <NotificationsSection ctx={ctx} form={forms.notifications} />}
          {profile.role === 'pilot' && <PilotageSummarySection ctx={ctx} form={forms.pilotageSummary} />}
          <section class="fr-mb-6w" aria-labelledby="sessions">
            <h2 id="sessions">Mes sessions</h2>
            <DataTable caption="Sessions ouvertes sur votre compte">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Ouverte le</th>
                  <th scope="col">Dernière activité</th>
                  <th scope="col">Fin au plus tard</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s, i) => (
                  <tr key={i}>
                    <th scope="row">
                      {s.current ? (
                        <p class="fr-badge fr-badge--info fr-badge--no-icon">Cette session</p>
                      ) : (
                        `Autre session${s.remembered ? ' (« Se souvenir de moi »)' : ''}`
                      )}
                    </th>
                    <td>{s.startedAt ? formatDateTime(s.startedAt) : '—'}</td>
                    <td>{s.seenAt ? formatDateTime(s.seenAt) : '—'}</td>
                    <td>{formatDateTime(s.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
            {others > 0 ? (
              <form method="post" action="/mon-compte/sessions/fermer-les-autres" id="form-sessions">
                <Csrf token={ctx.csrfToken} />
                <button class="fr-btn fr-btn--secondary" type="submit">
                  Fermer les autres sessions
                </button>
              </form>
            ) : (
              <p class="fr-text--sm">Aucune autre session n’est ouverte.</p>
            )}
          </section>

          <section class="fr-mb-6w" aria-labelledby="donnees">
            <h2 id="donnees">Mes données</h2>
            <p>
              Vous pouvez télécharger les données que le portail conserve à votre sujet : votre profil, vos applications, votre
              structure, vos demandes et leur historique.
            </p>
            <p>
              <a class="fr-link fr-link--download" href="/mon-compte/donnees" download>
                Télécharger mes données <span class="fr-link__detail">JSON</span>
              </a>
            </p>
          </section>

          <section class="fr-mb-6w" aria-labelledby="suppression">
            <h2 id="suppression">Supprimer mon compte</h2>
            <p>
              Votre demande est transmise aux administrateurs, qui désactivent le compte après vérification. Vos demandes
              d’assistance sont conservées par le service pendant la durée prévue.
            </p>
            <form method="post" action="/mon-compte/suppression" id="form-suppression">
              <Csrf token={ctx.csrfToken} />
              <button class="fr-btn fr-btn--tertiary" type="submit">
                Demander la suppression de mon compte
              </button>
            </form>
          </section>
        </div>

        <div class="fr-col-12 fr-col-md-4">
          <div class="fr-card fr-card--no-arrow">
            <div class="fr-card__body">
              <div class="fr-card__content">
                <h2 class="fr-card__title">Mon profil</h2>
                <dl class="fr-card__desc guichet-profile">
                  <dt>Identifiant</dt>
                  <dd>{profile.login}</dd>
                  <dt>Rôle</dt>
                  <dd>
                    {ROLE_NAMES[profile.role] ?? profile.role}
                    {profile.requesterKind ? ` (${profile.requesterKind === 'direccte' ? 'DIRECCTE' : 'centre'})` : ''}
                  </dd>
                  <dt>Structure</dt>
                  <dd>
                    {profile.structureName ?? 'Aucune'}
                    {profile.regionName ? ` — ${profile.regionName}` : ''}
                  </dd>
                  <dt>Applications</dt>
                  <dd>{profile.applicationNames.length ? profile.applicationNames.join(', ') : 'Aucune'}</dd>
                </dl>
                <p class="fr-text--xs fr-mt-2w">
                  Votre rôle, votre structure et vos applications sont fixés par l’assistance : pour les changer, contactez-la au{' '}
                  {ctx.settings.supportPhone}.
                </p>
              </div>
            </div>
          </div>
        </div>
      </div>
    </Page>
  );
}

export function EmailConfirmPage({
  ctx,
  token,
  state,
  newEmail,
}: {
  ctx: ViewContext;
  token: string;
  state: 'valid' | 'used' | 'expired' | 'unknown';
  newEmail: string | null;
}) {
  const title = 'Confirmer ma nouvelle adresse électronique';
  const crumbs = [{ label: 'Accueil', href: '/' }, { label: 'Mon compte', href: '/mon-compte' }, { label: title }];
  if (state !== 'valid' || !newEmail) {
    const reason =
      state === 'used'
        ? 'Ce lien a déjà été utilisé.'
        : state === 'expired'
          ? 'Ce lien a expiré : il n’était valable que 24 heures.'
          : 'Ce lien n’est pas valable pour votre compte.';
    return (
      <Page ctx={ctx} title={title} breadcrumb={crumbs}>
        <h1>{title}</h1>
        <Alert kind="error" title="Lien non valable">
          <p>{`${reason} Pour changer d’adresse, refaites la demande depuis « Mon compte ».`}</p>
        </Alert>
        <p>
          <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/mon-compte#courriel">
            Retour à mon compte
          </a>
        </p>
      </Page>
    );
  }
  return (
    <Page ctx={ctx} title={title} breadcrumb={crumbs}>
      <h1>{title}</h1>
      <p class="fr-text--lead">
        Les messages du portail seront désormais envoyés à <strong>{newEmail}</strong>.
      </p>
      <form method="post" action={`/mon-compte/courriel/${encodeURIComponent(token)}`} id="form-confirmer-courriel">
        <Csrf token={ctx.csrfToken} />
        <button class="fr-btn" type="submit">
          Confirmer ma nouvelle adresse
        </button>
      </form>
    </Page>
  );
}
