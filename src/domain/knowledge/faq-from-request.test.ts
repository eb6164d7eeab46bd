import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anonymize, isTreated } from './faq-from-request.js';

test('anonymize removes e-mail addresses, telephone numbers and the names given, as whole words in any case', () => {
  const text =
    'Bonjour Hélène Rivière, écrivez à h.riviere@exemple.fr ou au 01 46 29 25 54 (+33 1 46 29 25 54). RIVIÈRE a signé. Les rivières coulent.';
  const out = anonymize(text, ['Hélène Rivière', 'Hélène', 'Rivière', 'Al']);
  assert.equal(
    out,
    'Bonjour [nom], écrivez à [adresse électronique] ou au [téléphone] ([téléphone]). [nom] a signé. Les rivières coulent.',
  );
});

test('anonymize leaves a text without personal data as it is, and ignores names too short to be safe', () => {
  assert.equal(anonymize('Le titre 12345 est bloqué depuis 2024.', ['Al', ' ']), 'Le titre 12345 est bloqué depuis 2024.');
});

test('only resolved and closed requests are treated', () => {
  assert.deepEqual(['new', 'in_progress', 'awaiting_info', 'resolved', 'closed'].filter(isTreated), ['resolved', 'closed']);
});
