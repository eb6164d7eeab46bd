import { Alert, Csrf, ErrorSummary, type FormState, Input, Select, Textarea } from '../components/form.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';

const LABELS = {
  serviceName: 'Nom du service',
  ministryName: 'Nom du ministère (bloc marque)',
  supportPhone: 'Téléphone de l’assistance',
  supportHours: 'Horaires de l’assistance',
  welcomeText: 'Texte d’accueil',
  accessibilityStatus: 'Conformité au RGAA',
  activationDays: 'Validité du lien d’activation (jours)',
  workingDays: ['Jours ouvrés', 'workingDay1'],
  workdayStart: 'Début de la journée de travail',
  workdayEnd: 'Fin de la journée de travail',
  blockingFirstResponseHours: 'Première réponse à une demande bloquante (heures ouvrées)',
  blockingResolutionDays: 'Résolution d’une demande bloquante (jours ouvrés)',
  normalFirstResponseDays: 'Première réponse à une demande non bloquante (jours ouvrés)',
  normalResolutionDays: 'Résolution d’une demande non bloquante (jours ouvrés)',
  autoCloseDays: 'Clôture automatique d’une demande traitée sans réaction (jours ouvrés)',
  autoCloseReminderDays: 'Rappel avant la clôture automatique (jours ouvrés)',
  reopenDays: 'Délai pour rouvrir une demande clôturée (jours ouvrés)',
  staffNameInHistory: 'Nom de l’assistance dans l’historique des demandeurs',
} satisfies Record<string, string | [string, string]>;

const WEEK = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];

/** « Paramètres »: the service, accounts, service levels and the life of requests, one fieldset each. */
export function SettingsPage({ ctx, form, saved }: { ctx: ViewContext; form: FormState; saved?: boolean }) {
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title="Paramètres" failed={failed} breadcrumb={adminCrumbs('Paramètres')}>
      <h1>Paramètres</h1>
      {saved && <Alert kind="success" title="Les paramètres ont été enregistrés." />}
      <ErrorSummary form={form} labels={LABELS} />
      <form method="post" action="/admin/parametres" novalidate>
        <Csrf token={ctx.csrfToken} />
        <ServiceFields form={form} />
        <Section id="accounts" legend="Comptes">
          <Input
            form={form}
            name="activationDays"
            label={LABELS.activationDays}
            hint="Nombre de jours pendant lesquels le lien envoyé à un nouveau compte reste valable (1 à 60)."
            required
            type="number"
          />
          <Checkbox
            form={form}
            name="adminTotpRequired"
            label="Double authentification obligatoire pour les administrateurs"
            hint="Un administrateur sans double authentification devra l’activer à sa prochaine connexion."
          />
        </Section>
        <ServiceLevelFields form={form} />
        <LifeFields form={form} />
        <button class="fr-btn" type="submit">
          Enregistrer
        </button>
      </form>
    </Page>
  );
}

const adminCrumbs = (label: string) => [{ label: 'Accueil', href: '/' }, { label: 'Administration', href: '/admin' }, { label }];

function Section({
  id,
  legend,
  hint,
  children,
}: {
  id: string;
  legend: string;
  hint?: string;
  children: preact.ComponentChildren;
}) {
  return (
    <fieldset class="fr-fieldset fr-mb-4w" aria-labelledby={`${id}-legend`}>
      <legend class="fr-fieldset__legend fr-h5" id={`${id}-legend`}>
        {legend}
        {hint && <span class="fr-hint-text">{hint}</span>}
      </legend>
      <div class="fr-fieldset__element">{children}</div>
    </fieldset>
  );
}

/** A setting's checkbox; the hidden "false" is sent when it is unticked (a ticked box's value comes after and wins). */
function Checkbox({
  form,
  name,
  label,
  hint,
  checked = form.values[name] === 'true',
}: {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  checked?: boolean;
}) {
  const id = name;
  return (
    <div class="fr-checkbox-group fr-mb-2w">
      <input type="hidden" name={name} value="false" />
      <input type="checkbox" id={id} name={name} value="true" checked={checked} />
      <label class="fr-label" for={id}>
        {label}
        {hint && <span class="fr-hint-text">{hint}</span>}
      </label>
    </div>
  );
}

