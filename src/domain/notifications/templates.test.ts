import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TEMPLATES, templateSpec } from './catalogue.js';
import { checkTemplate, fill, renderTemplate, unknownVariables } from './templates.js';

const receipt = templateSpec('receipt')!;

test('every default template uses only its own variables, and the copy for someone without an account has no link', () => {
  for (const spec of TEMPLATES) {
    assert.deepEqual(checkTemplate(spec, spec), {}, spec.key);
  }
  const copy = templateSpec('on_behalf_copy')!;
  assert.equal(Object.hasOwn(copy.variables, 'lien'), false);
  assert.deepEqual(unknownVariables('Voir {{lien}}', copy), ['lien']);
});

test('placeholders are filled once: a value is never read as a placeholder', () => {
  assert.equal(fill('n° {{numero}} « {{ sujet }} »', { numero: '12', sujet: 'Voir {{numero}}' }), 'n° 12 « Voir {{numero}} »');
  fc.assert(
    fc.property(fc.string(), (value) => {
      assert.equal(fill('[{{sujet}}]', { sujet: value }), `[${value}]`);
    }),
  );
});

test('a subject stays on one line whatever the values', () => {
  const { subject, body } = renderTemplate(
    { subject: 'Objet : {{sujet}}', body: 'Corps : {{sujet}}' },
    { sujet: 'ligne 1\r\nBcc: espion@exemple.fr' },
  );
  assert.equal(subject, 'Objet : ligne 1 Bcc: espion@exemple.fr');
  assert.match(body, /\r\n/);
});

test('an unknown variable, an empty field or a subject on two lines is refused with a French message', () => {
  const errors = checkTemplate(receipt, { subject: 'Demande {{numéro}}', body: 'Bonjour {{inconnue}} et {{autre}}' });
  assert.equal(errors.subject, 'Variable inconnue : {{numéro}}. Utilisez celles de la liste.');
  assert.equal(errors.body, 'Variables inconnues : {{inconnue}}, {{autre}}. Utilisez celles de la liste.');
  assert.equal(checkTemplate(receipt, { subject: ' ', body: 'x' }).subject, 'Ce champ est obligatoire.');
  assert.equal(checkTemplate(receipt, { subject: 'a\nb', body: 'x' }).subject, 'L’objet tient sur une seule ligne.');
  assert.deepEqual(checkTemplate(receipt, { subject: '{{ numero }}', body: '{{lien}}' }), {});
});
