/**
 * Accounts in the browser, JavaScript on, with e-mails going over SMTP to a real server in this
 * process: an account request validated by an administrator and activated from its e-mail; a
 * forgotten password; a ProConnect login through a real OpenID Connect provider; two-factor
 * authentication from enrolment to recovery codes. axe runs on every portal page visited.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';
import { linkIn, MailSink, mailsTo } from '../test/support/mail-sink.js';
import { codeAt, currentStep } from '../test/support/totp.js';
import {
  expectNoAxeViolations,
  freePort,
  type Harness,
  logIn,
  logOut,
  menuLink,
  PASSWORD,
  startHarness,
  storySteps,
} from './support/browser.js';
import { startOidcProvider, type TestProvider, withoutWebFonts } from './support/oidc.js';

const DEMO_DOMAIN = 'demo.assistance.localhost';

let h: Harness;
let sink: MailSink;
let provider: TestProvider;

before(async () => {
  sink = new MailSink();
  const smtpPort = await sink.start();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider(publicUrl, {
    agent: { given_name: 'Sophie', usual_name: 'Lambert', email: `agent@${DEMO_DOMAIN}` },
  });
  h = await startHarness({
    env: { PORT: String(port), PUBLIC_URL: publicUrl, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, ...provider.env },
  });
});
after(async () => {
  await h?.stop();
  await provider?.close();
  await sink?.stop();
});

/** How many e-mails `to` has received with this subject. */
async function mailCount(to: string, subject: RegExp) {
  return (await mailsTo(sink, to)).filter((m) => subject.test(m.subject ?? '')).length;
}

/** Waits for the e-mail after the `seen` first ones with this subject, and returns its link to `path`. */
async function linkFromNextMail(to: string, subject: RegExp, path: string, seen = 0): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mails = (await mailsTo(sink, to)).filter((m) => subject.test(m.subject ?? ''));
    if (mails.length > seen) return linkIn(mails[seen]!, path);
    if (Date.now() > deadline) {
      const subjects = (await mailsTo(sink, to)).map((m) => m.subject);
      assert.fail(`no e-mail « ${subject.source} » for ${to} (received: ${subjects.join(' / ') || 'none'})`);
    }
    await sleep(250);
  }
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function assertVisible(locator: Locator) {
  await locator.first().waitFor({ state: 'visible', timeout: 5000 });
}

/** Fills the login form and sends it, without expecting it to succeed. */
async function tryLogIn(page: Page, login: string, password: string) {
  await page.goto('/connexion');
  await page.getByLabel('Identifiant', { exact: true }).fill(login);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Connexion', exact: true }).click();
  await page.waitForLoadState();
}

async function assertLoginRefused(page: Page, login: string, password: string) {
  await tryLogIn(page, login, password);
  await assertVisible(page.getByRole('alert').filter({ hasText: 'Identifiant ou mot de passe incorrect.' }));
  assert.equal(new URL(page.url()).pathname, '/connexion');
  await expectNoAxeViolations(page, 'refused login');
}

/** The header's link to « Mon compte » carries the name of the person signed in. */
const accountLink = (page: Page, name: string) => page.getByRole('banner').getByRole('link', { name, exact: true });

/** « Mot de passe oublié ? » from the login page: asks a link for `identifier`. */
async function askResetLink(page: Page, identifier: string) {
  await page.goto('/connexion');
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await page.waitForURL('**/mot-de-passe-oublie');
  await expectNoAxeViolations(page);
  await page.getByRole('textbox', { name: /^Adresse électronique ou identifiant\b/ }).fill(identifier);
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await assertVisible(page.getByRole('status').filter({ hasText: 'Demande enregistrée' }));
  await expectNoAxeViolations(page, 'forgotten password, link asked');
}

/** Opens a password link and chooses `password`. */
async function chooseNewPassword(page: Page, link: string, password: string) {
  await page.goto(link);
  await assertVisible(heading(page, 'Nouveau mot de passe'));
  await expectNoAxeViolations(page, '/mot-de-passe/<lien>');
  await page.getByLabel(/^Nouveau mot de passe \*/).fill(password);
  await page.getByLabel(/^Vérification \*/).fill(password);
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await page.waitForLoadState();
  const refused = await page.locator('.fr-message--error').allTextContents();
  assert.deepEqual(refused, [], 'the new password was refused');
  await assertVisible(heading(page, 'Mot de passe changé'));
  await expectNoAxeViolations(page, 'password changed');
}

const RESET_SUBJECT = /Choisir un nouveau mot de passe/;

