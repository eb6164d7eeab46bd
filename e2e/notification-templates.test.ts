/**
 * « Modèles de courriels » in a browser, by labels and roles, with axe on each state: the list,
 * the form, its preview, an unknown variable refused next to the field, saved, reset. The preview
 * and the errors work without JavaScript too (plain form posts).
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, type Harness, startHarness, storySteps } from './support/browser.js';

describe('administration of e-mail templates', () => {
  let h: Harness;
  let admin: Page;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

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
});
