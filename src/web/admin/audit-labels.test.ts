import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditActionGroups, auditActionLabel, auditTarget } from './audit-labels.js';

/** Every action code the sources write to the audit trail (the literals after `action:` in files that call audit()). */
function auditedActions(): string[] {
  const files = readdirSync('src', { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && /\.tsx?$/.test(f.name) && !f.name.includes('.test.'))
    .map((f) => readFileSync(join(f.parentPath, f.name), 'utf8'))
    .filter((text) => /\baudit\(/.test(text));
  const codes = files.flatMap((text) =>
    [...text.matchAll(/action:\s*([^\n]+)/g)].flatMap((m) =>
      [...(m[1] ?? '').matchAll(/'([a-z_]+(?:\.[a-z_]+)*)'/g)].map((c) => c[1] ?? ''),
    ),
  );
  return [...new Set(codes)].filter((code) => code.includes('.') || code === 'logout').sort();
}

test('every action the portal audits reads as French', () => {
  const codes = auditedActions();
  assert.ok(codes.length > 40, `${codes.length} codes found`);
  assert.deepEqual(
    codes.filter((code) => auditActionLabel(code) === code),
    [],
  );
  assert.equal(auditActionLabel('login.success'), 'Connexion');
});

test('targets: what they name, with the page that shows it', () => {
  assert.deepEqual(auditTarget('account_request:1'), { text: 'Demande de compte n° 1', href: '/admin/demandes-de-compte/1' });
  assert.deepEqual(auditTarget('user:42'), { text: 'Compte n° 42', href: '/admin/utilisateurs/42' });
  assert.deepEqual(auditTarget('template:request_resolved'), {
    text: 'Modèle de courriel « request_resolved »',
    href: '/admin/modeles/request_resolved',
  });
  assert.deepEqual(auditTarget('faq:7'), { text: 'Question de la FAQ n° 7', href: undefined });
  assert.deepEqual(auditTarget('demande 67098'), { text: 'demande 67098' });
  assert.equal(auditTarget(null), null);
});

test('the action filter lists every known action once, in a group', () => {
  const codes = auditActionGroups().flatMap((g) => g.options.map((o) => o.value));
  assert.equal(new Set(codes).size, codes.length);
  assert.ok(codes.includes('login.success') && codes.includes('settings.update') && codes.includes('faq.publish'));
  for (const code of auditedActions()) assert.ok(codes.includes(code), `${code} has no group`);
});
