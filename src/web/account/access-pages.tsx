import type { Referentials } from '../../domain/referentials/referentials.js';
import { Alert, CivilityField, Csrf, ErrorSummary, type FormState, Input, Select } from '../components/form.js';
import { CheckboxGroup, PasswordInput } from '../components/more-fields.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';

const PASSWORD_HINT =
  'De 12 à 128 caractères, sans règle de composition ; évitez les mots de passe courants, votre identifiant et votre nom.';

export const ACCOUNT_REQUEST_LABELS: Record<string, string | [string, string]> = {
  login: 'Identifiant',
  civility: ['Civilité', 'civility-M.'],
  lastName: 'Nom',
  firstName: 'Prénom',
  email: 'Email',
  phone: 'Téléphone',
  applicationIds: 'Applications',
  regionId: 'Région',
  structureName: 'Nom de la structure',
  natureId: 'Nature de la structure',
  typeId: 'Type de structure',
  password: 'Mot de passe',
  passwordCheck: 'Vérification',
};

const crumbs = (label: string) => [{ label: 'Connexion', href: '/connexion' }, { label }];

export function AccountRequestPage({ ctx, refs, form }: { ctx: ViewContext; refs: Referentials; form: FormState }) {
  const failed = Object.keys(form.errors).length > 0;
  const options = (rows: { id: number; name: string }[]) => rows.map((r) => ({ value: String(r.id), label: r.name }));
  return (
    <Page ctx={ctx} title="Demande de compte" failed={failed} breadcrumb={crumbs('Demande de compte')}>
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-md-8">
          <h1>Demande de compte</h1>
          <p>
            Renseignez les champs ci-dessous : l’assistance examine votre demande puis vous envoie un courriel d’activation. Les
            champs marqués d’un astérisque (*) sont obligatoires.
          </p>
          <ErrorSummary form={form} labels={ACCOUNT_REQUEST_LABELS} />
          <form method="post" action="/demande-de-compte" novalidate>
            <Csrf token={ctx.csrfToken} />
            <h2 class="fr-h4">Identité et coordonnées</h2>
            <Input
              form={form}
              name="login"
              label="Identifiant"
              required
              hint="De 3 à 40 caractères : lettres sans accent, chiffres, point, tiret."
              autocomplete="username"
            />
            <CivilityField form={form} />
            <Input form={form} name="lastName" label="Nom" required autocomplete="family-name" />
            <Input form={form} name="firstName" label="Prénom" required autocomplete="given-name" />
            <Input
              form={form}
              name="email"
              label="Email"
              required
              type="email"
              hint="Format attendu : nom@domaine.fr"
              autocomplete="email"
            />
            <Input
              form={form}
              name="phone"
              label="Téléphone"
              required
              type="tel"
              hint="Format attendu : 01 22 33 44 55"
              autocomplete="tel"
            />
            <h2 class="fr-h4">Organisme</h2>
            <CheckboxGroup
              form={form}
              name="applicationIds"
              legend="Applications"
              required
              hint="Les applications que vous utilisez."
              options={options(refs.applications)}
            />
            <Select form={form} name="regionId" label="Région" required options={options(refs.regions)} />
            <Input form={form} name="structureName" label="Nom de la structure" required autocomplete="organization" />
            <Select form={form} name="natureId" label="Nature de la structure" required options={options(refs.natures)} />
            <Select form={form} name="typeId" label="Type de structure" required options={options(refs.types)} />
            <h2 class="fr-h4">Mot de passe</h2>
            <PasswordInput form={form} name="password" label="Mot de passe" hint={PASSWORD_HINT} />
            <PasswordInput form={form} name="passwordCheck" label="Vérification" hint="Saisissez à nouveau le mot de passe." />
            <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-4w">
              <li>
                <button class="fr-btn" type="submit">
                  Envoyer ma demande
                </button>
              </li>
              <li>
                <a class="fr-btn fr-btn--secondary" href="/connexion">
                  Retour à la connexion
                </a>
              </li>
            </ul>
          </form>
        </div>
      </div>
    </Page>
  );
}

