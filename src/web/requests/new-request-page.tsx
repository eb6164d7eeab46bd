import type { ComponentChildren } from 'preact';
import type { StagedFile } from '../../domain/attachments/staging.js';
import { ACCEPTED_FORMATS_LABEL, formatBytes } from '../../domain/attachments/store.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { Csrf, ErrorSummary, type FormState, Input, RadioGroup, Select, Textarea, Upload } from '../components/form.js';
import { Page } from '../layout/page.js';
import { ApplicationSelect, ThemeSelect } from '../shared/application-select.js';
import type { ViewContext } from '../shared/view-context.js';
import {
  SuggestionsLiveRegion,
  SuggestionsNotice,
  SuggestionsSeenField,
  type SuggestionsState,
  SuggestionsStep,
} from './suggestions-panel.js';

export const NEW_REQUEST_LABELS: Record<string, string | [string, string]> = {
  subject: 'Sujet',
  blocking: ['Bloquant / Non bloquant', 'blocking-oui'],
  applicationId: 'Application',
  themeId: 'Thème',
  problemTypeId: 'Type de problème',
  businessReference: 'Référence métier',
  description: 'Description',
  files: 'Ajouter un fichier',
  channel: 'Canal',
  onBehalfName: 'Nom et prénom de l’agent',
  onBehalfEmail: 'Adresse électronique de l’agent',
};

type Props = {
  ctx: ViewContext;
  refs: Referentials;
  form: FormState;
  token: string;
  staged: StagedFile[];
  limits: { maxFileBytes: number; maxFiles: number };
  /** A regional (DIRECCTE) requester: the « pour le compte de » fieldset is offered. */
  onBehalf?: boolean;
  /** The requester's form: suggestions of the knowledge base before filing. */
  suggestions?: SuggestionsState;
};

export function NewRequestPage(props: Props) {
  const { ctx, form } = props;
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page
      ctx={ctx}
      title="Saisie d’une nouvelle demande"
      failed={failed}
      breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Mes demandes', href: '/demandes' }, { label: 'Nouvelle demande' }]}
    >
      <h1>Saisie d’une nouvelle demande</h1>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/demandes">
          Retour à la liste
        </a>
      </p>
      <WithSuggestions shown={props.suggestions !== undefined}>
        <NewRequestForm {...props} action="/demandes/nouvelle" cancel={{ href: '/demandes', label: 'Retour à la liste' }} />
      </WithSuggestions>
    </Page>
  );
}

/**
 * The suggestions' region beside the form on wide screens, after it on narrow ones: never between
 * its fields, so none moves when suggestions arrive and the links come after the fields for Tab.
 */
function WithSuggestions({ shown, children }: { shown: boolean; children: ComponentChildren }) {
  if (!shown) return <>{children}</>;
  return (
    <div class="fr-grid-row fr-grid-row--gutters">
      <div class="fr-col-12 fr-col-lg-8">{children}</div>
      <div class="fr-col-12 fr-col-lg-4">
        <SuggestionsLiveRegion formId="new-request-form" />
      </div>
    </div>
  );
}

type FormProps = Props & {
  /** Where the form is sent (its CSRF token is added: multipart bodies are checked before they are read). */
  action: string;
  cancel: { href: string; label: string };
  /** Fields shown before the request's own (the desk's channel). */
  before?: ComponentChildren;
};

