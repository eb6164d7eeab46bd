/**
 * Lists of names read in French dictionary order on both databases, whatever their collation:
 * « Île-de-France » among the I, not last as byte order puts it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { structuresByRegion } from '../src/domain/accounts/users-admin.js';
import { compareFrench } from '../src/domain/french.js';
import { getReferentials } from '../src/domain/referentials/referentials.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const inFrenchOrder = (names: string[]) => [...names].sort(compareFrench);

for (const kind of DATABASE_KINDS) {
  describe(`French order of names (${kind})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    test('regions: Île-de-France between Hauts-de-France and La Réunion', async () => {
      const names = (await getReferentials(portal.database.db)).regions.map((r) => r.name);
      assert.deepEqual(names, inFrenchOrder(names));
      assert.equal(names[names.indexOf('Île-de-France') - 1], 'Hauts-de-France');
      assert.equal(names[names.indexOf('Île-de-France') + 1], 'La Réunion');
    });

    test('structures grouped by region, both in French order', async () => {
      const groups = await structuresByRegion(portal.database.db);
      assert.ok(groups.length > 0);
      const regions = groups.map((g) => g.region);
      assert.deepEqual(regions, inFrenchOrder(regions));
      for (const g of groups) {
        const names = g.structures.map((s) => s.name);
        assert.deepEqual(names, inFrenchOrder(names));
      }
    });
  });
}
