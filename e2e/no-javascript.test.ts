/**
 * The same story with JavaScript disabled: every page and form must work from its HTML alone
 * (the scripts only enhance). axe checks each page's no-JavaScript HTML.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  act,
  actionForm,
  expectNoAxeViolations,
  fileRequest,
  type Harness,
  logIn,
  logOut,
  menuLink,
  startHarness,
  statusOf,
  storySteps,
  submit,
  writePng,
} from './support/browser.js';

const SUBJECT = 'Agréments - export impossible';
const NO_JS = { javaScript: false };

describe('the story without JavaScript', () => {
  let h: Harness;
  let requester: Page;
  let agent: Page;
  let number: number;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  step('no control that needs the script is offered', async () => {
    requester = await h.person(undefined, NO_JS);
    await requester.goto('/connexion');
    await expectNoAxeViolations(requester);
    await requester.getByLabel('Mot de passe', { exact: true }).waitFor();
    assert.equal(await requester.getByLabel('Afficher le mot de passe').isVisible(), false);
    assert.equal(await requester.getByRole('button', { name: 'Paramètres d’affichage' }).count(), 0);
    assert.equal(await requester.getByRole('button', { name: 'Menu' }).count(), 0);
  });

  step('the theme list is one select, grouped by application', async () => {
    await logIn(requester, 'demandeur');
    await requester.goto('/demandes/nouvelle');
    await expectNoAxeViolations(requester);
    const themes = requester.getByRole('combobox', { name: /^Thème\b/ });
    assert.equal(await themes.count(), 1);
    const groups = await themes.locator('optgroup').evaluateAll((list) =>
      list.map((g) => ({
        label: (g as HTMLOptGroupElement).label,
        usable: !(g as HTMLOptGroupElement).disabled && !(g as HTMLOptGroupElement).hidden,
        options: Array.from(g.querySelectorAll('option'), (o) => o.textContent),
      })),
    );
    const ceres = groups.find((g) => g.label === 'CERES');
    assert.ok(ceres?.usable, JSON.stringify(groups));
    assert.ok(ceres.options.includes('base des agréments'));
    assert.ok(groups.every((g) => g.usable));
  });

  step('the requester files a request with a screenshot', async () => {
    number = await fileRequest(requester, {
      subject: SUBJECT,
      application: 'CERES',
      blocking: false,
      theme: 'base des agréments',
      description: 'L’export de la liste des agréments en CSV renvoie un fichier vide.',
      files: [writePng(h.filesDir)],
    });
    await expectNoAxeViolations(requester);
    assert.equal(await statusOf(requester), 'Nouvelle');
    await requester
      .getByRole('link', { name: /capture-ecran\.png/ })
      .first()
      .waitFor();
  });

  step('a refused form shows its errors without JavaScript', async () => {
    await requester.goto('/demandes/nouvelle');
    await requester.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await requester.getByRole('heading', { name: /Le formulaire contient \d+ erreurs/ }).waitFor();
    assert.match(await requester.title(), /^Erreur – /);
    await expectNoAxeViolations(requester);
  });

  step('every desk action form is usable without JavaScript', async () => {
    agent = await h.person('agent', NO_JS);
    await menuLink(agent, 'Guichet').click();
    await agent.getByRole('link', { name: SUBJECT }).click();
    await expectNoAxeViolations(agent);
    for (const action of [
      'Prendre en charge',
      'Demander un complément',
      'Traiter la demande',
      'Transmettre au niveau 2',
      'Ajouter une note interne',
      'Réassigner',
    ]) {
      const form = actionForm(agent, action);
      assert.ok(await form.isVisible(), `the form « ${action} » is hidden`);
      assert.ok(await form.getByRole('button', { name: action, exact: true }).isVisible());
      // Nothing that needs the script to be read is left: no button to open a hidden panel.
      assert.equal(await agent.getByRole('button', { name: action, expanded: false }).count(), 0);
    }
    await act(agent, 'Prendre en charge');
    await act(agent, 'Demander un complément', 'Le fichier vide est-il produit depuis « Exporter » ou depuis « Imprimer » ?');
    assert.equal(await statusOf(agent), 'En attente de complément');
    await expectNoAxeViolations(agent);
  });

  step('the requester answers, the agent treats, the requester accepts', async () => {
    await requester.goto(`/demandes/${number}`);
    assert.equal(await statusOf(requester), 'En attente de complément');
    await expectNoAxeViolations(requester);
    const section = requester.getByRole('region', { name: 'J’ajoute une information' });
    await section.getByLabel(/^Commentaire\b/).fill('Depuis « Exporter », avec le filtre « 2019 ».');
    await section.getByLabel(/^Ajouter un fichier\b/).setInputFiles(writePng(h.filesDir, 'export-vide.png'));
    await submit(requester, section.getByRole('button', { name: 'Ajouter', exact: true }));
    assert.equal(await statusOf(requester), 'En cours de traitement');
    await requester
      .getByRole('link', { name: /export-vide\.png/ })
      .first()
      .waitFor();

    await agent.reload();
    await act(agent, 'Traiter la demande', 'Le correctif de l’export est en production depuis ce matin.');
    assert.equal(await statusOf(agent), 'Traitée');
    await expectNoAxeViolations(agent);

    await requester.reload();
    assert.equal(await statusOf(requester), 'Traitée');
    await requester.getByText('Le correctif de l’export est en production depuis ce matin.').first().waitFor();
    await expectNoAxeViolations(requester);
    await submit(requester, requester.getByRole('button', { name: 'Cette réponse me convient, je clos la demande' }));
    assert.equal(await statusOf(requester), 'Clôturée');
    await logOut(requester);
  });

  step('on a small screen, the menu and the logout button are reachable', async () => {
    const phone = await h.person('demandeur', { javaScript: false, viewport: { width: 375, height: 740 } });
    await menuLink(phone, 'Mes demandes').click();
    await phone.waitForURL('**/demandes');
    await phone.getByRole('link', { name: SUBJECT }).waitFor();
    const breadcrumb = phone.getByRole('navigation', { name: 'vous êtes ici :' });
    assert.ok(await breadcrumb.getByRole('link', { name: 'Accueil' }).isVisible(), 'the breadcrumb is hidden');
    await expectNoAxeViolations(phone);
    await logOut(phone);
  });
});