/** A short page with a title, a message and links. */
export function MessagePage({
  ctx,
  title,
  kind,
  message,
  links = [{ href: '/connexion', label: 'Aller à la connexion' }],
}: {
  ctx: ViewContext;
  title: string;
  kind: 'success' | 'error' | 'info';
  message: string;
  links?: { href: string; label: string }[];
}) {
  return (
    <Page ctx={ctx} title={title} breadcrumb={crumbs(title)}>
      <h1>{title}</h1>
      <Alert kind={kind} title={message} />
      <ul class="fr-btns-group fr-btns-group--inline-md">
        {links.map((l) => (
          <li key={l.href}>
            <a class="fr-btn fr-btn--secondary" href={l.href}>
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </Page>
  );
}

/** The page a link opens: a button that POSTs, so that mail scanners opening links use nothing up. */
export function ConfirmPage({
  ctx,
  title,
  text,
  action,
  button,
}: {
  ctx: ViewContext;
  title: string;
  text: string;
  action: string;
  button: string;
}) {
  return (
    <Page ctx={ctx} title={title} breadcrumb={crumbs(title)}>
      <h1>{title}</h1>
      <p>{text}</p>
      <form method="post" action={action}>
        <Csrf token={ctx.csrfToken} />
        <button class="fr-btn" type="submit">
          {button}
        </button>
      </form>
    </Page>
  );
}

export function ForgotPasswordPage({ ctx, form, sent }: { ctx: ViewContext; form: FormState; sent?: boolean }) {
  return (
    <Page ctx={ctx} title="Mot de passe oublié" breadcrumb={crumbs('Mot de passe oublié')}>
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>Mot de passe oublié</h1>
          {sent ? (
            <Alert kind="success" title="Demande enregistrée">
              <p>
                Si un compte correspond à ce que vous avez saisi, un courriel vient de lui être envoyé avec un lien pour choisir
                un nouveau mot de passe. Ce lien est valable une heure.
              </p>
            </Alert>
          ) : (
            <p>
              Indiquez votre adresse électronique ou votre identifiant : vous recevrez un lien pour choisir un nouveau mot de
              passe.
            </p>
          )}
          <ErrorSummary form={form} labels={{ identifier: 'Adresse électronique ou identifiant' }} />
          <form method="post" action="/mot-de-passe-oublie" novalidate>
            <Csrf token={ctx.csrfToken} />
            <Input form={form} name="identifier" label="Adresse électronique ou identifiant" required autocomplete="username" />
            <button class="fr-btn" type="submit">
              Recevoir un lien
            </button>
          </form>
          <p class="fr-mt-4w">
            <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/connexion">
              Retour à la connexion
            </a>
          </p>
        </div>
      </div>
    </Page>
  );
}

/** The new password form of a reset link, or (with `invitation`) the first password of an invited account. */
export function NewPasswordPage({
  ctx,
  form,
  token,
  invitation,
}: {
  ctx: ViewContext;
  form: FormState;
  token: string;
  invitation?: boolean;
}) {
  const failed = Object.keys(form.errors).length > 0;
  const title = invitation ? 'Choisir mon mot de passe' : 'Nouveau mot de passe';
  return (
    <Page ctx={ctx} title={title} failed={failed} breadcrumb={crumbs(title)}>
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>{title}</h1>
          {invitation && <p>Un compte a été créé pour vous. Choisissez son mot de passe pour l’activer.</p>}
          <ErrorSummary form={form} labels={{ password: 'Nouveau mot de passe', passwordCheck: 'Vérification' }} />
          <form method="post" action={`/${invitation ? 'invitation' : 'mot-de-passe'}/${token}`} novalidate>
            <Csrf token={ctx.csrfToken} />
            <PasswordInput form={form} name="password" label="Nouveau mot de passe" hint={PASSWORD_HINT} />
            <PasswordInput form={form} name="passwordCheck" label="Vérification" hint="Saisissez à nouveau le mot de passe." />
            <button class="fr-btn fr-mt-2w" type="submit">
              Enregistrer le mot de passe
            </button>
          </form>
        </div>
      </div>
    </Page>
  );
}