function ServiceFields({ form }: { form: FormState }) {
  return (
    <Section id="service" legend="Service">
      <Input form={form} name="serviceName" label={LABELS.serviceName} required />
      <Textarea
        form={form}
        name="ministryName"
        label={LABELS.ministryName}
        hint="Une ligne par ligne du bloc marque."
        required
        rows={3}
      />
      <Input
        form={form}
        name="supportPhone"
        label={LABELS.supportPhone}
        hint="Format attendu : 01 22 33 44 55"
        required
        autocomplete="off"
        type="tel"
      />
      <Input form={form} name="supportHours" label={LABELS.supportHours} hint="Par exemple : Lu-Ve, 9h - 18h" required />
      <Textarea
        form={form}
        name="welcomeText"
        label={LABELS.welcomeText}
        hint="Une ligne vide sépare deux paragraphes ; {applications} est remplacé par la liste des applications."
        required
        rows={10}
      />
      <Select
        form={form}
        name="accessibilityStatus"
        label={LABELS.accessibilityStatus}
        required
        options={['non conforme', 'partiellement conforme', 'totalement conforme'].map((v) => ({ value: v, label: v }))}
      />
    </Section>
  );
}

/** Ticked days: as typed after a refused form (one value per day), else the saved list (« 1,2,3,4,5 »). */
function dayChecked(form: FormState, day: number): boolean {
  const typed = form.values[`workingDay${day}`];
  if (typed !== undefined) return typed === 'true';
  return (form.values.workingDays ?? '').split(',').includes(String(day));
}

function ServiceLevelFields({ form }: { form: FormState }) {
  const error = form.errors.workingDays;
  return (
    <Section
      id="service-levels"
      legend="Niveaux de service"
      hint="Délais comptés en temps ouvré, heure de Paris. Un jour ouvré vaut la durée d’une journée de travail (9 heures de 9:00 à 18:00) ; le délai est suspendu tant que la demande est en attente de complément."
    >
      <fieldset
        class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
        id="workingDays-fieldset"
        aria-labelledby="workingDays-legend workingDays-messages"
      >
        <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="workingDays-legend">
          Jours ouvrés *
        </legend>
        {WEEK.map((name, i) => (
          <div class="fr-fieldset__element fr-fieldset__element--inline" key={name}>
            <Checkbox
              form={{ ...form, values: { ...form.values, [`workingDay${i + 1}`]: String(dayChecked(form, i + 1)) } }}
              name={`workingDay${i + 1}`}
              label={name}
            />
          </div>
        ))}
        <div class="fr-messages-group" id="workingDays-messages" aria-live="polite">
          {error && <p class="fr-message fr-message--error">{error}</p>}
        </div>
      </fieldset>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-6">
          <Input form={form} name="workdayStart" label={LABELS.workdayStart} hint="Format attendu : 09:00" required type="time" />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <Input form={form} name="workdayEnd" label={LABELS.workdayEnd} hint="Format attendu : 18:00" required type="time" />
        </div>
      </div>
      <Checkbox
        form={form}
        name="excludeHolidays"
        label="Les jours fériés ne sont pas ouvrés"
        hint="Jours fériés de France métropolitaine (1er janvier, lundi de Pâques, 1er et 8 mai, Ascension, lundi de Pentecôte, 14 juillet, 15 août, 1er et 11 novembre, 25 décembre)."
      />
      <div class="fr-grid-row fr-grid-row--gutters">
        {(
          ['blockingFirstResponseHours', 'blockingResolutionDays', 'normalFirstResponseDays', 'normalResolutionDays'] as const
        ).map((name) => (
          <div class="fr-col-12 fr-col-md-6" key={name}>
            <Input form={form} name={name} label={LABELS[name]} required type="number" />
          </div>
        ))}
      </div>
    </Section>
  );
}

function LifeFields({ form }: { form: FormState }) {
  return (
    <Section id="life" legend="Vie des demandes">
      <Input
        form={form}
        name="autoCloseDays"
        label={LABELS.autoCloseDays}
        hint="Une demande traitée sans réaction du demandeur est close après ce délai (1 à 60)."
        required
        type="number"
      />
      <Input
        form={form}
        name="autoCloseReminderDays"
        label={LABELS.autoCloseReminderDays}
        hint="Le demandeur reçoit un rappel ce nombre de jours avant la clôture (1 à 30)."
        required
        type="number"
      />
      <Input
        form={form}
        name="reopenDays"
        label={LABELS.reopenDays}
        hint="Le demandeur peut rouvrir sa demande clôturée pendant ce délai, en disant pourquoi ; ensuite, il dépose une nouvelle demande liée à l’ancienne. L’assistance peut rouvrir à tout moment (1 à 60)."
        required
        type="number"
      />
      <Checkbox
        form={form}
        name="shareWithinStructure"
        label="Les personnes d’une même structure voient les demandes de leur structure"
      />
      <Checkbox form={form} name="satisfactionSurvey" label="Proposer une enquête de satisfaction à la clôture" />
      <Input
        form={form}
        name="staffNameInHistory"
        label={LABELS.staffNameInHistory}
        hint="Les demandeurs lisent « Mis à jour par » suivi de ce nom pour chaque étape de l’assistance. Laissé vide : le nom de l’agent."
      />
    </Section>
  );
}
