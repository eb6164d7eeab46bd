import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anyWordQuery, isSignificant } from './suggestions.js';

test('a subject is significant from three letters or digits, punctuation and spaces aside', () => {
  assert.equal(isSignificant('ab'), false);
  assert.equal(isSignificant(' a - b ! '), false);
  assert.equal(isSignificant('agr'), true);
  assert.equal(isSignificant('é è à'), true);
});

test('a subject becomes a search for any of its words, its punctuation dropped', () => {
  assert.equal(anyWordQuery('Mon agrément, bloquant ?'), 'Mon or agrément or bloquant');
  assert.equal(anyWordQuery('"-x" OR y'), 'x or OR or y');
  assert.equal(anyWordQuery(''), '');
});
