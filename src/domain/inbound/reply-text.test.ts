import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replyText } from './reply-text.js';

test('a French reply loses the quoted notification and the signature', () => {
  const text = [
    'Bonjour,',
    '',
    'Voici le numéro de SIRET : 123 456 789 00012.',
    '',
    '-- ',
    'Marie Dupont',
    'Centre de formation',
    '',
    'Le lun. 2 mars 2026 à 10:00, Assistance <ne-pas-repondre@assistance.localhost> a écrit :',
    '> Bonjour Marie DUPONT,',
    '> L’assistance a besoin d’un complément d’information.',
  ].join('\r\n');
  assert.equal(replyText(text), 'Bonjour,\n\nVoici le numéro de SIRET : 123 456 789 00012.');
});

test('an attribution wrapped over two lines opens the quote', () => {
  const text = 'Merci, c’est réglé.\n\nLe lun. 2 mars 2026 à 10:00, Assistance des Ministères sociaux <x@y> a\nécrit :\n> texte';
  assert.equal(replyText(text), 'Merci, c’est réglé.');
});

test('English clients: « On … wrote: » and « Original Message »', () => {
  assert.equal(replyText('Done.\nOn Mon, Mar 2, 2026 at 10:00 AM Help <h@x> wrote:\n> old'), 'Done.');
  assert.equal(replyText('Done.\n-----Original Message-----\nFrom: Help\nold'), 'Done.');
  assert.equal(replyText('Fait.\n\n-----Message d’origine-----\nDe : Assistance\nold'), 'Fait.');
});

test('an Outlook header block opens the quote, a sentence starting with « De : » does not', () => {
  const outlook =
    'Ci-joint la capture.\n\n________________________________\nDe : Assistance <x@y>\nEnvoyé : lundi 2 mars 2026 10:00\nÀ : Marie\nObjet : [Demande n° 12]\n\nold';
  assert.equal(replyText(outlook), 'Ci-joint la capture.');
  const sentence = 'De : mon poste, l’erreur persiste.\nMerci.';
  assert.equal(replyText(sentence), sentence);
});

test('quoted lines in the middle are dropped, the rest kept', () => {
  assert.equal(replyText('> votre question\nma réponse\n> autre question\nautre réponse'), 'ma réponse\nautre réponse');
});

test('a reply made only of quoted text is empty', () => {
  assert.equal(replyText('\n> tout est cité\n> encore\n'), '');
  assert.equal(replyText('-- \nsignature seule'), '');
});
