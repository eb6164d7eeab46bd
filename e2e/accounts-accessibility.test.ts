/**
 * axe-core (WCAG 2.0/2.1 A and AA) over the account pages, each in the states a person meets it in,
 * for the role that sees it: account request (empty, refused, sent), activation (valid and used
 * link), forgotten password and new password (sent, refused, used link), the login's second step,
 * « Mon compte » and each step of « Double authentification », the administration of account
 * requests and users. E-mails go over SMTP to a real server in this process, for their links.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { linkIn, MailSink, mailsTo } from '../test/support/mail-sink.js';
import { codeAt, currentStep } from '../test/support/totp.js';
import { expectNoAxeViolations, freePort, type Harness, logIn, logOut, startHarness, storySteps } from './support/browser.js';

const NEWCOMER = {
  login: 'lea.dupont',
  email: 'lea.dupont@formation-exemple.fr',
  password: 'une phrase de passe bien longue',
};

let h: Harness;
let sink: MailSink;

before(async () => {
  sink = new MailSink();
  const smtpPort = await sink.start();
  const port = await freePort();
  h = await startHarness({
    env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` },
  });
});
after(async () => {
  await h?.stop();
  await sink?.stop();
});

/** Waits for the e-mail after the `seen` first ones with this subject, and returns its link to `path`. */
async function linkFromNextMail(to: string, subject: RegExp, path: string, seen = 0): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mails = (await mailsTo(sink, to)).filter((m) => subject.test(m.subject ?? ''));
    if (mails.length > seen) return linkIn(mails[seen]!, path);
    if (Date.now() > deadline) assert.fail(`no e-mail « ${subject.source} » for ${to}`);
    await sleep(250);
  }
}

/**
 * axe on the page as it is, with the expected status and title; failures are collected so that a
 * test reports every page at fault, not only the first.
 */
function checker() {
  const failures: string[] = [];
  async function check(page: Page, label: string, heading: string | RegExp) {
    try {
      await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 5000 });
      await expectNoAxeViolations(page, label);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  /** Visits `path`, expects `status`, then checks. */
  async function visit(page: Page, path: string, heading: string | RegExp, status = 200) {
    const response = await page.goto(path);
    if (response?.status() !== status) failures.push(`${path}: status ${response?.status()}, expected ${status}`);
    await check(page, path.replace(/\/(activation|mot-de-passe)\/[^/?]{20,}/, '/$1/<lien>'), heading);
  }
  return {
    check,
    visit,
    done() {
      assert.deepEqual(failures, [], `\n${failures.join('\n\n')}`);
    },
  };
}

/** Sends the current form with `button` and waits for the answer. */
async function send(page: Page, button: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForLoadState();
}

/** The field named `label` is marked invalid and described by its error message. */
async function assertFieldError(page: Page, label: RegExp) {
  const field = page.getByLabel(label);
  assert.equal(await field.getAttribute('aria-invalid'), 'true', `${label.source}: not marked invalid`);
  const messages = (await field.getAttribute('aria-describedby')) ?? '';
  const error = page.locator(`[id="${messages}"] .fr-message--error`);
  assert.ok(((await error.textContent()) ?? '').trim(), `${label.source}: no error message`);
}

