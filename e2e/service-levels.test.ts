/**
 * Service levels in the browser, with the portal's clock set: the desk shows « En retard » and
 * « Bientôt en retard » on the right rows, its « Échéance » filter keeps only those, a selection is
 * taken in charge and found under « Mes demandes en charge »; the settings page, in its fieldsets,
 * refuses a working day that ends before it starts, next to the field. Every page passes axe.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { setClock } from '../src/domain/clock.js';
import { expectNoAxeViolations, fileRequest, type Harness, menuLink, startHarness, storySteps } from './support/browser.js';

const LATE = 'Échéance - export des sessions bloqué';
const SOON = 'Échéance - jurés absents de la liste';
const FINE = 'Échéance - libellé à corriger';

/** The queue's row of a request, by its subject. */
const row = (page: Page, subject: string) => page.getByRole('row').filter({ hasText: subject });

describe('service levels in the desk', () => {
  let h: Harness;
  let agent: Page;
  let late: number;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    setClock(null);
    await h?.stop();
  });

  step('a requester files three requests on Monday morning and at lunchtime', async () => {
    const requester = await h.person('demandeur');
    const description = 'Depuis ce matin, l’écran reste vide.';
    setClock(new Date('2026-12-07T09:00:00+01:00'));
    late = await fileRequest(requester, { subject: LATE, application: 'CERES', blocking: true, description });
    setClock(new Date('2026-12-07T12:30:00+01:00'));
    await fileRequest(requester, { subject: SOON, application: 'CERES', blocking: true, description });
    await fileRequest(requester, { subject: FINE, application: 'CERES', blocking: false, description });
  });

  step('at 15:45 the desk shows which are late and which soon will be', async () => {
    setClock(new Date('2026-12-07T15:45:00+01:00'));
    agent = await h.person('agent');
    await agent.goto('/guichet');
    await expectNoAxeViolations(agent);
    const lateRow = row(agent, LATE);
    await lateRow.getByText('En retard', { exact: true }).waitFor();
    assert.match((await lateRow.textContent()) ?? '', /07\/12\/2026 à 13:00/);
    await row(agent, SOON).getByText('Bientôt en retard', { exact: true }).waitFor();
    assert.equal(
      await row(agent, FINE)
        .getByText(/En retard|Bientôt en retard/)
        .count(),
      0,
    );
    assert.match((await row(agent, FINE).textContent()) ?? '', /Première réponse.*08\/12\/2026 à 12:30/);
  });

  step('the « Échéance » filter keeps only the late ones, then only the soon-late ones', async () => {
    await agent.getByRole('combobox', { name: 'Échéance' }).selectOption({ label: 'En retard' });
    await agent.getByRole('button', { name: 'Filtrer' }).click();
    await agent.waitForURL(/echeance=en-retard/);
    await row(agent, LATE).waitFor();
    assert.equal(await row(agent, SOON).count(), 0);
    assert.equal(await row(agent, FINE).count(), 0);
    await expectNoAxeViolations(agent);
    await agent.getByRole('combobox', { name: 'Échéance' }).selectOption({ label: 'Bientôt en retard' });
    await agent.getByRole('button', { name: 'Filtrer' }).click();
    await agent.waitForURL(/echeance=bientot/);
    await row(agent, SOON).waitFor();
    assert.equal(await row(agent, LATE).count(), 0);
    assert.equal(await row(agent, FINE).count(), 0);
  });

  step('the agent takes the late request from the list and finds it under « Mes demandes en charge »', async () => {
    await agent.goto('/guichet?echeance=en-retard');
    await agent.getByRole('checkbox', { name: `Sélectionner la demande n° ${late}` }).check({ force: true });
    await agent.getByRole('button', { name: 'Prendre en charge la sélection' }).click();
    await agent.waitForURL(/selection=take/);
    await agent.getByRole('status').filter({ hasText: '1 demande(s) prise(s) en charge.' }).waitFor();
    await expectNoAxeViolations(agent);
    await menuLink(agent, 'Mes demandes en charge').click();
    await agent.waitForURL('**/guichet/en-charge');
    assert.equal(await menuLink(agent, 'Mes demandes en charge').getAttribute('aria-current'), 'page');
    assert.equal(await menuLink(agent, 'Guichet').getAttribute('aria-current'), null);
    await row(agent, LATE).waitFor();
    assert.equal(await row(agent, SOON).count(), 0);
    await expectNoAxeViolations(agent);
  });

  step('the request page shows its due dates and the badge to the agent', async () => {
    await agent.goto(`/demandes/${late}`);
    const table = agent.getByRole('table', { name: /Délais de traitement/ });
    assert.match((await table.getByRole('row', { name: /^Première réponse/ }).textContent()) ?? '', /En retard/);
    await expectNoAxeViolations(agent);
  });

  step('Paramètres: fieldsets, a working day ending before it starts is refused next to its field', async () => {
    const admin = await h.person('admin');
    await admin.goto('/admin/parametres');
    for (const name of ['Service', 'Comptes', /^Niveaux de service/, 'Vie des demandes'])
      await admin.getByRole('group', { name }).first().waitFor();
    await expectNoAxeViolations(admin);
    const levels = admin.getByRole('group', { name: /^Niveaux de service/ });
    assert.ok(await levels.getByRole('checkbox', { name: 'Vendredi' }).isChecked());
    await levels.getByLabel(/^Fin de la journée de travail/).fill('08:00');
    await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await admin.waitForLoadState('load');
    assert.match(await admin.title(), /^Erreur – Paramètres/);
    const field = admin.locator('.fr-input-group', { has: admin.getByLabel(/^Fin de la journée de travail/) });
    assert.match((await field.locator('.fr-message--error').textContent()) ?? '', /L’heure de fin doit suivre l’heure de début/);
    assert.equal(await admin.getByLabel(/^Fin de la journée de travail/).inputValue(), '08:00');
    await expectNoAxeViolations(admin);
  });
});
