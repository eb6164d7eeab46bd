/**
 * Filing on behalf, in the browser: an agent takes a call, finds the caller's account and files
 * their request in two steps, by keyboard; the history says « Créée par … pour … ». A regional
 * requester files « pour le compte de » a local agent, the agent's fields revealed by a box (always
 * shown without JavaScript). Every step passes axe, refused forms included.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, type Harness, startHarness, storySteps } from './support/browser.js';

const SUBJECT = 'Attestations introuvables';
const DESCRIPTION = 'Appel de Mme Rivière : les attestations de la session du 12 mars ne s’éditent plus.';

/** The words of the history's creation line. */
async function creationLine(page: Page): Promise<string> {
  const item = page.locator('.guichet-history__item').first().locator('p').first();
  return ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('filing on behalf', () => {
  let h: Harness;
  let agent: Page;
  let number: number;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  step('the agent opens « Nouvelle demande pour un appelant » from the desk and finds the caller, accents left out', async () => {
    agent = await h.person('agent');
    await agent.goto('/guichet');
    const link = agent.getByRole('link', { name: 'Nouvelle demande pour un appelant' });
    await link.focus();
    await agent.keyboard.press('Enter');
    await agent.waitForURL('**/guichet/nouvelle-demande');
    await expectNoAxeViolations(agent, 'search, before searching');

    // Too short: refused with a message next to the field.
    const search = agent.getByRole('searchbox', { name: /^Rechercher un demandeur/ });
    await search.fill('h');
    await search.press('Enter');
    await agent.waitForURL(/recherche=h$/);
    assert.match(await agent.title(), /^Erreur – /);
    assert.equal(await agent.getByRole('searchbox', { name: /^Rechercher un demandeur/ }).getAttribute('aria-invalid'), 'true');
    await expectNoAxeViolations(agent, 'search refused');

    await agent.getByRole('searchbox', { name: /^Rechercher un demandeur/ }).fill('helene riviere');
    await agent.keyboard.press('Enter');
    await agent.waitForURL(/recherche=helene\+riviere/);
    const table = agent.getByRole('table', { name: 'Comptes de demandeurs actifs correspondant à « helene riviere »' });
    await table.waitFor();
    assert.equal(await table.getByRole('row').count(), 2, 'a header row and one account');
    await expectNoAxeViolations(agent, 'search results');
  });

  step('step 2: the usual form with the caller shown and « Canal » on Téléphone; a refused form keeps it all', async () => {
    const choose = agent.getByRole('link', { name: 'Choisir Hélène RIVIÈRE' });
    await choose.focus();
    await agent.keyboard.press('Enter');
    await agent.waitForURL(/\/guichet\/nouvelle-demande\/\d+$/);
    await agent.getByRole('row', { name: 'Demandeur Hélène RIVIÈRE' }).waitFor();
    const channel = agent.getByRole('combobox', { name: /^Canal\b/ });
    assert.equal(await channel.inputValue(), 'telephone');
    assert.equal(await agent.getByRole('checkbox', { name: /pour le compte d’un agent/ }).count(), 0);
    await expectNoAxeViolations(agent, 'caller form');

    await agent.getByRole('textbox', { name: /^Sujet\b/ }).fill(SUBJECT);
    await agent.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await agent.waitForLoadState('load');
    assert.match(await agent.title(), /^Erreur – /);
    await agent.getByRole('alert').filter({ hasText: 'Le formulaire contient' }).waitFor();
    assert.equal(await agent.getByRole('textbox', { name: /^Sujet\b/ }).inputValue(), SUBJECT);
    assert.equal(await agent.getByRole('combobox', { name: /^Canal\b/ }).inputValue(), 'telephone');
    await agent.getByRole('row', { name: 'Demandeur Hélène RIVIÈRE' }).waitFor();
    await expectNoAxeViolations(agent, 'caller form refused');
  });

  step('filed by telephone: the notice links to the request, whose history says « Créée par … pour … »', async () => {
    const blocking = agent.getByRole('group', { name: /Bloquant \/ Non bloquant/ });
    await blocking.getByText('Bloquant', { exact: true }).click();
    await agent.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await agent.getByRole('textbox', { name: /^Description\b/ }).fill(DESCRIPTION);
    await agent.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await agent.waitForURL(/\/guichet\/nouvelle-demande\?enregistree=\d+$/);
    number = Number(/enregistree=(\d+)/.exec(agent.url())![1]);
    await agent
      .getByRole('status')
      .filter({ hasText: `La demande n° ${number} a bien été enregistrée.` })
      .waitFor();
    await expectNoAxeViolations(agent, 'filed notice');

    await agent.getByRole('link', { name: `Voir la demande n° ${number}` }).click();
    await agent.waitForURL(`**/demandes/${number}`);
    assert.match(await creationLine(agent), /^Créée par Sophie LAMBERT pour Hélène RIVIÈRE \(téléphone\) le \d{2}\/\d{2}\/\d{4}/);
    await agent.getByRole('row', { name: 'Canal Téléphone' }).waitFor();
    await expectNoAxeViolations(agent, 'request filed for a caller');
  });

  step('the caller finds it in « Mes demandes », without the desk’s « Canal »', async () => {
    const caller = await h.person('demandeur');
    await caller.goto('/demandes');
    await caller
      .getByRole('link', { name: new RegExp(SUBJECT) })
      .first()
      .click();
    await caller.waitForURL(`**/demandes/${number}`);
    assert.match(await creationLine(caller), /^Créée par l’assistance pour Hélène RIVIÈRE \(téléphone\)/);
    assert.equal(await caller.getByRole('row', { name: /^Canal/ }).count(), 0);
  });

  step('a regional requester ticks the box, the agent’s fields appear; half filled is refused; then filed', async () => {
    const regional = await h.person('direccte');
    await regional.goto('/demandes/nouvelle');
    const box = regional.getByRole('checkbox', { name: /^Je dépose cette demande pour le compte d’un agent d’une unité locale/ });
    const name = regional.getByRole('textbox', { name: /^Nom et prénom de l’agent/ });
    assert.equal(await name.isVisible(), false, 'hidden until the box is ticked');
    await expectNoAxeViolations(regional, 'regional form');
    await box.focus();
    await regional.keyboard.press('Space');
    await name.waitFor({ state: 'visible' });
    await expectNoAxeViolations(regional, 'regional form, box ticked');

    await regional.getByRole('textbox', { name: /^Sujet\b/ }).fill('Agrément introuvable');
    await regional
      .getByRole('group', { name: /Bloquant \/ Non bloquant/ })
      .getByText('Non bloquant', { exact: true })
      .click();
    await regional.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await regional.getByRole('textbox', { name: /^Description\b/ }).fill('L’unité du Finistère ne retrouve plus un agrément.');
    await name.fill('Jean DUPONT');
    await regional.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await regional.waitForLoadState('load');
    assert.match(await regional.title(), /^Erreur – /);
    const email = regional.getByRole('textbox', { name: /^Adresse électronique de l’agent/ });
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.ok(await email.isVisible(), 'the box stays ticked, the fields shown');
    assert.equal(await regional.getByRole('textbox', { name: /^Nom et prénom de l’agent/ }).inputValue(), 'Jean DUPONT');
    await expectNoAxeViolations(regional, 'regional form refused');

    await email.fill('jean.dupont@ud29.example.fr');
    const copy = regional.getByRole('checkbox', { name: /^Envoyer une copie de la réponse à cet agent/ });
    await copy.focus();
    await regional.keyboard.press('Space');
    await regional.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await regional.waitForURL(/\/demandes\/\d+\?cree=1$/);
    assert.match(
      await creationLine(regional),
      /^Créée par Yannick LE GOFF \(DIRECCTE Bretagne\) pour le compte de Jean DUPONT \(unité locale\) le /,
    );
    await regional
      .getByRole('row', { name: /^Pour le compte de Jean DUPONT \(unité locale\), jean\.dupont@ud29\.example\.fr/ })
      .waitFor();
    await expectNoAxeViolations(regional, 'request filed on behalf');
  });

  step('without JavaScript, the desk’s two steps work as plain pages', async () => {
    const desk = await h.person('agent', { javaScript: false });
    await desk.goto('/guichet/nouvelle-demande');
    await desk.getByRole('searchbox', { name: /^Rechercher un demandeur/ }).fill('LE GOFF');
    await desk.getByRole('main').getByRole('button', { name: 'Rechercher' }).click();
    await desk.getByRole('link', { name: 'Choisir Yannick LE GOFF' }).click();
    await desk.waitForURL(/\/guichet\/nouvelle-demande\/\d+$/);
    // A regional caller: the desk may record the local agent too, its fields shown at once.
    assert.ok(await desk.getByRole('textbox', { name: /^Nom et prénom de l’agent/ }).isVisible());
    await desk.getByRole('combobox', { name: /^Canal\b/ }).selectOption({ label: 'Courriel' });
    await desk.getByRole('textbox', { name: /^Sujet\b/ }).fill('Courriel de la DIRECCTE');
    await desk
      .getByRole('group', { name: /Bloquant \/ Non bloquant/ })
      .getByText('Non bloquant', { exact: true })
      .click();
    await desk.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await desk.getByRole('textbox', { name: /^Description\b/ }).fill('Reçu par courriel : un agrément a disparu.');
    await expectNoAxeViolations(desk, 'caller form without JavaScript');
    await desk.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await desk.waitForURL(/\/guichet\/nouvelle-demande\?enregistree=\d+$/);
    await desk.getByRole('link', { name: /^Voir la demande n° \d+$/ }).click();
    assert.match(await creationLine(desk), /^Créée par Sophie LAMBERT pour Yannick LE GOFF \(courriel\) le /);
  });

  step('without JavaScript, the agent’s fields are simply shown', async () => {
    const regional = await h.person('direccte', { javaScript: false });
    await regional.goto('/demandes/nouvelle');
    assert.ok(await regional.getByRole('textbox', { name: /^Nom et prénom de l’agent/ }).isVisible());
    assert.ok(await regional.getByRole('textbox', { name: /^Adresse électronique de l’agent/ }).isVisible());
    await expectNoAxeViolations(regional, 'regional form without JavaScript');
  });
});
