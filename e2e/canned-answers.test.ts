/**
 * « Réponses types » and « Demandes liées » in the browser: an administrator writes a canned
 * answer; the agent links the request to another one, inserts the canned answer at the cursor of
 * « Traiter la demande » and sends it; the requester reads the answer. Every page passes axe.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  actionForm,
  expectNoAxeViolations,
  fileRequest,
  type Harness,
  startHarness,
  statusOf,
  storySteps,
  submit,
} from './support/browser.js';

const SUBJECT = 'Attestations illisibles';
const CANNED_TITLE = 'Modèle d’attestation corrigé';
const CANNED_BODY = 'Le modèle de la demande n° {{numero}} ({{objet}}) a été corrigé : relancez l’édition.';

describe('canned answers and linked requests', () => {
  let h: Harness;
  let requester: Page;
  let admin: Page;
  let agent: Page;
  let number: number;
  let other: number;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  step('a requester files two requests', async () => {
    requester = await h.person('demandeur');
    number = await fileRequest(requester, {
      subject: SUBJECT,
      application: 'CERES',
      blocking: false,
      description: 'Les attestations éditées sont vides.',
    });
    other = await fileRequest(requester, {
      subject: 'Attestations vides (session de mars)',
      application: 'CERES',
      blocking: false,
      description: 'Même problème sur une autre session.',
    });
  });

  step('an administrator creates a canned answer for CERES, after a refused first try', async () => {
    admin = await h.person('admin');
    await admin.goto('/admin');
    await admin.getByRole('link', { name: 'Réponses types' }).click();
    await admin.waitForURL('**/admin/reponses-types');
    await expectNoAxeViolations(admin);
    await admin.getByRole('link', { name: 'Nouvelle réponse type' }).click();
    await admin.waitForURL('**/admin/reponses-types/nouvelle');
    await expectNoAxeViolations(admin);

    await admin.getByRole('textbox', { name: /^Titre\b/ }).fill(CANNED_TITLE);
    await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await admin.waitForLoadState();
    assert.match(await admin.title(), /^Erreur – /);
    await expectNoAxeViolations(admin, 'canned answer form with errors');
    assert.equal(await admin.getByRole('textbox', { name: /^Titre\b/ }).inputValue(), CANNED_TITLE);

    await admin.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await admin.getByRole('textbox', { name: /^Texte de la réponse\b/ }).fill(CANNED_BODY);
    await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await admin.waitForURL('**/admin/reponses-types?fait=cree');
    assert.ok(await admin.getByRole('table', { name: 'CERES' }).getByRole('link', { name: CANNED_TITLE }).isVisible());
    await expectNoAxeViolations(admin);
    await admin.getByRole('link', { name: CANNED_TITLE }).click();
    await admin.waitForURL(/\/admin\/reponses-types\/\d+$/);
    await expectNoAxeViolations(admin, 'canned answer edit form');
  });

  step('the agent links the request to the other one', async () => {
    agent = await h.person('agent');
    await agent.goto(`/demandes/${number}`);
    await agent.getByRole('textbox', { name: /^Lier à la demande n°/ }).fill(String(other));
    await agent.getByRole('button', { name: 'Lier les demandes' }).click();
    await agent.waitForURL(/\?fait=1$/);
    const linked = agent.getByRole('list', { name: 'Demandes liées' });
    assert.ok(await linked.getByRole('link', { name: `n° ${other} - Attestations vides (session de mars)` }).isVisible());
    assert.ok(await linked.getByRole('button', { name: `Retirer le lien avec la demande n° ${other}` }).isVisible());
    await expectNoAxeViolations(agent, 'request page with linked requests');
  });

  step('the agent inserts the canned answer at the cursor of « Traiter la demande » and sends it', async () => {
    await agent.getByRole('button', { name: 'Traiter la demande', exact: true, expanded: false }).click();
    const form = actionForm(agent, 'Traiter la demande');
    const message = form.getByRole('textbox');
    await message.fill('Bonjour,\n\nCordialement.');
    // The cursor after « Bonjour, » and the blank line, as a person would click there.
    await message.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(10, 10));
    await form.getByRole('combobox', { name: /^Réponse type/ }).selectOption({ label: CANNED_TITLE });
    const url = agent.url();
    await form.getByRole('button', { name: /^Insérer/ }).click();
    const inserted = `Le modèle de la demande n° ${number} (${SUBJECT}) a été corrigé : relancez l’édition.`;
    assert.equal(await message.inputValue(), `Bonjour,\n\n${inserted}Cordialement.`);
    assert.equal(agent.url(), url, 'inserted in the page, without sending the form');
    await expectNoAxeViolations(agent, 'request page with the answer form open');
    await submit(agent, form.getByRole('button', { name: 'Traiter la demande', exact: true }));
    assert.equal(await statusOf(agent), 'Traitée');

    await requester.goto(`/demandes/${number}`);
    const answer = requester.getByRole('region', { name: 'Réponse de l’assistance' });
    assert.match((await answer.textContent()) ?? '', /relancez l’édition/);
    assert.equal(await requester.getByRole('combobox', { name: /^Réponse type/ }).count(), 0);
    assert.ok(
      await requester
        .getByRole('list', { name: 'Demandes liées' })
        .getByRole('link', { name: new RegExp(`^n° ${other} `) })
        .isVisible(),
    );
    await expectNoAxeViolations(requester, 'requester’s page with the answer and linked requests');
  });

  step('without JavaScript, « Insérer » brings the form back with the text after what was typed', async () => {
    const noJs = await h.person('agent', { javaScript: false });
    await noJs.goto(`/demandes/${other}`);
    const form = actionForm(noJs, 'Demander un complément');
    await form.getByRole('textbox').fill('Bonjour,');
    await form.getByRole('combobox', { name: /^Réponse type/ }).selectOption({ label: CANNED_TITLE });
    await form.getByRole('button', { name: /^Insérer/ }).click();
    await noJs.waitForLoadState();
    const again = actionForm(noJs, 'Demander un complément');
    const inserted = `Le modèle de la demande n° ${other} (Attestations vides (session de mars)) a été corrigé : relancez l’édition.`;
    assert.equal(await again.getByRole('textbox').inputValue(), `Bonjour,\n\n${inserted}`);
    assert.doesNotMatch(await noJs.title(), /^Erreur/);
    await expectNoAxeViolations(noJs, 'request page after inserting without JavaScript');
    await submit(noJs, again.getByRole('button', { name: 'Demander un complément', exact: true }));
    assert.equal(await statusOf(noJs), 'En attente de complément');
  });
});
