import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameWords, questionWords, withFamily } from '../search/question-words.js';
import { isSignificant } from './suggestions.js';

test('a subject is significant from three letters or digits, punctuation and spaces aside', () => {
  assert.equal(isSignificant('ab'), false);
  assert.equal(isSignificant(' a - b ! '), false);
  assert.equal(isSignificant('agr'), true);
  assert.equal(isSignificant('é è à'), true);
});

test('generic, negated and application words do not count; a half-typed generic word neither', () => {
  const ceres = nameWords('CERES');
  assert.deepEqual(questionWords('Non bloquant - agrément expiré', 12).words, ['agrément', 'expiré']);
  assert.deepEqual(questionWords('URGENT : erreurs et problèmes dans CERES', 12, ceres).words, ['et', 'dans']);
  assert.deepEqual(questionWords('Agrément bloq', 12), { words: ['Agrément'], endsWithWord: false });
  assert.deepEqual(questionWords('Dérogation mine', 12), { words: ['Dérogation', 'mine'], endsWithWord: true });
  assert.deepEqual(questionWords('Dérogation mineurs ', 12).endsWithWord, false);
  assert.deepEqual(questionWords('un deux trois', 2), { words: ['un', 'deux'], endsWithWord: false });
});

test('a verb and the noun of its action match each other', () => {
  assert.equal(withFamily('connecter'), 'connecter connexion connecter');
  assert.equal(withFamily('agrément'), 'agrément');
});