/** The new request's form, with its error summary: the requester's page and the desk's page for a caller. */
export function NewRequestForm(props: FormProps) {
  const { ctx, refs, form, token, staged, limits, onBehalf, action, cancel, before, suggestions } = props;
  const problemGroups = refs.problemTypes
    .filter((p) => p.parentId === null)
    .map((parent) => {
      const children = refs.problemTypes.filter((c) => c.parentId === parent.id);
      return { parent, children };
    });
  return (
    <>
      <ErrorSummary form={form} labels={NEW_REQUEST_LABELS} />
      <SuggestionsNotice state={suggestions} formId="new-request-form" />
      <p class="fr-hint-text">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
      <form method="post" action={action} enctype="multipart/form-data" id="new-request-form" novalidate>
        <Csrf token={ctx.csrfToken} />
        <input type="hidden" name="token" value={token} />
        {suggestions && <SuggestionsSeenField />}
        {form.values.suite && <FollowUp number={form.values.suite} />}
        {before}
        <Input form={form} name="subject" label="Sujet" required hint="Résumez le problème en quelques mots." />
        <RadioGroup
          form={form}
          name="blocking"
          legend="Bloquant / Non bloquant"
          inline
          required
          options={[
            { value: 'oui', label: 'Bloquant' },
            { value: 'non', label: 'Non bloquant' },
          ]}
        />
        <ApplicationSelect form={form} refs={refs} label="Application" required />
        <ThemeSelect
          form={form}
          refs={refs}
          label="Thème"
          hint="Le module de l’application concerné."
          placeholder="Aucun thème"
        />
        <Select
          form={form}
          name="problemTypeId"
          label="Type de problème"
          placeholder="Non précisé"
          options={problemGroups
            .filter((g) => g.children.length === 0)
            .map((g) => ({ value: String(g.parent.id), label: g.parent.name }))}
          groups={problemGroups
            .filter((g) => g.children.length > 0)
            .map((g) => ({
              label: g.parent.name,
              options: [
                { value: String(g.parent.id), label: `${g.parent.name} (autre)` },
                ...g.children.map((c) => ({ value: String(c.id), label: c.name })),
              ],
            }))}
        />
        <Input
          form={form}
          name="businessReference"
          label="Référence métier"
          hint="Facultatif : un numéro de dossier, de session, de titre…"
        />
        <Textarea
          form={form}
          name="description"
          label="Description"
          required
          hint="Décrivez le problème : ce que vous faisiez, ce qui s’est passé, le message affiché. Si le problème concerne un titre, précisez son nom et son code."
        />
        {staged.length > 0 && (
          <fieldset class="fr-fieldset" id="staged-fieldset" aria-labelledby="staged-legend">
            <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="staged-legend">
              Fichiers déjà joints (décochez un fichier pour le retirer)
            </legend>
            {staged.map((f) => (
              <div class="fr-fieldset__element" key={f.id}>
                <div class="fr-checkbox-group">
                  <input type="checkbox" id={`keep-${f.id}`} name="keepFile" value={String(f.id)} checked />
                  <label class="fr-label" for={`keep-${f.id}`}>{`${f.name} (${formatBytes(f.sizeBytes)})`}</label>
                </div>
              </div>
            ))}
          </fieldset>
        )}
        <Upload
          form={form}
          name="files"
          label="Ajouter un fichier"
          hint={`Une capture d’écran par exemple. Taille maximale : ${formatBytes(limits.maxFileBytes)} par fichier, ${limits.maxFiles} fichiers au plus. Formats acceptés : ${ACCEPTED_FORMATS_LABEL}.`}
        />
        {onBehalf && <OnBehalfFieldset form={form} />}
        <SuggestionsStep token={token} state={suggestions} />
        {/* In a group, DSFR shows a button's icon alone unless the group says where it goes. */}
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-4w">
          <li>
            <button class="fr-btn fr-icon-check-line fr-btn--icon-left" type="submit">
              Enregistrer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={cancel.href}>
              {cancel.label}
            </a>
          </li>
        </ul>
      </form>
    </>
  );
}

/**
 * « Pour le compte de »: a regional user files for a local-unit agent, who has no account. Without
 * JavaScript every field is shown (the box says whether they count); with it, ticking the box reveals them.
 */
function OnBehalfFieldset({ form }: { form: FormState }) {
  const checkbox = (name: string, label: string, hint?: string) => (
    <div class="fr-checkbox-group">
      <input type="checkbox" id={name} name={name} value="oui" checked={form.values[name] === 'oui'} />
      <label class="fr-label" for={name}>
        {label}
        {hint && <span class="fr-hint-text">{hint}</span>}
      </label>
    </div>
  );
  return (
    <fieldset class="fr-fieldset guichet-on-behalf fr-mt-4w" id="on-behalf-fieldset" aria-labelledby="on-behalf-legend">
      <legend class="fr-fieldset__legend" id="on-behalf-legend">
        Demande déposée pour le compte d’une unité locale
        <span class="fr-hint-text">
          Vous restez le demandeur : vous suivez la demande, recevez les courriels et transmettez la réponse à l’agent.
        </span>
      </legend>
      <div class="fr-fieldset__element">
        {checkbox(
          'onBehalf',
          'Je dépose cette demande pour le compte d’un agent d’une unité locale',
          'Si vous cochez cette case, le nom et l’adresse électronique de l’agent sont obligatoires.',
        )}
      </div>
      <div class="fr-fieldset__element guichet-on-behalf__field">
        <Input form={form} name="onBehalfName" label="Nom et prénom de l’agent" />
      </div>
      <div class="fr-fieldset__element guichet-on-behalf__field">
        <Input
          form={form}
          name="onBehalfEmail"
          label="Adresse électronique de l’agent"
          type="email"
          hint="Format attendu : nom@domaine.fr"
        />
      </div>
      <div class="fr-fieldset__element guichet-on-behalf__field">
        {checkbox('onBehalfCopy', 'Envoyer une copie de la réponse à cet agent (sans lien vers le portail)')}
      </div>
    </fieldset>
  );
}

/** The closed request this one follows: said, and sent with the form so the two get linked. */
function FollowUp({ number }: { number: string }) {
  return (
    <div class="fr-callout fr-mb-4w">
      <input type="hidden" name="suite" value={number} />
      <p class="fr-callout__text">{`Cette demande fera suite à votre demande n° ${number}, clôturée : les deux seront liées.`}</p>
    </div>
  );
}
