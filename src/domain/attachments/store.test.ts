import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { FileStore, withExtensionOf } from './store.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const root = mkdtempSync(join(tmpdir(), 'guichet-store-'));
const store = new FileStore(root);
after(() => rmSync(root, { recursive: true, force: true }));

const saved = async (name: string, content: Buffer) => (await store.save(Readable.from([content]), name, 1_000_000)).originalName;

test('a name ends with an extension of the type its content has', () => {
  assert.equal(withExtensionOf('capture.png', 'image/png'), 'capture.png');
  assert.equal(withExtensionOf('photo.JPEG', 'image/jpeg'), 'photo.JPEG');
  assert.equal(withExtensionOf('poly.html', 'image/png'), 'poly.png');
  assert.equal(withExtensionOf('setup.exe', 'image/png'), 'setup.png');
  assert.equal(withExtensionOf('capture', 'image/png'), 'capture.png');
  assert.equal(withExtensionOf('.htaccess', 'text/plain'), '.htaccess.txt');
  assert.equal(withExtensionOf('journal.log', 'text/plain'), 'journal.log');
});

test('stored names: the detected type’s extension, no bidirectional or control characters', async () => {
  const polyglot = Buffer.concat([PNG, Buffer.from('<html><script>alert(1)</script></html>')]);
  assert.equal(await saved('poly.html', polyglot), 'poly.png');
  assert.equal(await saved('x.hta', polyglot), 'x.png');
  assert.equal(await saved('setup.exe', PNG), 'setup.png');
  assert.equal(await saved('facture\u202Egpj.exe.txt', Buffer.from('Montant : 12 €\n')), 'facturegpj.exe.txt');
  assert.equal(await saved('rap\u200Bport\u2066.pdf\u2069.png', PNG), 'rapport.pdf.png');
  assert.equal(await saved('..\\..\\dossier/éc"ran\u0007.png', PNG), 'écran.png');
});

test('a refused file is named in its message without the characters that would disguise it', async () => {
  await assert.rejects(
    store.save(Readable.from([Buffer.from('MZ\u0090\u0000')]), 'facture\u202Efdp.exe', 1_000_000),
    /Le format du fichier « facturefdp\.exe » n’est pas accepté/,
  );
});

test('the orphan sweep keeps a named file’s preview, and removes an unnamed file with its preview', async () => {
  const named = await store.save(Readable.from([PNG]), 'garde.png', 1_000_000);
  const orphan = await store.save(Readable.from([PNG]), 'orpheline.png', 1_000_000);
  await store.writeDerived(named.storageKey, '.preview.webp', Buffer.from('aperçu'));
  await store.writeDerived(orphan.storageKey, '.preview.webp', Buffer.from('aperçu'));
  const asked: string[][] = [];
  const known = async (keys: string[]) => {
    asked.push(keys);
    return new Set(keys.filter((k) => k !== orphan.storageKey));
  };
  await store.sweepOrphans(known, -1);
  // The sweep asks about stored files only: a preview's name is never taken for an unknown key.
  assert.ok(asked.flat().every((k) => /^[a-z0-9]{32}$/.test(k)));
  assert.deepEqual(await store.readDerived(named.storageKey, '.preview.webp'), Buffer.from('aperçu'));
  assert.equal(await store.readDerived(orphan.storageKey, '.preview.webp'), null);
  assert.equal(await store.openIfPresent(orphan.storageKey), null);
});
