import type { UserDetail } from '../../domain/accounts/users-admin.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { Alert, Csrf, ErrorSummary, type FormState, RadioGroup, Select } from '../components/form.js';
import { Page } from '../layout/page.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { crumbs, FORM_LABELS, ROLE_LABELS, StatusBadge, type Structures, structureGroups } from './users-pages.js';

export function ApplicationsFieldset({
  form,
  refs,
  selected,
  legend = 'Applications',
  hint = 'Celles qu’un demandeur utilise, que l’agent ou l’expert couvre, ou dont le pilote voit les chiffres.',
}: {
  form: FormState;
  refs: Referentials;
  selected: number[];
  legend?: string;
  hint?: string;
}) {
  const error = form.errors.applicationIds;
  const id = 'applicationIds-fieldset';
  return (
    <fieldset class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`} id={id} aria-labelledby={`${id}-legend ${id}-messages`}>
      <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id={`${id}-legend`}>
        {legend}
        <span class="fr-hint-text">{hint}</span>
      </legend>
      {refs.applications.map((a) => (
        <div class="fr-fieldset__element" key={a.id}>
          <div class="fr-checkbox-group">
            <input
              type="checkbox"
              id={`application-${a.id}`}
              name="applicationIds"
              value={String(a.id)}
              checked={selected.includes(a.id)}
            />
            <label class="fr-label" for={`application-${a.id}`}>
              {a.name}
            </label>
          </div>
        </div>
      ))}
      <div class="fr-messages-group" id={`${id}-messages`} aria-live="polite">
        {error && <p class="fr-message fr-message--error">{error}</p>}
      </div>
    </fieldset>
  );
}

export function UserPage({
  ctx,
  user,
  form,
  applicationIds,
  refs,
  structures,
  done,
  self,
}: {
  ctx: ViewContext;
  user: UserDetail;
  form: FormState;
  applicationIds: number[];
  refs: Referentials;
  structures: Structures;
  done?: string;
  self: boolean;
}) {
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title={user.displayName} failed={failed} breadcrumb={crumbs(user.displayName)}>
      <h1>{user.displayName}</h1>
      {done && <Alert kind="success" title={done} />}
      <ErrorSummary form={form} labels={FORM_LABELS} />
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-5">
          <h2>Informations</h2>
          <dl>
            <dt>Identifiant</dt>
            <dd>{user.login}</dd>
            <dt>Adresse électronique</dt>
            <dd>{user.email}</dd>
            <dt>Téléphone</dt>
            <dd>{user.phone ?? '—'}</dd>
            <dt>Rôle</dt>
            <dd>
              {ROLE_LABELS[user.role]}
              {user.requesterKind ? ` (${user.requesterKind === 'direccte' ? 'DIRECCTE' : 'centre'})` : ''}
            </dd>
            <dt>Structure</dt>
            <dd>{user.structureName ? `${user.structureName} (${user.regionName ?? '—'})` : '—'}</dd>
            <dt>Applications</dt>
            <dd>
              {refs.applications
                .filter((a) => user.applicationIds.includes(a.id))
                .map((a) => a.name)
                .join(', ') || '—'}
            </dd>
            <dt>État</dt>
            <dd>
              <StatusBadge status={user.status} />
            </dd>
            <dt>Compte créé le</dt>
            <dd>{formatDateTime(user.createdAt)}</dd>
            <dt>Dernière connexion</dt>
            <dd>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'Jamais'}</dd>
          </dl>
          {user.invited && (
            <form method="post" action={`/admin/utilisateurs/${user.id}/invitation`} id="form-invitation" class="fr-mt-3w">
              <Csrf token={ctx.csrfToken} />
              <p class="fr-text--sm">Son titulaire n’a pas encore choisi son mot de passe.</p>
              <button class="fr-btn fr-btn--secondary" type="submit">
                Renvoyer l’invitation
              </button>
            </form>
          )}
          {!user.activated && !user.invited && (
            <form method="post" action={`/admin/utilisateurs/${user.id}/activation`} id="form-activation" class="fr-mt-3w">
              <Csrf token={ctx.csrfToken} />
              <p class="fr-text--sm">Ce compte n’a pas encore été activé par son titulaire.</p>
              <button class="fr-btn fr-btn--secondary" type="submit">
                Renvoyer le lien d’activation
              </button>
            </form>
          )}
        </div>
        <div class="fr-col-12 fr-col-md-7">
          <h2>Rôle, applications, structure et état</h2>
          {self && (
            <Alert kind="info" title="C’est votre propre compte">
              <p>
                Vous ne pouvez ni vous retirer le rôle d’administrateur, ni désactiver votre compte. Le dernier administrateur
                actif du portail le reste.
              </p>
            </Alert>
          )}
          <p class="fr-text--sm">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
          <form method="post" action={`/admin/utilisateurs/${user.id}`} id="form-utilisateur" novalidate>
            <Csrf token={ctx.csrfToken} />
            <RadioGroup
              form={form}
              name="role"
              legend="Rôle"
              required
              options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
            />
            <RadioGroup
              form={form}
              name="requesterKind"
              legend="Type de demandeur (pour un demandeur seulement)"
              inline
              options={[
                { value: 'centre', label: 'Centre' },
                { value: 'direccte', label: 'DIRECCTE' },
              ]}
            />
            <ApplicationsFieldset form={form} refs={refs} selected={applicationIds} />
            <div class="fr-checkbox-group fr-mb-3w">
              <input
                type="checkbox"
                id="knowledgeEditor"
                name="knowledgeEditor"
                value="1"
                checked={form.values.knowledgeEditor === '1'}
              />
              <label class="fr-label" for="knowledgeEditor">
                Rédacteur de la base documentaire
                <span class="fr-hint-text">
                  Pour un agent ou un expert : documents, F.A.Q. et actualités. Les administrateurs le sont toujours.
                </span>
              </label>
            </div>
            <div class="fr-checkbox-group fr-mb-3w">
              <input type="checkbox" id="deskLead" name="deskLead" value="1" checked={form.values.deskLead === '1'} />
              <label class="fr-label" for="deskLead">
                Responsable du guichet
                <span class="fr-hint-text">
                  Pour un pilote : voit aussi dans « Pilotage » l’activité par gestionnaire et par niveau.
                </span>
              </label>
            </div>
            <Select
              form={form}
              name="structureId"
              label="Structure"
              hint="Obligatoire pour un demandeur. Les structures sont classées par région."
              placeholder="Aucune structure"
              groups={structureGroups(structures)}
            />
            <RadioGroup
              form={form}
              name="status"
              legend="État du compte"
              required
              inline
              options={[
                { value: 'active', label: 'Actif' },
                { value: 'disabled', label: 'Désactivé (ses sessions sont fermées aussitôt)' },
              ]}
            />
            <button class="fr-btn" type="submit">
              Enregistrer
            </button>
          </form>
        </div>
      </div>
    </Page>
  );
}
