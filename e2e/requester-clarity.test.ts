/**
 * A requester asked for a complement sees it where they look, at 1280 px and 375 px, with and
 * without JavaScript: the home page says the desk waits for them, with « Déposer une nouvelle
 * demande » in the first screen; « Mes demandes » marks the request; its page shows the question,
 * then the answer box, before the description. Axe on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { act, expectNoAxeViolations, fileRequest, type Harness, startHarness } from './support/browser.js';

const QUESTION = 'Quel est l’intitulé exact de la session concernée ?';
const top = async (locator: Locator) => (await locator.boundingBox())?.y ?? Number.POSITIVE_INFINITY;

describe('a requester asked for a complement', () => {
  let h: Harness;
  let number: number;

  before(async () => {
    h = await startHarness();
    const requester = await h.person('demandeur');
    number = await fileRequest(requester, {
      subject: 'Session absente de la liste',
      application: 'CERES',
      blocking: false,
      description: 'La session de mars n’apparaît pas dans la liste des sessions du centre.',
    });
    const agent = await h.person('agent');
    await agent.goto(`/demandes/${number}`);
    await act(agent, 'Demander un complément', QUESTION);
  });
  after(() => h?.stop());

  for (const javaScript of [true, false]) {
    for (const width of [1280, 375]) {
      describe(`at ${width} px, ${javaScript ? 'with' : 'without'} JavaScript`, () => {
        let page: Page;
        const height = 900;
        before(async () => {
          page = await h.person('demandeur', { javaScript, viewport: { width, height } });
        });

        test('the home page says the desk waits, and the main action is in the first screen', async () => {
          await page.goto('/');
          const waiting = page.getByRole('region', { name: 'L’assistance attend votre réponse' });
          assert.ok(await waiting.getByRole('link', { name: new RegExp(`Demande n° ${number}`) }).isVisible());
          const file = page.getByRole('link', { name: 'Déposer une nouvelle demande' });
          assert.ok((await top(file)) < height, `« Déposer une nouvelle demande » at ${await top(file)} px`);
          assert.ok((await top(waiting)) < (await top(page.getByRole('heading', { name: 'Bienvenue' }))));
          await expectNoAxeViolations(page, `home ${width}`);
        });

        test('« Mes demandes » marks it, with its status in view', async () => {
          await page.goto('/demandes');
          const mark = page.getByText('En attente de votre réponse').first();
          assert.ok(await mark.isVisible());
          const box = await mark.boundingBox();
          assert.ok(box && box.x + box.width <= width, 'the mark is within the screen’s width');
          await expectNoAxeViolations(page, `Mes demandes ${width}`);
        });

        test('its page shows the question, then the answer box, then the description', async () => {
          await page.goto(`/demandes/${number}`);
          const question = page.getByRole('region', { name: 'L’assistance attend votre réponse' });
          assert.ok(await question.getByText(QUESTION).isVisible());
          const answer = page.getByRole('form', { name: 'J’ajoute une information' });
          const description = page.getByRole('heading', { name: 'Description', exact: true });
          assert.ok((await top(question)) < (await top(answer)), 'the question above the answer box');
          assert.ok((await top(answer)) < (await top(description)), 'the answer box above the description');
          await expectNoAxeViolations(page, `request ${width}`);
        });
      });
    }
  }
});