describe('an account request, validated then activated from its e-mail', () => {
  const step = storySteps();
  const newcomer = {
    login: 'camille.martin',
    email: 'camille.martin@formation-exemple.fr',
    password: 'une phrase de passe pour le guichet',
  };
  let person: Page;
  let admin: Page;

  step('a newcomer fills in « Demande de compte » from the login page and sends it', async () => {
    person = await h.person();
    await person.goto('/connexion');
    await expectNoAxeViolations(person);
    await person.getByRole('link', { name: 'Demande de compte', exact: true }).click();
    await person.waitForURL('**/demande-de-compte');
    await assertVisible(heading(person, 'Demande de compte'));
    await expectNoAxeViolations(person);

    // Names carry « * » and a hint after the label: matched from their start.
    await person.getByRole('textbox', { name: /^Identifiant\b/ }).fill(newcomer.login);
    const civility = person.getByRole('group', { name: /^Civilité \*/ });
    // DSFR draws radios and checkboxes on their label, over the input: a person clicks the label.
    await civility.getByText('Madame', { exact: true }).click();
    assert.ok(await civility.getByLabel('Madame', { exact: true }).isChecked());
    await person.getByRole('textbox', { name: /^Nom \*/ }).fill('Martin');
    await person.getByRole('textbox', { name: /^Prénom\b/ }).fill('Camille');
    await person.getByRole('textbox', { name: /^Email\b/ }).fill(newcomer.email);
    await person.getByRole('textbox', { name: /^Téléphone\b/ }).fill('01 22 33 44 55');
    const applications = person.getByRole('group', { name: /^Applications\b/ });
    await applications.getByText('CERES', { exact: true }).click();
    await applications.getByText('Ariane', { exact: true }).click();
    assert.ok(await applications.getByLabel('CERES', { exact: true }).isChecked());
    await person.getByRole('combobox', { name: /^Région\b/ }).selectOption({ label: 'Occitanie' });
    await person.getByRole('textbox', { name: /^Nom de la structure\b/ }).fill('Centre de formation Les Platanes');
    await person.getByRole('combobox', { name: /^Nature de la structure\b/ }).selectOption({ label: 'Organisme de formation' });
    await person.getByRole('combobox', { name: /^Type de structure\b/ }).selectOption({ label: 'Associatif' });
    await person.getByLabel(/^Mot de passe \*/).fill(newcomer.password);
    await person.getByLabel(/^Vérification \*/).fill(newcomer.password);
    await person.getByRole('button', { name: 'Envoyer ma demande' }).click();

    await person.waitForURL('**/demande-de-compte/envoyee');
    await assertVisible(heading(person, 'Demande de compte envoyée'));
    await assertVisible(person.getByRole('status').filter({ hasText: 'va être examinée par l’assistance' }));
    await expectNoAxeViolations(person);
  });

  step('the newcomer cannot log in yet', async () => {
    await assertLoginRefused(person, newcomer.login, newcomer.password);
  });

  step('the administrator opens the request from « Demandes de compte » and validates it', async () => {
    admin = await h.person('admin');
    await expectNoAxeViolations(admin);
    await menuLink(admin, 'Administration').click();
    await admin.waitForURL('**/admin');
    await expectNoAxeViolations(admin);
    await admin.getByRole('link', { name: 'Demandes de compte', exact: true }).click();
    await admin.waitForURL('**/admin/demandes-de-compte');
    await expectNoAxeViolations(admin);
    const row = admin.getByRole('row').filter({ hasText: newcomer.login });
    await assertVisible(row.getByText('En attente'));
    await row.getByRole('link', { name: 'Mme Camille MARTIN' }).click();
    await assertVisible(heading(admin, 'Demande de compte de Mme Camille MARTIN'));
    await assertVisible(admin.getByRole('row', { name: 'Nom de la structure Centre de formation Les Platanes' }));
    await assertVisible(admin.getByRole('row', { name: 'Applications Ariane, CERES' }));
    await expectNoAxeViolations(admin);
    await admin.getByRole('button', { name: 'Valider', exact: true }).click();
    await assertVisible(admin.getByRole('row', { name: 'Statut Validée' }));
    assert.equal(await admin.getByRole('button', { name: 'Valider', exact: true }).count(), 0);
    await expectNoAxeViolations(admin);
  });

  step('the activation e-mail arrives; its link activates the account with « Activer mon compte »', async () => {
    const link = await linkFromNextMail(newcomer.email, /Activez votre compte/, '/activation/');
    assert.equal(new URL(link).origin, h.url);
    // Validated but not activated: still no login.
    await assertLoginRefused(person, newcomer.login, newcomer.password);
    await person.goto(link);
    await assertVisible(heading(person, 'Activer mon compte'));
    await expectNoAxeViolations(person);
    await person.getByRole('button', { name: 'Activer mon compte' }).click();
    await assertVisible(heading(person, 'Compte activé'));
    await assertVisible(person.getByRole('status').filter({ hasText: 'vous pouvez vous connecter' }));
    await expectNoAxeViolations(person);
  });

  step('the person logs in and sees their name in the header', async () => {
    await person.getByRole('link', { name: 'Aller à la connexion' }).click();
    await person.waitForURL('**/connexion');
    await logIn(person, newcomer.login, newcomer.password);
    assert.equal(new URL(person.url()).pathname, '/');
    await assertVisible(accountLink(person, 'Camille MARTIN'));
    await expectNoAxeViolations(person);
  });
});

