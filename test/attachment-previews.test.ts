/**
 * Previews of image attachments: a copy the portal re-encoded (upright, reduced, without metadata),
 * behind the download's own access check; what sharp refuses has no preview and keeps its download.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { actionFields, normalize, readForm, rows, storedFiles } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const MISSING = 99_999_999;

/** A screenshot-like PNG larger than the preview's frame. */
const screenshot = () =>
  sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 238, g: 238, b: 238 } } })
    .composite([
      { input: { create: { width: 1600, height: 80, channels: 3, background: { r: 0, g: 0, b: 145 } } }, top: 0, left: 0 },
    ])
    .png()
    .toBuffer();

/** A phone photo: landscape pixels that EXIF says to turn a quarter, with a GPS position and the camera. */
const photo = () =>
  sharp({ create: { width: 1500, height: 1000, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 12', Copyright: 'Camille Martin' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 7/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();

/** A PNG chunk: length, type, data, CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A few hundred bytes that declare 30,000 × 30,000 pixels (3.6 GB once decoded): a decompression bomb. */
function bomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(30_000, 0);
  header.writeUInt32BE(30_000, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(30_000 * 4 + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page A4 letter, and a page 20 points wide and 14,400 tall (drawn at full width, 864,000 pixels high). */
async function pdf(size: [number, number]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage(size);
  page.drawText('Attestation de formation', {
    x: 10,
    y: size[1] - 40,
    size: 18,
    font: await doc.embedFont(StandardFonts.Helvetica),
  });
  doc.addPage([595, 842]);
  return Buffer.from(await doc.save());
}

const HTML = '<html><body><script>alert(document.cookie)</script></body></html>';

for (const kind of DATABASE_KINDS) {
  describe(`attachment previews (${kind})`, () => {
    let portal: TestPortal;
    let number: number;
    let demandeur: Visitor;
    let agent: Visitor;
    const ids: Record<string, number> = {};
    const originals: Record<string, Buffer> = {};
    const log: string[] = [];
    const stream = new Writable({
      write(line, _encoding, done) {
        log.push(String(line));
        done();
      },
    });

    before(async () => {
      portal = await createTestPortal(kind, { LOG_LEVEL: 'warn' }, { logger: { stream } });
      demandeur = await new Visitor(portal.app).login('demandeur');
      agent = await new Visitor(portal.app).login('agent');
      originals.png = await screenshot();
      originals.jpeg = await photo();
      originals.polyglot = Buffer.concat([await sharp(originals.png).resize(40).png().toBuffer(), Buffer.from(HTML)]);
      originals.bomb = bomb();
      originals.text = Buffer.from('Erreur 500 à 10h05\n');
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const created = await demandeur.postMultipart(
        '/demandes/nouvelle',
        {
          _csrf: form.csrf,
          token: form.token,
          subject: 'Écran blanc après connexion',
          blocking: 'non',
          applicationId: form.option('CERES'),
          description: 'Voici des captures.',
          suggestionsShown: '1',
        },
        [
          ['files', 'capture.png', originals.png],
          ['files', 'photo.jpg', originals.jpeg],
          ['files', 'poly.html', originals.polyglot],
          ['files', 'bombe.png', originals.bomb],
          ['files', 'journal.txt', originals.text],
        ],
      );
      assert.equal(created.statusCode, 303, created.body.slice(0, 300));
      number = Number(/\/demandes\/(\d+)/.exec(created.headers.location as string)?.[1]);
      // The desk's internal note, with an image of its own.
      const take = actionFields((await agent.get(`/demandes/${number}`)).body, 'take');
      await agent.post(`/demandes/${number}/actions`, {
        _csrf: take.csrf,
        action: 'take',
        version: take.version,
        token: take.token,
      });
      const note = actionFields((await agent.get(`/demandes/${number}`)).body, 'internal_note');
      const noted = await agent.postMultipart(
        `/demandes/${number}/actions`,
        { _csrf: note.csrf, action: 'internal_note', version: note.version, token: note.token, message: 'Vu en recette.' },
        [['files', 'note-interne.png', originals.png]],
      );
      assert.equal(noted.statusCode, 303, noted.body.slice(0, 300));
      // The requester's PDFs, sent with an added information.
      originals.pdf = await pdf([595, 842]);
      originals.tallPdf = await pdf([20, 14_400]);
      originals.brokenPdf = Buffer.from(
        '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      );
      const info = actionFields((await demandeur.get(`/demandes/${number}`)).body, 'add_info');
      const added = await demandeur.postMultipart(
        `/demandes/${number}/actions`,
        { _csrf: info.csrf, action: 'add_info', version: info.version, token: info.token, message: 'Les attestations.' },
        [
          ['files', 'attestation.pdf', originals.pdf],
          ['files', 'bandeau.pdf', originals.tallPdf],
          ['files', 'abime.pdf', originals.brokenPdf],
        ],
      );
      assert.equal(added.statusCode, 303, added.body.slice(0, 300));
      const files = await rows<{ id: string; original_name: string }>(
        portal.database.db,
        sql`select id, original_name from attachments order by id`,
      );
      for (const f of files) ids[f.original_name] = Number(f.id);
      assert.deepEqual(Object.keys(ids).sort(), [
        'abime.pdf',
        'attestation.pdf',
        'bandeau.pdf',
        'bombe.png',
        'capture.png',
        'journal.txt',
        'note-interne.png',
        'photo.jpg',
        'poly.png',
      ]);
    });
    after(() => portal?.close());

    const preview = (visitor: Visitor, name: string) => visitor.get(`/pieces-jointes/${ids[name]}/apercu`);

    test('a PNG: a WebP copy the portal made, within 1200 pixels, served inline with restrictive headers', async () => {
      const response = await preview(demandeur, 'capture.png');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'image/webp');
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.match(String(response.headers['content-disposition']), /^inline;/);
      assert.equal(response.headers['content-security-policy'], "default-src 'none'; sandbox");
      assert.match(String(response.headers['cache-control']), /^private, max-age=\d+$/);
      assert.notDeepEqual(response.rawPayload, originals.png);
      const meta = await sharp(response.rawPayload).metadata();
      assert.equal(meta.format, 'webp');
      assert.deepEqual([meta.width, meta.height], [1200, 675]);
    });

    test('a JPEG with EXIF: turned upright, and its GPS position, camera and every metadata gone', async () => {
      const original = await sharp(originals.jpeg).metadata();
      assert.ok(original.exif && original.orientation === 6, 'the sent photo does carry EXIF');
      const response = await preview(agent, 'photo.jpg');
      assert.equal(response.statusCode, 200);
      const bytes = response.rawPayload;
      assert.notDeepEqual(bytes, originals.jpeg);
      const meta = await sharp(bytes).metadata();
      assert.equal(meta.format, 'webp');
      assert.equal(meta.exif, undefined);
      assert.equal(meta.xmp, undefined);
      assert.equal(meta.icc, undefined);
      assert.equal(meta.orientation, undefined);
      // 1500 × 1000 turned a quarter, then fitted in 1200 × 1200.
      assert.deepEqual([meta.width, meta.height], [800, 1200]);
      assert.ok(!bytes.includes('PhoneMaker') && !bytes.includes('Camille Martin'));
    });

    test('a second view is served from the kept copy, which goes with the file', async () => {
      const first = await preview(demandeur, 'capture.png');
      const kept = storedFiles(portal).filter((name) => name.endsWith('.preview.webp'));
      assert.ok(kept.length >= 2, kept.join(' '));
      const second = await preview(demandeur, 'capture.png');
      assert.deepEqual(second.rawPayload, first.rawPayload);
      const [row] = await rows<{ storage_key: string }>(
        portal.database.db,
        sql`select storage_key from attachments where id = ${ids['capture.png']}`,
      );
      const key = String(row?.storage_key);
      assert.ok(storedFiles(portal).includes(`${key}.preview.webp`));
      await portal.app.deps.files.remove(key);
      assert.deepEqual(
        storedFiles(portal).filter((name) => name.startsWith(key)),
        [],
        'the file and its preview are removed together',
      );
      assert.equal((await preview(demandeur, 'capture.png')).statusCode, 404);
    });

    test('another structure’s requester gets the 404 of a missing file; an anonymous visitor goes to the login', async () => {
      const direccte = await new Visitor(portal.app).login('direccte');
      const theirs = await preview(direccte, 'photo.jpg');
      const missing = await direccte.get(`/pieces-jointes/${MISSING}/apercu`);
      assert.equal(theirs.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      assert.equal(
        normalize(theirs.body, `/pieces-jointes/${ids['photo.jpg']}/apercu`),
        normalize(missing.body, `/pieces-jointes/${MISSING}/apercu`),
      );
      const anonymous = await preview(new Visitor(portal.app), 'photo.jpg');
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/connexion/);
    });

    test('an internal note’s image: 404 for the requester, a preview for the desk', async () => {
      assert.equal((await preview(demandeur, 'note-interne.png')).statusCode, 404);
      const desk = await preview(agent, 'note-interne.png');
      assert.equal(desk.statusCode, 200);
      assert.equal(desk.headers['content-type'], 'image/webp');
      const page = await demandeur.get(`/demandes/${number}`);
      assert.doesNotMatch(page.body, new RegExp(`/pieces-jointes/${ids['note-interne.png']}/apercu`));
    });

    test('a PNG that is also an HTML page comes back as a plain WebP image, without the HTML', async () => {
      const response = await preview(demandeur, 'poly.png');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'image/webp');
      assert.ok(!response.rawPayload.includes('<script'), 'the HTML is not in the preview');
      assert.equal((await sharp(response.rawPayload).metadata()).format, 'webp');
    });

    test('a decompression bomb: no preview, no error, logged, and its download still works', async () => {
      const response = await preview(agent, 'bombe.png');
      assert.equal(response.statusCode, 404);
      const warning = log.find((line) => line.includes('no preview for this attachment'));
      assert.match(String(warning), /"reason":"Error: Input image exceeds pixel limit"/);
      // Refused once, not decoded again at the next view.
      assert.ok(storedFiles(portal).some((name) => name.endsWith('.preview-failed')));
      assert.equal((await preview(agent, 'bombe.png')).statusCode, 404);
      const download = await agent.get(`/pieces-jointes/${ids['bombe.png']}`);
      assert.equal(download.statusCode, 200);
      assert.deepEqual(download.rawPayload, originals.bomb);
      assert.equal((await agent.get(`/demandes/${number}`)).statusCode, 200);
    });

    test('a PDF: its first page as a WebP image within 1200 pixels, for a page of any shape', async () => {
      const response = await preview(demandeur, 'attestation.pdf');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'image/webp');
      assert.ok(!response.rawPayload.includes('%PDF'));
      const a4 = await sharp(response.rawPayload).metadata();
      assert.equal(a4.format, 'webp');
      // 595 × 842 points fitted in 1200 × 1200 (pdf.js rounds the width down).
      assert.equal(a4.height, 1200);
      assert.ok(Math.abs(Number(a4.width) - 848) <= 2, `width ${a4.width}`);
      const tall = await sharp((await preview(agent, 'bandeau.pdf')).rawPayload).metadata();
      assert.equal(tall.height, 1200);
      assert.ok(Number(tall.width) >= 1 && Number(tall.width) <= 2, `width ${tall.width}`);
    });

    test('a PDF that cannot be drawn has no preview, and its download stays', async () => {
      assert.equal((await preview(demandeur, 'abime.pdf')).statusCode, 404);
      const download = await demandeur.get(`/pieces-jointes/${ids['abime.pdf']}`);
      assert.equal(download.statusCode, 200);
      assert.deepEqual(download.rawPayload, originals.brokenPdf);
    });

    test('a file that is neither an image nor a PDF has no preview', async () => {
      assert.equal((await preview(demandeur, 'journal.txt')).statusCode, 404);
      assert.equal((await demandeur.get(`/pieces-jointes/${ids['journal.txt']}`)).statusCode, 200);
    });

    test('the request page shows each image’s preview inside a link to its download, for the requester and the desk', async () => {
      for (const [visitor, names] of [
        [demandeur, ['photo.jpg', 'poly.png', 'attestation.pdf']],
        [agent, ['photo.jpg', 'poly.png', 'note-interne.png', 'attestation.pdf']],
      ] as const) {
        const page = (await visitor.get(`/demandes/${number}`)).body;
        for (const name of names) {
          const id = ids[name];
          const alt = name.endsWith('.pdf') ? `Aperçu de la première page de ${name}` : `Aperçu de ${name}`;
          const img = `<a class="guichet-preview" href="/pieces-jointes/${id}" download><img src="/pieces-jointes/${id}/apercu" alt="${alt}" loading="lazy"/></a>`;
          assert.ok(page.includes(img), `${name}: ${img}`);
        }
        assert.doesNotMatch(page, new RegExp(`/pieces-jointes/${ids['journal.txt']}/apercu`));
        assert.match(page, new RegExp(`href="/pieces-jointes/${ids['journal.txt']}"`));
      }
    });
  });
}
