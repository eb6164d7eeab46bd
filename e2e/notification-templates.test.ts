/**
 * Notifications in a browser, by labels and roles, with axe on each state: « Modèles de courriels »
 * (the list, the form, its preview, an unknown variable refused next to the field, saved, reset;
 * the preview works without JavaScript too), an agent's choice for new requests in « Mon compte »,
 * and the warning agents see on a request whose mail was refused by the mail server.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { MailSink } from '../test/support/mail-sink.js';
import { expectNoAxeViolations, fileRequest, type Harness, startHarness, storySteps } from './support/browser.js';

describe('notifications in the browser: templates, preference, refused mail', () => {
  let h: Harness;
  let admin: Page;
  const step = storySteps();

  const sink = new MailSink();

  before(async () => {
    const port = await sink.start();
    h = await startHarness({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  });
  after(async () => {
    await h?.stop();
    await sink.stop();
  });

  const subject = () => admin.getByLabel('Objet', { exact: false });
  const body = () => admin.getByLabel('Texte du courriel', { exact: false });

  step('the administrator finds the templates from the administration home', async () => {
    admin = await h.person('admin');
    await admin.goto('/admin');
    await admin.getByRole('link', { name: 'Modèles de courriels' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Modèles de courriels' }).waitFor();
    await expectNoAxeViolations(admin, 'list');
    await admin.getByRole('link', { name: 'Demande traitée (réponse)' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Demande traitée (réponse)' }).waitFor();
    assert.match((await admin.getByRole('region', { name: 'Variables disponibles' }).textContent()) ?? '', /\{\{reponse\}\}/);
    await expectNoAxeViolations(admin, 'form');
  });

  step('an unknown variable is refused next to the field, with the error summary, and the text is kept', async () => {
    await subject().fill('Réponse à votre demande {{numero}} {{inconnue}}');
    await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await admin.getByRole('heading', { name: 'Le formulaire contient une erreur' }).waitFor();
    assert.match((await admin.locator('#subject-messages').textContent()) ?? '', /Variable inconnue : \{\{inconnue\}\}/);
    assert.equal(await subject().inputValue(), 'Réponse à votre demande {{numero}} {{inconnue}}');
    await expectNoAxeViolations(admin, 'refused');
  });

  step('the preview shows the mail with sample values, without saving', async () => {
    await subject().fill('Réponse à votre demande {{numero}}');
    await body().fill('Bonjour {{destinataire}},\n\n{{reponse}}\n\n{{lien}}');
    await admin.getByRole('button', { name: 'Aperçu' }).click();
    const preview = admin.getByRole('region', { name: 'Aperçu avec des valeurs d’exemple' });
    await preview.waitFor();
    const text = (await preview.textContent()) ?? '';
    assert.match(text, /Réponse à votre demande 67100/);
    assert.match(text, /Bonjour Hélène RIVIÈRE,/);
    assert.equal(await admin.getByRole('button', { name: 'Rétablir le modèle par défaut' }).count(), 0);
    await expectNoAxeViolations(admin, 'preview');
  });

  step('saved, then back to the default', async () => {
    await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await admin.getByText('Le modèle a été enregistré : il sert dès le prochain courriel.').waitFor();
    assert.equal(await subject().inputValue(), 'Réponse à votre demande {{numero}}');
    await expectNoAxeViolations(admin, 'saved');
    await admin.getByRole('button', { name: 'Rétablir le modèle par défaut' }).click();
    await admin.getByText('Le modèle par défaut a été rétabli.').waitFor();
    assert.equal(await subject().inputValue(), '[Demande n° {{numero}}] Votre demande a été traitée');
    await admin.goto('/admin/modeles');
    await expectNoAxeViolations(admin, 'list after reset');
  });

  step('without JavaScript, the preview is a plain form post', async () => {
    const page = await h.person('admin', { javaScript: false });
    await page.goto('/admin/modeles/receipt');
    await page.getByLabel('Objet', { exact: false }).fill('Accusé {{numero}}');
    await page.getByRole('button', { name: 'Aperçu' }).click();
    await page.getByRole('region', { name: 'Aperçu avec des valeurs d’exemple' }).waitFor();
    assert.match(
      (await page.getByRole('region', { name: 'Aperçu avec des valeurs d’exemple' }).textContent()) ?? '',
      /Accusé 67100/,
    );
    await expectNoAxeViolations(page, 'preview without JavaScript');
  });

  step('an agent chooses a daily digest of new requests in « Mon compte »', async () => {
    const agent = await h.person('agent');
    await agent.goto('/mon-compte');
    const choice = agent.getByRole('group', { name: /Nouvelles demandes de mes applications/ });
    assert.ok(await choice.getByLabel('À chaque demande').isChecked());
    await expectNoAxeViolations(agent, 'Mon compte (agent)');
    // DSFR draws the radio on its label: a person clicks the label.
    await choice.getByText('Un récapitulatif quotidien', { exact: true }).click();
    await agent.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
    await agent.getByText('Vos préférences de notification ont été enregistrées.').waitFor();
    assert.ok(await choice.getByLabel('Un récapitulatif quotidien').isChecked());
    await expectNoAxeViolations(agent, 'Mon compte (agent), saved');
  });

  step('a mail refused by the server shows as a warning to agents on the request', async () => {
    sink.reject.add('demandeur@demo.assistance.localhost');
    const requester = await h.person('demandeur');
    const number = await fileRequest(requester, {
      subject: 'Adresse refusée par le serveur',
      application: 'CERES',
      blocking: false,
      description: 'Le serveur de courrier refuse mon adresse.',
    });
    const row = async () =>
      (
        await h.portal.database.db.execute(
          sql`select o.status from outbox o join requests r on r.id = o.request_id where r.number = ${number} and o.kind = 'receipt'`,
        )
      ).rows[0] as { status: string } | undefined;
    const deadline = Date.now() + 30_000;
    while ((await row())?.status !== 'failed') {
      assert.ok(Date.now() < deadline, 'the receipt is marked failed by the worker');
      await sleep(250);
    }
    const agent = await h.person('agent');
    await agent.goto(`/demandes/${number}`);
    await agent
      .getByText(/Le courriel « Accusé de réception » à demandeur@demo\.assistance\.localhost n’a pas pu être envoyé : .*550/)
      .waitFor();
    await expectNoAxeViolations(agent, 'request page with a failed mail');
    await requester.goto(`/demandes/${number}`);
    assert.equal(await requester.getByText(/n’a pas pu être envoyé/).count(), 0);
  });
});