describe('« Mot de passe oublié ? »: a link by e-mail sets a new password, once', () => {
  const step = storySteps();
  const email = `direccte@${DEMO_DOMAIN}`;
  const newPassword = 'un tout nouveau mot de passe pour la direction';
  let person: Page;
  let link = '';

  step('direccte asks a link from the login page; the e-mail arrives', async () => {
    person = await h.person();
    const seen = await mailCount(email, RESET_SUBJECT);
    await askResetLink(person, 'direccte');
    link = await linkFromNextMail(email, RESET_SUBJECT, '/mot-de-passe/', seen);
    assert.equal(new URL(link).origin, h.url);
  });

  step('the link sets a new password', async () => {
    await chooseNewPassword(person, link, newPassword);
  });

  step('the same link used again is refused', async () => {
    const response = await person.goto(link);
    assert.equal(response?.status(), 410);
    await assertVisible(heading(person, 'Lien non valide'));
    await assertVisible(person.getByRole('alert').filter({ hasText: 'Ce lien a déjà été utilisé.' }));
    await expectNoAxeViolations(person, 'used password link');
    assert.equal(await person.getByRole('button', { name: 'Enregistrer le mot de passe' }).count(), 0);
  });

  step('the old password no longer works, the new one does', async () => {
    await assertLoginRefused(person, 'direccte', PASSWORD);
    await logIn(person, 'direccte', newPassword);
    assert.equal(new URL(person.url()).pathname, '/');
    await expectNoAxeViolations(person);
  });
});

describe('ProConnect: an agent signs in through the provider', () => {
  const step = storySteps();

  step('« S’identifier avec ProConnect », the provider’s login and consent, then the portal’s home page', async () => {
    const agent = await h.person();
    await withoutWebFonts(agent.context());
    await agent.goto('/connexion');
    await expectNoAxeViolations(agent);
    await agent.getByRole('button', { name: 'S’identifier avec ProConnect' }).click();

    // The provider's own pages (not the portal's: axe is not run there).
    await agent.waitForURL((url) => url.origin === provider.issuer);
    await agent.getByPlaceholder('Enter any login').fill('agent');
    await agent.getByPlaceholder('and password').fill('mot de passe chez le fournisseur');
    await agent.getByRole('button', { name: 'Sign-in' }).click();
    await agent.getByRole('button', { name: 'Continue' }).click();

    await agent.waitForURL((url) => url.origin === h.url && url.pathname === '/');
    await assertVisible(accountLink(agent, 'Sophie LAMBERT'));
    await assertVisible(menuLink(agent, 'Guichet'));
    await expectNoAxeViolations(agent);
  });
});

