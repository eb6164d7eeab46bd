/**
 * « Journal d’audit » in the browser: an administrator filters by action and period and reads only
 * the matching entries, at 1280 px and 375 px, with and without JavaScript; the page fits the screen
 * and axe finds nothing, before and after the search.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { auditLog, users } from '../src/db/schema.js';
import { expectNoAxeViolations, type Harness, startHarness } from './support/browser.js';

/** The actions and objects of the listed entries, in order. */
const listed = (page: Page) =>
  page
    .locator('table tbody tr')
    .evaluateAll((rows) => rows.map((r) => `${r.children[1]?.textContent?.trim()} | ${r.children[3]?.textContent?.trim()}`));

describe('Journal d’audit: search by action and period', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    const { db } = h.portal.database;
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.login, 'admin'));
    await db.insert(auditLog).values([
      { action: 'user.update', actorId: admin?.id, target: 'user:7', at: new Date('2026-03-04T10:00:00Z') },
      { action: 'user.update', actorId: admin?.id, target: 'user:8', at: new Date('2026-03-05T10:00:00Z') },
      { action: 'user.disable', actorId: admin?.id, target: 'user:8', at: new Date('2026-03-05T11:00:00Z') },
      { action: 'user.update', actorId: admin?.id, target: 'user:9', at: new Date('2026-03-06T10:00:00Z') },
    ]);
  });
  after(() => h?.stop());

  for (const [javaScript, width] of [
    [true, 1280],
    [false, 1280],
    [true, 375],
    [false, 375],
  ] as const) {
    test(`${javaScript ? 'with' : 'without'} JavaScript, ${width} px`, async () => {
      const page = await h.person('admin', { javaScript, viewport: { width, height: 900 } });
      await page.goto('/admin/journal');
      await page.getByRole('heading', { level: 1, name: 'Journal d’audit' }).waitFor();
      await expectNoAxeViolations(page, `journal ${width} px`);
      await page.getByLabel('Action').selectOption({ label: 'Compte modifié' });
      await page.getByLabel('Du', { exact: false }).first().fill('2026-03-05');
      await page.getByLabel(/^Au/).fill('2026-03-06');
      await Promise.all([
        page.waitForURL(/action=user.update/),
        page.getByRole('form', { name: 'Rechercher dans le journal' }).getByRole('button', { name: 'Filtrer' }).click(),
      ]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('du'), '2026-03-05');
      assert.equal(url.searchParams.get('au'), '2026-03-06');
      assert.deepEqual(await listed(page), ['Compte modifié | Compte n° 9', 'Compte modifié | Compte n° 8']);
      assert.match((await page.locator('#results-count').textContent()) ?? '', /2 événements/);
      assert.equal(await page.getByLabel('Action').inputValue(), 'user.update', 'the form keeps the choice');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      await expectNoAxeViolations(page, `journal filtered ${width} px`);
      const csv = page.getByRole('link', { name: 'Exporter (CSV)' });
      assert.equal(await csv.getAttribute('href'), '/admin/journal/export.csv?action=user.update&du=2026-03-05&au=2026-03-06');
    });
  }
});
