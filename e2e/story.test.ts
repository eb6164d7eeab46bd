/**
 * The user guide's story in the browser, JavaScript on: a training centre files a blocking request
 * with a screenshot, the level 1 desk takes it, asks a complement, the centre answers, the desk
 * treats it and the centre accepts the answer. axe runs on every page visited.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  act,
  expectNoAxeViolations,
  fileRequest,
  type Harness,
  logIn,
  menuLink,
  startHarness,
  statusOf,
  storySteps,
  submit,
  writePng,
} from './support/browser.js';

const SUBJECT = 'BLOQUANT - base des agréments';
const INTERNAL_NOTE = 'Vu avec le niveau 2 : anomalie connue sur les agréments, correctif en préparation.';
const QUESTION = 'Pouvez-vous préciser le numéro de l’agrément concerné ?';
const COMPLEMENT = 'Il s’agit de l’agrément n° 2019-0042.';
const ANSWER = 'Bonjour, merci de prendre connaissance du guide utilisateur.';
const DATE_TIME = /le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/;

describe('the guide’s story, with JavaScript', () => {
  let h: Harness;
  let requester: Page;
  let agent: Page;
  let number: number;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  step('the requester files a blocking request on CERES with a screenshot', async () => {
    requester = await h.person();
    await requester.goto('/');
    await requester.waitForURL('**/connexion?next=%2F');
    await expectNoAxeViolations(requester);
    await logIn(requester, 'demandeur');
    await expectNoAxeViolations(requester);
    const screenshot = writePng(h.filesDir);
    number = await fileRequest(
      requester,
      {
        subject: SUBJECT,
        application: 'CERES',
        blocking: true,
        theme: 'base des agréments',
        description: 'Impossible d’enregistrer un agrément : le bouton « Valider » reste grisé.',
        files: [screenshot],
      },
      { checkA11y: true },
    );
    await expectNoAxeViolations(requester);
    await assertHeading(requester, `Suivi de la demande n° ${number}`);
    assert.equal(await statusOf(requester), 'Nouvelle');
    await assertVisible(requester.getByRole('row', { name: `Sujet ${SUBJECT}` }));
    await assertVisible(requester.getByRole('row', { name: 'Thème base des agréments' }));
    await assertVisible(requester.getByRole('link', { name: /capture-ecran\.png/ }));
    await assertVisible(requester.getByRole('status').filter({ hasText: 'Votre demande a bien été enregistrée' }));
    await menuLink(requester, 'Mes demandes').click();
    await expectNoAxeViolations(requester);
    await assertVisible(requester.getByRole('link', { name: SUBJECT }));
  });

  step('the level 1 agent takes it, writes an internal note and asks a complement', async () => {
    agent = await h.person('agent');
    await expectNoAxeViolations(agent);
    await menuLink(agent, 'Guichet').click();
    await expectNoAxeViolations(agent);
    await agent.getByRole('link', { name: SUBJECT }).click();
    await assertHeading(agent, `Suivi de la demande n° ${number}`);
    await expectNoAxeViolations(agent);
    await act(agent, 'Prendre en charge');
    assert.equal(await statusOf(agent), 'En cours de traitement');
    await expectNoAxeViolations(agent);
    await act(agent, 'Ajouter une note interne', INTERNAL_NOTE);
    await assertVisible(agent.getByText(INTERNAL_NOTE));
    await act(agent, 'Demander un complément', QUESTION);
    assert.equal(await statusOf(agent), 'En attente de complément');
    await expectNoAxeViolations(agent);
  });

  step('the requester sees the question, not the internal note, and answers', async () => {
    await requester.goto(`/demandes/${number}`);
    await expectNoAxeViolations(requester);
    assert.equal(await statusOf(requester), 'En attente de complément');
    await assertVisible(requester.getByText(QUESTION));
    assert.ok(!(await requester.content()).includes(INTERNAL_NOTE), 'the internal note is shown to the requester');
    assert.equal(await requester.getByText('Note interne').count(), 0);
    const section = requester.getByRole('region', { name: 'J’ajoute une information' });
    await section.getByLabel('Commentaire').fill(COMPLEMENT);
    await submit(requester, section.getByRole('button', { name: 'Ajouter', exact: true }));
    await expectNoAxeViolations(requester);
    assert.equal(await statusOf(requester), 'En cours de traitement');
    await assertVisible(requester.getByText(COMPLEMENT));
  });

  step('the agent treats the request with an answer and a document', async () => {
    await agent.reload();
    await assertVisible(agent.getByText(COMPLEMENT));
    const guide = writePng(h.filesDir, 'guide-utilisateur.png');
    await act(agent, 'Traiter la demande', ANSWER, [guide]);
    assert.equal(await statusOf(agent), 'Traitée');
    await expectNoAxeViolations(agent);
  });

  step('the requester reads the answer under the status and closes the request', async () => {
    await requester.goto('/');
    await expectNoAxeViolations(requester);
    await requester.getByRole('link', { name: SUBJECT }).click();
    assert.equal(await statusOf(requester), 'Traitée');
    const answer = requester.getByRole('region', { name: 'Réponse de l’assistance' });
    await assertVisible(answer.getByText(ANSWER));
    await assertVisible(answer.getByRole('link', { name: /guide-utilisateur\.png/ }));
    // The answer comes right after the summary that holds the status.
    const order = await requester.evaluate(() => {
      const summary = document.querySelector('table.guichet-summary');
      const answerTitle = document.getElementById('answer-title');
      return summary && answerTitle ? summary.compareDocumentPosition(answerTitle) : 0;
    });
    assert.ok(order & 4, 'the answer is not below the status');
    await expectNoAxeViolations(requester);
    await submit(requester, requester.getByRole('button', { name: 'Cette réponse me convient, je clos la demande' }));
    assert.equal(await statusOf(requester), 'Clôturée');
    await expectNoAxeViolations(requester);
  });

  step('the history shows each step with its date', async () => {
    const history = requester.getByRole('region', { name: 'Historique' });
    // One item per step (the files of a step are a list inside its item).
    const steps = history.getByRole('list').first().locator(':scope > li');
    const texts = await steps.allInnerTexts();
    const expected = [
      'Créée par',
      'Prise en charge',
      'complément demandé à l’utilisateur',
      'pour information',
      'Réponse de l’assistance',
      'Cette réponse me convient, je clos la demande',
    ];
    assert.equal(texts.length, expected.length, texts.join('\n---\n'));
    expected.forEach((label, i) => {
      assert.ok(texts[i]!.includes(label), `step ${i + 1} should say « ${label} »:\n${texts[i]}`);
      assert.match(texts[i]!, DATE_TIME);
    });
    assert.ok(texts[2]!.includes(QUESTION));
    assert.ok(texts[3]!.includes(COMPLEMENT));
    assert.ok(texts[4]!.includes(ANSWER));
  });

  step('another requester gets the “page not found” page for this request', async () => {
    const other = await h.person('direccte');
    const response = await other.goto(`/demandes/${number}`);
    assert.equal(response?.status(), 404);
    await assertHeading(other, 'Page non trouvée');
    assert.ok(!(await other.content()).includes(SUBJECT));
    await expectNoAxeViolations(other);
  });
});

async function assertHeading(page: Page, name: string) {
  await assertVisible(page.getByRole('heading', { level: 1, name }));
}

async function assertVisible(locator: ReturnType<Page['getByText']>) {
  await locator.first().waitFor({ state: 'visible' });
}