describe('two-factor authentication of the administrator', () => {
  const step = storySteps();
  const email = `admin@${DEMO_DOMAIN}`;
  let admin: Page;
  let secret = '';
  let lastStep = 0;
  let recoveryCodes: string[] = [];
  let password = PASSWORD;

  const codeField = (page: Page) => page.getByRole('textbox', { name: /^Code de vérification\b/ });
  const recoveryField = (page: Page) => page.getByRole('textbox', { name: /^Code de secours\b/ });

  /** A code the portal has not seen yet: the current step, or the next one when the current is used. */
  function freshCode() {
    lastStep = Math.max(currentStep(), lastStep + 1);
    return codeAt(secret, lastStep);
  }

  /** The error shown under a field (in the messages the field is described by). */
  async function errorOf(field: Locator) {
    const id = (await field.getAttribute('aria-describedby')) ?? '';
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    return (await field.page().locator(`[id="${id}"] .fr-message--error`).textContent())?.trim() ?? '';
  }

  /** The password step of the login, which leads to the verification page. */
  async function passwordThenVerification(page: Page) {
    await logIn(page, 'admin', password);
    assert.equal(new URL(page.url()).pathname, '/connexion/verification');
    await assertVisible(heading(page, 'Double authentification'));
    await expectNoAxeViolations(page);
  }

  async function verify(page: Page, field: Locator, code: string) {
    await field.fill(code);
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.waitForLoadState();
  }

  async function useRecoveryCode(page: Page, code: string) {
    await page.getByRole('link', { name: /Utiliser un code de secours/ }).click();
    await page.waitForURL('**/connexion/verification?secours=1');
    await expectNoAxeViolations(page);
    await verify(page, recoveryField(page), code);
  }

  async function assertSignedIn(page: Page) {
    assert.equal(new URL(page.url()).pathname, '/');
    await assertVisible(accountLink(page, 'Nadia BENALI'));
    await expectNoAxeViolations(page);
  }

  step('the administrator enrols from « Mon compte » › « Double authentification »', async () => {
    admin = await h.person('admin');
    await accountLink(admin, 'Nadia BENALI').click();
    await admin.waitForURL('**/mon-compte');
    await expectNoAxeViolations(admin);
    await admin.getByRole('link', { name: 'Double authentification', exact: true }).click();
    await admin.waitForURL('**/mon-compte/double-authentification');
    await assertVisible(admin.getByText('La double authentification n’est pas activée sur votre compte.'));
    await expectNoAxeViolations(admin);
    await admin.getByRole('button', { name: 'Activer la double authentification' }).click();
    await assertVisible(admin.getByRole('heading', { name: 'Activer la double authentification' }));
    await assertVisible(admin.getByRole('img', { name: /QR code/ }));
    await expectNoAxeViolations(admin, 'enrolment: QR code and key');

    // The key as a person reads it, in groups of four characters.
    const key = admin.getByText(/Si vous ne pouvez pas le scanner/).locator('code');
    secret = ((await key.textContent()) ?? '').replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    await codeField(admin).fill(freshCode());
    await admin.getByRole('button', { name: 'Confirmer l’activation' }).click();
    await assertVisible(heading(admin, 'Codes de secours'));
    recoveryCodes = (
      await admin
        .getByRole('listitem')
        .filter({ has: admin.locator('code') })
        .allTextContents()
    ).map((c) => c.trim());
    assert.equal(recoveryCodes.length, 10);
    await expectNoAxeViolations(admin, 'recovery codes');
    await admin.getByRole('link', { name: 'J’ai noté mes codes' }).click();
    await assertVisible(admin.getByRole('status').filter({ hasText: 'Codes de secours restants : 10 sur 10' }));
    await expectNoAxeViolations(admin, 'second factor on');
    await logOut(admin);
  });

  step('the password then the code: a wrong code and a used code are refused next to the field', async () => {
    await passwordThenVerification(admin);
    const right = codeAt(secret, Math.max(currentStep(), lastStep + 1));
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    await verify(admin, codeField(admin), wrong);
    assert.match(await errorOf(codeField(admin)), /^Code incorrect/);
    assert.match(await admin.title(), /^Erreur – /);
    await expectNoAxeViolations(admin, 'wrong code');

    // The code that confirmed the enrolment has been used.
    await verify(admin, codeField(admin), codeAt(secret, lastStep));
    assert.match(await errorOf(codeField(admin)), /^Ce code a déjà été utilisé/);
    await expectNoAxeViolations(admin, 'used code');
    assert.equal(new URL(admin.url()).pathname, '/connexion/verification');

    await verify(admin, codeField(admin), freshCode());
    await assertSignedIn(admin);
    await logOut(admin);
  });

  step('a recovery code opens the session once; used again, it is refused', async () => {
    await passwordThenVerification(admin);
    await useRecoveryCode(admin, recoveryCodes[0]!);
    await assertSignedIn(admin);
    await logOut(admin);

    await passwordThenVerification(admin);
    await useRecoveryCode(admin, recoveryCodes[0]!);
    assert.match(await errorOf(recoveryField(admin)), /^Ce code de secours a déjà été utilisé/);
    await expectNoAxeViolations(admin, 'used recovery code');
    // Another code, on the same page.
    await verify(admin, recoveryField(admin), recoveryCodes[1]!);
    await assertSignedIn(admin);
    await logOut(admin);
  });

  step('after a new password through « Mot de passe oublié ? », the login still asks for the code', async () => {
    const seen = await mailCount(email, RESET_SUBJECT);
    await askResetLink(admin, 'admin');
    const link = await linkFromNextMail(email, RESET_SUBJECT, '/mot-de-passe/', seen);
    password = 'la nouvelle phrase secrète pour le portail d’assistance';
    await chooseNewPassword(admin, link, password);
    await passwordThenVerification(admin);
    // Still no session with the password alone.
    await admin.goto('/');
    await admin.waitForURL((url) => url.pathname === '/connexion');
    await passwordThenVerification(admin);
    await useRecoveryCode(admin, recoveryCodes[2]!);
    await assertSignedIn(admin);
  });
});