describe('accessibility of the account pages', () => {
  const step = storySteps();
  let visitor: Page;
  let admin: Page;
  let activationLink = '';

  step('account request: empty, refused with errors, sent', async () => {
    const { check, visit, done } = checker();
    visitor = await h.person();
    await visit(visitor, '/demande-de-compte', 'Demande de compte');
    await send(visitor, 'Envoyer ma demande');
    assert.ok(await visitor.getByRole('alert').filter({ hasText: 'Le formulaire contient' }).isVisible());
    await check(visitor, '/demande-de-compte, refused', 'Demande de compte');

    await visitor.getByRole('textbox', { name: /^Identifiant\b/ }).fill(NEWCOMER.login);
    await visitor
      .getByRole('group', { name: /^Civilité \*/ })
      .getByText('Madame', { exact: true })
      .click();
    await visitor.getByRole('textbox', { name: /^Nom \*/ }).fill('Dupont');
    await visitor.getByRole('textbox', { name: /^Prénom\b/ }).fill('Léa');
    await visitor.getByRole('textbox', { name: /^Email\b/ }).fill(NEWCOMER.email);
    await visitor.getByRole('textbox', { name: /^Téléphone\b/ }).fill('04 67 00 00 00');
    await visitor
      .getByRole('group', { name: /^Applications\b/ })
      .getByText('CERES', { exact: true })
      .click();
    await visitor.getByRole('combobox', { name: /^Région\b/ }).selectOption({ label: 'Bretagne' });
    await visitor.getByRole('textbox', { name: /^Nom de la structure\b/ }).fill('Organisme de formation du Ponant');
    await visitor.getByRole('combobox', { name: /^Nature de la structure\b/ }).selectOption({ label: 'Organisme de formation' });
    await visitor.getByRole('combobox', { name: /^Type de structure\b/ }).selectOption({ label: 'Privé' });
    await visitor.getByLabel(/^Mot de passe \*/).fill(NEWCOMER.password);
    await visitor.getByLabel(/^Vérification \*/).fill(NEWCOMER.password);
    await send(visitor, 'Envoyer ma demande');
    await check(visitor, '/demande-de-compte/envoyee', 'Demande de compte envoyée');
    assert.equal(new URL(visitor.url()).pathname, '/demande-de-compte/envoyee');
    done();
  });

  step('administration of account requests: the list, a request, a refused decision, the validation', async () => {
    const { check, visit, done } = checker();
    admin = await h.person('admin');
    await visit(admin, '/admin/demandes-de-compte', 'Demandes de compte');
    await admin.getByRole('link', { name: 'Mme Léa DUPONT' }).click();
    await check(admin, 'account request, pending', 'Demande de compte de Mme Léa DUPONT');
    // « Refuser » without a reason: the error is shown next to the field.
    await send(admin, 'Refuser');
    await assertFieldError(admin, /^Raison du refus\b/);
    await check(admin, 'account request, refusal without a reason', 'Demande de compte de Mme Léa DUPONT');
    await send(admin, 'Valider');
    await check(admin, 'account request, validated', 'Demande de compte de Mme Léa DUPONT');
    assert.ok(await admin.getByRole('row', { name: 'Statut Validée' }).isVisible());
    activationLink = await linkFromNextMail(NEWCOMER.email, /Activez votre compte/, '/activation/');
    done();
  });

  step('activation: a valid link, then the same link used', async () => {
    const { check, visit, done } = checker();
    await visit(visitor, activationLink, 'Activer mon compte');
    await send(visitor, 'Activer mon compte');
    await check(visitor, 'account activated', 'Compte activé');
    await visit(visitor, activationLink, 'Activation impossible', 410);
    done();
  });

  step('forgotten password: sent, then the new password page, refused, and its used link', async () => {
    const { check, visit, done } = checker();
    await visit(visitor, '/mot-de-passe-oublie', 'Mot de passe oublié');
    await send(visitor, 'Recevoir un lien');
    await check(visitor, '/mot-de-passe-oublie, empty', 'Mot de passe oublié');
    await visitor.getByRole('textbox', { name: /^Adresse électronique ou identifiant\b/ }).fill(NEWCOMER.login);
    await send(visitor, 'Recevoir un lien');
    assert.ok(await visitor.getByRole('status').filter({ hasText: 'Demande enregistrée' }).isVisible());
    await check(visitor, '/mot-de-passe-oublie, sent', 'Mot de passe oublié');

    const link = await linkFromNextMail(NEWCOMER.email, /Choisir un nouveau mot de passe/, '/mot-de-passe/');
    await visit(visitor, link, 'Nouveau mot de passe');
    await visitor.getByLabel(/^Nouveau mot de passe \*/).fill('un nouveau mot de passe assez long');
    await visitor.getByLabel(/^Vérification \*/).fill('un autre mot de passe assez long');
    await send(visitor, 'Enregistrer le mot de passe');
    assert.ok(await visitor.getByText('Les deux mots de passe ne sont pas identiques.').first().isVisible());
    await check(visitor, '/mot-de-passe/<lien>, refused', 'Nouveau mot de passe');
    await visitor.getByLabel(/^Nouveau mot de passe \*/).fill('un nouveau mot de passe assez long');
    await visitor.getByLabel(/^Vérification \*/).fill('un nouveau mot de passe assez long');
    await send(visitor, 'Enregistrer le mot de passe');
    await check(visitor, 'password changed', 'Mot de passe changé');
    await visit(visitor, link, 'Lien non valide', 410);
    await visit(visitor, '/mot-de-passe/un-lien-inconnu', 'Lien non valide', 410);
    done();
  });

  step('« Mon compte » of a requester', async () => {
    const { visit, done } = checker();
    await logIn(visitor, NEWCOMER.login, 'un nouveau mot de passe assez long');
    await visit(visitor, '/mon-compte', 'Mon compte');
    done();
  });

  step('« Double authentification »: each step of the enrolment, then the login’s second step', async () => {
    const { check, visit, done } = checker();
    const expert = await h.person('expert');
    await visit(expert, '/mon-compte', 'Mon compte');
    await visit(expert, '/mon-compte/double-authentification', 'Double authentification');
    await send(expert, 'Activer la double authentification');
    await check(expert, 'enrolment: QR code and key', 'Double authentification');
    const secret = (
      (await expert
        .getByText(/Si vous ne pouvez pas le scanner/)
        .locator('code')
        .textContent()) ?? ''
    ).replace(/\s+/g, '');
    const codeField = expert.getByRole('textbox', { name: /^Code de vérification\b/ });
    const step = currentStep();
    const right = codeAt(secret, step);
    await codeField.fill(String((Number(right) + 1) % 1_000_000).padStart(6, '0'));
    await send(expert, 'Confirmer l’activation');
    await assertFieldError(expert, /^Code de vérification\b/);
    await check(expert, 'enrolment: wrong code', 'Double authentification');
    await codeField.fill(right);
    await send(expert, 'Confirmer l’activation');
    await check(expert, 'enrolment: recovery codes', 'Codes de secours');
    const recoveryCode = ((await expert.locator('#recovery-codes code').first().textContent()) ?? '').trim();
    await expert.getByRole('link', { name: 'J’ai noté mes codes' }).click();
    await check(expert, 'second factor on', 'Double authentification');
    // Turning it off with a wrong password: errors next to the fields.
    await expert.getByLabel(/^Mot de passe \*/).fill('pas le bon mot de passe');
    await expert.getByRole('textbox', { name: /^Code de vérification ou code de secours\b/ }).fill('000000');
    await send(expert, 'Désactiver la double authentification');
    await assertFieldError(expert, /^Mot de passe \*/);
    await check(expert, 'turning off refused', 'Double authentification');

    await logOut(expert);
    await logIn(expert, 'expert');
    await check(expert, '/connexion/verification', 'Double authentification');
    await expert.getByRole('textbox', { name: /^Code de vérification\b/ }).fill(right);
    await send(expert, 'Vérifier');
    await assertFieldError(expert, /^Code de vérification\b/);
    await check(expert, '/connexion/verification, used code', 'Double authentification');
    await visit(expert, '/connexion/verification?secours=1', 'Double authentification');
    await expert.getByRole('textbox', { name: /^Code de secours\b/ }).fill('AAAAA-22222');
    await send(expert, 'Vérifier');
    await assertFieldError(expert, /^Code de secours\b/);
    await check(expert, '/connexion/verification?secours=1, wrong code', 'Double authentification');
    await expert.getByRole('textbox', { name: /^Code de secours\b/ }).fill(recoveryCode);
    await send(expert, 'Vérifier');
    assert.equal(new URL(expert.url()).pathname, '/');
    done();
  });

  step('administration of users: the list and one user', async () => {
    const { check, visit, done } = checker();
    await visit(admin, '/admin/utilisateurs', 'Utilisateurs');
    await admin.getByRole('link', { name: 'Léa DUPONT' }).click();
    await check(admin, 'a user’s page', /Léa DUPONT/);
    await visit(admin, '/mon-compte', 'Mon compte');
    done();
  });
});
