import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNext } from './actor-gate.js';

test('a return address keeps its path and query, with what is outside ASCII percent-encoded', () => {
  assert.equal(safeNext('/demandes?statut=traitee&recherche=a%20b'), '/demandes?statut=traitee&recherche=a%20b');
  assert.equal(safeNext('/。'), '/%E3%80%82');
  assert.equal(safeNext('/demandes?recherche=été'), '/demandes?recherche=%C3%A9t%C3%A9');
});

test('what cannot be a path of the portal, or cannot be encoded, leads home', () => {
  for (const next of ['//evil.example', 'https://evil.example', '/\\evil', '/\t/evil', '/\ud800', 42, undefined]) {
    assert.equal(safeNext(next), '/', JSON.stringify(next));
  }
});
