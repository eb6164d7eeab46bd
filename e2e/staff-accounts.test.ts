/**
 * Staff accounts in the browser, with and without JavaScript: an administrator creates an agent
 * account through « Créer un compte », the invitation e-mail (delivered over SMTP to a real
 * server in this process) opens the page where the agent chooses a password, and the agent logs
 * in to the desk. axe runs on every portal page visited.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';
import { linkIn, MailSink, mailsTo } from '../test/support/mail-sink.js';
import { expectNoAxeViolations, freePort, type Harness, logIn, startHarness, storySteps } from './support/browser.js';

const INVITATION_SUBJECT = /Votre compte sur le portail d’assistance/;

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

async function invitationLink(to: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [mail] = (await mailsTo(sink, to)).filter((m) => INVITATION_SUBJECT.test(m.subject ?? ''));
    if (mail) return linkIn(mail, '/invitation/');
    if (Date.now() > deadline) assert.fail(`no invitation for ${to}`);
    await sleep(250);
  }
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function assertVisible(locator: Locator) {
  await locator.first().waitFor({ state: 'visible', timeout: 5000 });
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript';
  describe(`an administrator creates an agent account, who chooses a password from the invitation (${mode})`, () => {
    const step = storySteps();
    const agent = {
      login: `agent.invite.${javaScript ? 'js' : 'nojs'}`,
      email: `agent.invite.${javaScript ? 'js' : 'nojs'}@agents.localhost`,
      password: 'une phrase de passe pour le guichet',
    };
    let admin: Page;

    step('the administrator fills in « Créer un compte » from Utilisateurs', async () => {
      admin = await h.person(undefined, { javaScript });
      await logIn(admin, 'admin');
      await admin.goto('/admin/utilisateurs');
      await expectNoAxeViolations(admin);
      await admin.getByRole('link', { name: 'Créer un compte', exact: true }).click();
      await admin.waitForURL('**/admin/utilisateurs/nouveau');
      await assertVisible(heading(admin, 'Créer un compte'));
      await expectNoAxeViolations(admin);

      // DSFR draws radios and checkboxes on their label: a person clicks the label.
      await admin
        .getByRole('group', { name: /^Civilité \*/ })
        .getByText('Madame', { exact: true })
        .click();
      await admin.getByRole('textbox', { name: /^Prénom\b/ }).fill('Inès');
      await admin.getByRole('textbox', { name: /^Nom \*/ }).fill('Garnier');
      // An identifiant already taken first: the error stands next to the field, what was typed stays.
      const login = admin.getByRole('textbox', { name: /^Identifiant\b/ });
      await login.fill('agent');
      await admin.getByRole('textbox', { name: /^Adresse électronique\b/ }).fill(agent.email);
      await admin
        .getByRole('group', { name: /^Rôle \*/ })
        .getByText('Agent niveau 1', { exact: true })
        .click();
      const applications = admin.getByRole('group', { name: /^Applications couvertes\b/ });
      await applications.getByText('CERES', { exact: true }).click();
      assert.ok(await applications.getByLabel('CERES', { exact: true }).isChecked());
      const send = admin.getByRole('button', { name: 'Créer le compte et envoyer l’invitation' });
      await send.click();
      await admin.waitForLoadState();
      await assertVisible(admin.locator('#login-messages').getByText('Cet identifiant est déjà utilisé', { exact: false }));
      assert.equal(await admin.getByRole('textbox', { name: /^Adresse électronique\b/ }).inputValue(), agent.email);
      assert.ok(await applications.getByLabel('CERES', { exact: true }).isChecked());
      await expectNoAxeViolations(admin, 'refused: identifiant taken');
      await login.fill(agent.login);
      await send.click();

      await admin.waitForURL(/\/admin\/utilisateurs\/\d+\?fait=cree/);
      await assertVisible(admin.getByText('Le compte a été créé.', { exact: false }));
      await assertVisible(admin.getByRole('button', { name: 'Renvoyer l’invitation' }));
      await expectNoAxeViolations(admin, 'account created');
    });

    step('the invitation e-mail’s link sets the password, once', async () => {
      const link = await invitationLink(agent.email);
      const person = await h.person(undefined, { javaScript });
      await person.goto(link);
      await assertVisible(heading(person, 'Choisir mon mot de passe'));
      await expectNoAxeViolations(person, '/invitation/<lien>');
      await person.getByLabel(/^Nouveau mot de passe \*/).fill(agent.password);
      await person.getByLabel(/^Vérification \*/).fill(agent.password);
      await person.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
      await person.waitForLoadState();
      assert.deepEqual(await person.locator('.fr-message--error').allTextContents(), [], 'the password was refused');
      await assertVisible(heading(person, 'Mot de passe enregistré'));
      await expectNoAxeViolations(person, 'password chosen');

      await person.goto(link);
      await assertVisible(heading(person, 'Invitation non valide'));
      await expectNoAxeViolations(person, 'invitation used');
    });

    step('the new agent logs in and reaches the desk', async () => {
      const person = await h.person(undefined, { javaScript });
      await logIn(person, agent.login, agent.password);
      await person.goto('/guichet');
      assert.equal(new URL(person.url()).pathname, '/guichet');
      await assertVisible(person.getByRole('heading', { level: 1 }));
      await expectNoAxeViolations(person, 'desk of the new agent');
    });
  });
}
