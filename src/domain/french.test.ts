import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byFrenchName, de } from './french.js';

test('names in dictionary order: accents and case do not push a name to the end', () => {
  const regions = ['Pays de la Loire', 'Île-de-France', 'Occitanie', 'Hauts-de-France', 'Grand Est', 'Martinique', 'écrins'];
  assert.deepEqual(
    regions
      .map((name) => ({ name }))
      .sort(byFrenchName)
      .map((r) => r.name),
    ['écrins', 'Grand Est', 'Hauts-de-France', 'Île-de-France', 'Martinique', 'Occitanie', 'Pays de la Loire'],
  );
});

test('« de » elided before a vowel or an h, kept before a consonant', () => {
  assert.equal(de('Hélène MARTIN'), 'd’Hélène MARTIN');
  assert.equal(de('ARIANE'), 'd’ARIANE');
  assert.equal(de('Émilie'), 'd’Émilie');
  assert.equal(de('CERES'), 'de CERES');
  assert.equal(de('Julien'), 'de Julien');
});
