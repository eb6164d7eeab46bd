/**
 * Static files: addresses that change with their content, cached a year, and sent compressed
 * (brotli or gzip copies made by `npm run build`) to browsers that accept it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ASSETS, dsfrDist, precompressedDir, publicDir, STATIC } from '../src/web/plugins/assets.js';
import { createTestPortal, type TestPortal } from './support/portal.js';

const YEAR = 'public, max-age=31536000, immutable';

describe('static files', () => {
  let portal: TestPortal;
  before(async () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    portal = await createTestPortal('pglite');
  });
  after(() => portal?.close());

  const get = (url: string, encoding = 'identity') =>
    portal.app.inject({ method: 'GET', url, headers: { 'accept-encoding': encoding } });

  test('pages load the DSFR and our files under versioned addresses', async () => {
    const page = (await get('/connexion')).body;
    assert.match(ASSETS, /^\/dsfr\/\d+\.\d+\.\d+$/);
    assert.match(STATIC, /^\/static\/[0-9a-f]{12}$/);
    for (const href of [`${ASSETS}/dsfr.min.css`, `${STATIC}/app.css`, `${STATIC}/app.js`]) {
      assert.ok(page.includes(`"${href}"`), href);
    }
  });

  test('versioned files are kept a year; the old unversioned addresses are gone', async () => {
    for (const url of [`${ASSETS}/dsfr.min.css`, `${ASSETS}/fonts/Marianne-Regular.woff2`, `${STATIC}/app.js`]) {
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['cache-control'], YEAR, url);
    }
    assert.equal((await get('/dsfr/dsfr.min.css')).statusCode, 404);
    assert.equal((await get('/static/app.js')).statusCode, 404);
  });

  test('text files are sent compressed to browsers that accept it, identical once decompressed', async () => {
    const css = readFileSync(join(precompressedDir('dsfr'), 'dsfr.min.css'));
    const br = await get(`${ASSETS}/dsfr.min.css`, 'br, gzip');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.ok(br.rawPayload.length < css.length / 5, `${br.rawPayload.length} of ${css.length} bytes`);
    assert.deepEqual(brotliDecompressSync(br.rawPayload), css);

    const script = readFileSync(join(publicDir, 'app.js'));
    const gz = await get(`${STATIC}/app.js`, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.rawPayload), script);

    const plain = await get(`${ASSETS}/dsfr.min.css`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(plain.rawPayload, css);
  });

  test('the DSFR style sheet holds only the rules the pages use, and no italic font', () => {
    const full = readFileSync(join(dsfrDist, 'dsfr.min.css'), 'utf8');
    const served = readFileSync(join(precompressedDir('dsfr'), 'dsfr.min.css'), 'utf8');
    assert.ok(served.length < full.length * 0.7, `${served.length} of ${full.length} characters`);
    for (const used of ['.fr-btn', '.fr-header', '.fr-table', '.fr-input', '.fr-alert', '.fr-sidemenu']) {
      assert.ok(served.includes(used), used);
    }
    for (const unused of ['.fr-follow', '.fr-quote']) {
      assert.ok(full.includes(unused) && !served.includes(unused), `${unused}: a component no page uses`);
    }
    const fonts = served.match(/@font-face\{[^}]*\}/g) ?? [];
    assert.ok(fonts.length > 0);
    assert.ok(
      fonts.every((rule) => !rule.includes('italic')),
      'no italic @font-face',
    );
  });
});
