/**
 * Level 2: the level 1 agent escalates a request with a note; the expert takes it, sends it back or
 * treats it. While the request is at level 2, the level 1 agent still reads it and may add internal
 * notes, but no longer takes or treats it. Experts see only what was escalated.
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
  menuLink,
  startHarness,
  statusOf,
  storySteps,
} from './support/browser.js';

const ESCALATED = 'Sessions - jury introuvable';
const LEVEL_1_ONLY = 'Candidats - doublon à fusionner';
const ESCALATION_NOTE = 'Le jury existe en base : à voir avec l’équipe technique (index des jurés ?).';
const SEND_BACK_NOTE = 'Pas un problème technique : le jury a été archivé par le centre lui-même.';

/** The actions whose forms are in the page (opened or not). */
async function deskActions(page: Page): Promise<string[]> {
  return page
    .locator('form[id^="form-"] button[type=submit]')
    .evaluateAll((buttons) => buttons.map((b) => b.textContent?.trim() ?? ''));
}

describe('escalation to level 2', () => {
  let h: Harness;
  let requester: Page;
  let agent: Page;
  let expert: Page;
  let escalated: number;
  let levelOne: number;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  step('a requester files two requests', async () => {
    requester = await h.person('demandeur');
    const description = 'Le jury n’apparaît plus dans la liste de la session du 12 mars.';
    escalated = await fileRequest(requester, { subject: ESCALATED, application: 'CERES', blocking: true, description });
    levelOne = await fileRequest(requester, {
      subject: LEVEL_1_ONLY,
      application: 'CERES',
      blocking: false,
      description: 'Le même candidat apparaît deux fois.',
    });
  });

  step('the agent must write a note to escalate, then escalates', async () => {
    agent = await h.person('agent');
    await agent.goto(`/demandes/${escalated}`);
    await act(agent, 'Prendre en charge');
    await agent.getByRole('button', { name: 'Transmettre au niveau 2', expanded: false }).click();
    await actionForm(agent, 'Transmettre au niveau 2').getByRole('button', { name: 'Transmettre au niveau 2' }).click();
    const note = agent.getByRole('textbox', { name: /^Note pour le niveau 2/ });
    await note.waitFor();
    assert.match(await agent.title(), /^Erreur – /);
    assert.ok(await note.isVisible(), 'the refused form stays open');
    assert.equal(await note.getAttribute('aria-invalid'), 'true');
    const describedBy = (await note.getAttribute('aria-describedby')) ?? '';
    assert.match((await agent.locator(`[id="${describedBy}"]`).textContent()) ?? '', /Ce champ est obligatoire/);
    await expectNoAxeViolations(agent, 'refused escalation');

    await act(agent, 'Transmettre au niveau 2', ESCALATION_NOTE);
    await agent.getByRole('row', { name: 'Niveau Niveau 2 (transmise)' }).waitFor();
    await agent.getByText(ESCALATION_NOTE).first().waitFor();
    await expectNoAxeViolations(agent);
  });

  step('at level 2, the level 1 agent reads the request and adds notes, nothing else', async () => {
    assert.deepEqual(await deskActions(agent), ['Ajouter une note interne']);
    for (const name of ['Prendre en charge', 'Traiter la demande', 'Demander un complément', 'Transmettre au niveau 2']) {
      assert.equal(await agent.getByRole('button', { name }).count(), 0, `« ${name} » is offered at level 2`);
    }
    await act(agent, 'Ajouter une note interne', 'Le centre a rappelé : c’est urgent, session jeudi.');
    await menuLink(agent, 'Guichet').click();
    await agent.getByRole('link', { name: ESCALATED }).waitFor();
  });

  step('the expert sees only the escalated request', async () => {
    expert = await h.person('expert');
    await menuLink(expert, 'Guichet').click();
    await expectNoAxeViolations(expert);
    await expert.getByRole('link', { name: ESCALATED }).waitFor();
    assert.equal(await expert.getByRole('link', { name: LEVEL_1_ONLY }).count(), 0);
    const response = await expert.goto(`/demandes/${levelOne}`);
    assert.equal(response?.status(), 404);
  });

  step('the expert takes it and sends it back to level 1 with a note', async () => {
    await expert.goto('/guichet');
    await expert.getByRole('link', { name: ESCALATED }).click();
    await expectNoAxeViolations(expert);
    await expert.getByText(ESCALATION_NOTE).first().waitFor();
    assert.deepEqual((await deskActions(expert)).sort(), [
      'Ajouter une note interne',
      'Demander un complément',
      'Prendre en charge',
      'Renvoyer au niveau 1',
      'Réassigner',
      'Traiter la demande',
    ]);
    await act(expert, 'Prendre en charge');
    await expert.getByRole('row', { name: 'Gestionnaire demande Marc DELORME' }).waitFor();
    // Back at level 1, the expert no longer sees it: back to the queue, told the action was recorded.
    await expert.getByRole('button', { name: 'Renvoyer au niveau 1', expanded: false }).click();
    const form = actionForm(expert, 'Renvoyer au niveau 1');
    await form.getByRole('textbox').fill(SEND_BACK_NOTE);
    await form.getByRole('button', { name: 'Renvoyer au niveau 1' }).click();
    await expert.waitForURL('**/guichet?transmise=1');
    await expert.getByRole('status').getByText('Votre action a bien été enregistrée.').waitFor();
    assert.equal(await expert.getByRole('link', { name: ESCALATED }).count(), 0);
    await expectNoAxeViolations(expert);
    const response = await expert.goto(`/demandes/${escalated}`);
    assert.equal(response?.status(), 404);
  });

  step('back at level 1, the agent acts again, escalates again; the expert treats it', async () => {
    await agent.goto(`/demandes/${escalated}`);
    await agent.getByRole('row', { name: 'Niveau Niveau 1' }).waitFor();
    await agent.getByText(SEND_BACK_NOTE).first().waitFor();
    assert.ok((await deskActions(agent)).includes('Prendre en charge'));
    await act(agent, 'Transmettre au niveau 2', 'Après nouvel examen : l’archive du centre ne contient pas ce jury.');

    await expert.goto(`/demandes/${escalated}`);
    await act(expert, 'Prendre en charge');
    await act(expert, 'Traiter la demande', 'Le jury a été restauré : il apparaît de nouveau dans la session.');
    assert.equal(await statusOf(expert), 'Traitée');
    await expectNoAxeViolations(expert);
  });

  step('the requester sees the answer, never the notes between levels', async () => {
    await requester.goto(`/demandes/${escalated}`);
    assert.equal(await statusOf(requester), 'Traitée');
    await requester.getByText('Le jury a été restauré').first().waitFor();
    const html = await requester.content();
    for (const secret of [ESCALATION_NOTE, SEND_BACK_NOTE, 'c’est urgent', 'l’archive du centre']) {
      assert.ok(!html.includes(secret), `the requester sees « ${secret} »`);
    }
    await expectNoAxeViolations(requester);
  });
});
