/**
 * The guide's story by keyboard alone, with and without JavaScript: a requester files a request
 * from the home page, an agent takes it from their home and treats it. Every key pressed to move
 * or to act (Tab, Entrée, Espace, arrows) is counted and bounded, so that a new stop in the way —
 * a link before the main action, a form that leaves the focus at the top — fails the test.
 * Typing the texts themselves is not counted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Harness, startHarness } from './support/browser.js';

/** Upper bounds of the key presses, measured with some room (see the test's output). */
const BOUNDS = { filing: 28, handling: 28 };
/** No single stop may take more Tabs than this to reach. */
const MAX_TABS_TO_ONE_STOP = 25;

class Keys {
  presses = 0;
  constructor(private readonly page: Page) {}

  async press(key: string) {
    this.presses++;
    await this.page.keyboard.press(key);
  }

  /** Types a text into the focused field (not counted: the words are the person's). */
  type(text: string) {
    return this.page.keyboard.type(text);
  }

  /** Tabs until the focused element matches `selector`; fails past MAX_TABS_TO_ONE_STOP. */
  async tabTo(selector: string) {
    for (let i = 0; i < MAX_TABS_TO_ONE_STOP; i++) {
      if (await this.page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await this.press('Tab');
    }
    const at = await this.page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
    assert.fail(`${selector} not reached in ${MAX_TABS_TO_ONE_STOP} Tabs (focus on ${at})`);
  }

  /** « Contenu », the first skip link, as a keyboard user starts a page: past the header and the menu. */
  async skipToContent() {
    await this.press('Tab');
    assert.equal(
      await this.page.evaluate(() => document.activeElement?.textContent),
      'Contenu',
      'the first Tab reaches the skip link',
    );
    await this.press('Enter');
  }

  /** Presses `key` on the focused control and waits for the page it loads. */
  async submit(key = 'Enter') {
    const loaded = this.page.waitForEvent('load');
    await this.press(key);
    await loaded;
  }
}

for (const javaScript of [true, false]) {
  describe(`by keyboard alone (${javaScript ? 'with' : 'without'} JavaScript)`, () => {
    let h: Harness;
    let number: number;

    before(async () => {
      h = await startHarness();
    });
    after(() => h?.stop());

    test('a requester files a request from the home page', async () => {
      const page = await h.person('demandeur', { javaScript });
      await page.goto('/');
      const keys = new Keys(page);
      await keys.skipToContent();
      await keys.tabTo('a[href="/demandes/nouvelle"]');
      await keys.submit();
      await keys.skipToContent();
      await keys.tabTo('#subject');
      await keys.type('Renouvellement de l’agrément du centre');
      await keys.tabTo('input[name="blocking"]');
      // The first choice of the group has the focus; the arrow moves to « Bloquant » or « Non bloquant » and checks it.
      await keys.press('ArrowRight');
      const blocking = await page.evaluate(
        () => (document.querySelector('input[name="blocking"]:checked') as HTMLInputElement)?.value,
      );
      if (blocking !== 'oui') await keys.press('ArrowLeft');
      await keys.tabTo('#applicationId');
      await keys.type('CERES');
      await keys.tabTo('#description');
      await keys.type('L’attestation de la session 2026-14 n’apparaît pas dans la liste.');
      await keys.tabTo('#new-request-form button[type="submit"]:not([formaction])');
      await keys.submit();
      if (!/\/demandes\/\d+\?cree=1$/.test(page.url())) {
        // The knowledge base's suggestions first (without JavaScript, a step): the person files all the same.
        assert.equal(javaScript, false, 'with JavaScript the suggestions came while typing, without a step');
        await keys.tabTo('#suggestions-notice button[type="submit"]');
        await keys.submit();
      }
      assert.match(page.url(), /\/demandes\/\d+\?cree=1$/, 'the request is filed');
      number = Number(/\/demandes\/(\d+)/.exec(page.url())?.[1]);
      console.log(`filing (${javaScript ? 'with' : 'without'} JavaScript): ${keys.presses} key presses`);
      assert.ok(keys.presses <= BOUNDS.filing, `filing took ${keys.presses} key presses (bound ${BOUNDS.filing})`);
    });

    test('an agent takes it from their home and treats it', async () => {
      const page = await h.person('agent', { javaScript });
      await page.goto('/');
      const keys = new Keys(page);
      await keys.skipToContent();
      await keys.tabTo(`a[href="/demandes/${number}"]`);
      await keys.submit();
      await keys.skipToContent();
      await keys.tabTo('#form-take button[type="submit"]');
      await keys.submit();
      assert.match(page.url(), /\?fait=1$/, 'taken');
      if (javaScript) {
        await keys.tabTo('button[aria-controls="accordion-resolve"]');
        await keys.press('Enter');
        // DSFR opens the panel in a transition: Tab only reaches its field once it is shown.
        await page.locator('#resolve-message').waitFor({ state: 'visible' });
      }
      await keys.tabTo('#resolve-message');
      await keys.type('L’attestation est de nouveau visible : actualisez la page de la session.');
      await keys.tabTo('#form-resolve button[type="submit"]:not([formaction])');
      await keys.submit();
      assert.match(page.url(), /\?fait=1$/, 'treated');
      assert.match((await page.getByRole('row', { name: /^Statut/ }).textContent()) ?? '', /Traitée/);
      console.log(`handling (${javaScript ? 'with' : 'without'} JavaScript): ${keys.presses} key presses`);
      assert.ok(keys.presses <= BOUNDS.handling, `handling took ${keys.presses} key presses (bound ${BOUNDS.handling})`);
    });
  });
}
